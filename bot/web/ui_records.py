"""Written records (``/records``, roles qa and admin): search cases, read a timeline, verify, export.

Everything shown is what the records database holds, which is masked before it is written; tables
render as plain text, so a customer's markup never becomes HTML here.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from bot.web.context import WebContext
from bot.web.exports import ExportShelf, download_link
from bot.web.quiet_choices import QuietDropdown
from bot.web.views import CASE_HEADERS, TIMELINE_HEADERS, case_rows, search_cases, timeline_rows, verify_summary


class RecordsHandlers:
    """The page's event handlers as plain methods (tests call them without a browser)."""

    def __init__(self, ctx: WebContext) -> None:
        self.ctx = ctx
        # Under CSBOT_HOME, fetched once through /exports/{id} by staff with "records", then deleted.
        self.shelf = ExportShelf(ctx.settings.home)

    def search(self, query: str) -> tuple[list[list[str]], Any]:
        cases = search_cases(self.ctx.bot, query)
        return case_rows(cases), gr.update(choices=[case.case_id for case in cases], value=None)

    def timeline(self, case_id: str | None) -> list[list[str]]:
        if not case_id:
            return []
        return timeline_rows(self.ctx.bot.records.for_case(case_id))

    def verify(self) -> str:
        result = verify_summary(self.ctx.bot)
        if result["ok"]:
            return f"✅ 哈希链完整：已校验 {result['checked']} 条记录，未发现篡改。"
        return f"❌ 哈希链校验失败：第一条不一致的记录 #{result['first_bad']}（{result['reason']}）"

    def export(self, case_id: str | None, fmt: str) -> Any:
        if not case_id:
            raise gr.Error("请选择一个案件。")
        suffix = "html" if fmt == "html" else "md"
        content = self.ctx.bot.records.export(case_id, suffix)  # type: ignore[arg-type]
        media = "text/html; charset=utf-8" if suffix == "html" else "text/markdown; charset=utf-8"
        export_id = self.shelf.put(content, f"书面记录-{case_id}.{suffix}", "records", media)
        return gr.update(value=download_link(export_id, "下载"), visible=True)


def build(ctx: WebContext) -> gr.Blocks:
    handlers = RecordsHandlers(ctx)
    with gr.Blocks(title="书面记录 · 云杉优选") as blocks:
        gr.Markdown("## 书面记录\n[首页 / 退出登录](/) · [质检台](/qa/)")
        with gr.Row():
            query = gr.Textbox(label="搜索（案件编号、流程、步骤）", scale=4, elem_id="query")
            search = gr.Button("搜索", variant="primary", scale=1, elem_id="search")
            verify = gr.Button("校验哈希链", scale=1, elem_id="verify")
        verdict = gr.Markdown(elem_id="verdict")
        cases = gr.Dataframe(
            headers=list(CASE_HEADERS), datatype="str", interactive=False, type="array", wrap=True, elem_id="cases"
        )
        with gr.Row():
            case = QuietDropdown(label="案件", choices=[], elem_id="case")
            fmt = gr.Radio(label="导出格式", choices=[("HTML", "html"), ("Markdown", "md")], value="html")
            export = gr.Button("导出书面记录", elem_id="export")
            download = gr.HTML(visible=False, elem_id="download")
        timeline = gr.Dataframe(
            headers=list(TIMELINE_HEADERS), datatype="str", interactive=False, type="array", wrap=True,
            label="时间线", elem_id="timeline",
        )
        blocks.load(handlers.search, [query], [cases, case])
        search.click(handlers.search, [query], [cases, case])
        query.submit(handlers.search, [query], [cases, case])
        case.change(handlers.timeline, [case], [timeline])
        verify.click(handlers.verify, None, [verdict])
        export.click(handlers.export, [case, fmt], [download])
    return blocks
