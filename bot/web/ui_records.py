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
from bot.web.records_search import LISTING_HEADERS, SearchInputError, find_cases, listing_rows, make_query
from bot.web.views import TIMELINE_HEADERS, procedure_names, timeline_rows, verify_summary


class RecordsHandlers:
    """The page's event handlers as plain methods (tests call them without a browser)."""

    def __init__(self, ctx: WebContext) -> None:
        self.ctx = ctx
        # Under CSBOT_HOME, fetched once through /exports/{id} by staff with "records", then deleted.
        self.shelf = ExportShelf(ctx.settings.home)

    def search(self, query: str, opened_from: str = "", opened_to: str = "") -> tuple[list[list[str]], Any]:
        """Cases by number, product, order number, procedure or step, opened within the dates (inclusive)."""
        try:
            parsed = make_query(query, opened_from, opened_to)
        except SearchInputError as error:
            raise gr.Error(str(error), title="无法搜索") from None
        names = procedure_names(self.ctx.bot)
        listings = find_cases(self.ctx.bot.records, parsed, names)
        choices = [listing.summary.case_id for listing in listings]
        rows = listing_rows(listings, names, self.ctx.settings.record_timezone)
        return rows, gr.update(choices=choices, value=None)

    def open_row(self, evt: gr.SelectData) -> tuple[Any, list[list[str]]]:
        """A click anywhere on a result row opens that case: picked for export, its timeline shown."""
        row = evt.row_value or []
        case_id = str(row[0]) if row else ""
        if not case_id:
            return gr.update(), []
        return gr.update(value=case_id), self.timeline(case_id)

    def timeline(self, case_id: str | None) -> list[list[str]]:
        if not case_id:
            return []
        records = self.ctx.bot.records
        return timeline_rows(records.for_case(case_id), records.timezone)

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
    blocks: gr.Blocks  # gradio types __enter__ loosely
    with gr.Blocks(title="书面记录 · 云杉优选") as blocks:
        gr.Markdown("## 书面记录\n[首页 / 退出登录](/) · [质检台](/qa/)")
        with gr.Row():
            query = gr.Textbox(
                label="搜索（案件编号、商品、订单号、流程名称、步骤；空格分隔多个词）", scale=4, elem_id="query"
            )
            opened_from = gr.Textbox(label="受理日期从", placeholder="2026-12-01", scale=1, elem_id="opened-from")
            opened_to = gr.Textbox(label="到（含）", placeholder="2026-12-31", scale=1, elem_id="opened-to")
            search = gr.Button("搜索", variant="primary", scale=1, elem_id="search")
            verify = gr.Button("校验哈希链", scale=1, elem_id="verify")
        verdict = gr.Markdown(elem_id="verdict")
        cases = gr.Dataframe(
            headers=list(LISTING_HEADERS),
            datatype="str",
            interactive=False,
            type="array",
            wrap=True,
            label="案件（点击一行打开该案件）",
            elem_id="cases",
        )
        with gr.Row():
            case = QuietDropdown(label="案件", choices=[], elem_id="case")
            fmt = gr.Radio(label="导出格式", choices=[("HTML", "html"), ("Markdown", "md")], value="html")
            export = gr.Button("导出书面记录", elem_id="export")
            download = gr.HTML(visible=False, elem_id="download")
        timeline = gr.Dataframe(
            headers=list(TIMELINE_HEADERS),
            datatype="str",
            interactive=False,
            type="array",
            wrap=True,
            label="时间线",
            elem_id="timeline",
        )
        searched = [query, opened_from, opened_to]
        blocks.load(handlers.search, searched, [cases, case])
        search.click(handlers.search, searched, [cases, case])
        for box in searched:
            box.submit(handlers.search, searched, [cases, case])
        cases.select(handlers.open_row, None, [case, timeline])
        case.change(handlers.timeline, [case], [timeline])
        verify.click(handlers.verify, None, [verdict])
        export.click(handlers.export, [case, fmt], [download])
    return blocks
