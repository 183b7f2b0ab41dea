"""The QA console (``/qa``, roles qa and admin): choose or upload dialogue sets, run, read, compare.

Runs go through the eval suite's own runner (``eval.runner.run_dialogues``), exactly as
``csbot eval run`` does; each run is kept in ``CSBOT_HOME/eval-runs/`` as results JSON plus the
HTML report, so two runs can be compared later with ``eval.compare``.
"""

from __future__ import annotations

import html
import json
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import gradio as gr

from bot.web.context import WebContext
from bot.web.exports import ExportShelf, download_link
from eval.compare import RunFileError, compare_runs, load_run, render
from eval.index_setup import DEFAULT_INDEX_LAWS, resolve_index
from eval.loader import expand_paths, load_dialogues
from eval.report_html import render_report
from eval.runner import run_dialogues

SHIPPED_SETS = Path(__file__).resolve().parents[2] / "eval" / "dialogues"
UPLOAD_SUFFIXES = (".yaml", ".yml")
SUMMARY_ROWS = (
    ("dialogues", "对话数"), ("passed", "通过"), ("failed", "未通过"), ("expectations_failed", "未满足的断言"),
    ("pii_leaks", "个人信息泄露"), ("procedure_compliance", "流程合规率"), ("citation_validity", "引用有效率"),
    ("retrieval_hit_rate", "检索命中率"), ("escalation_recall", "转人工召回率"), ("latency_p50_ms", "延迟 p50 (ms)"),
    ("latency_p95_ms", "延迟 p95 (ms)"), ("engine_errors", "引擎错误"),
)


class QaHandlers:
    """The console's event handlers as plain methods (tests call them without a browser)."""

    def __init__(self, ctx: WebContext) -> None:
        self.ctx = ctx
        self.runs_dir = ctx.settings.home / "eval-runs"
        self.uploads_dir = ctx.settings.home / "eval-uploads"
        self.shelf = ExportShelf(ctx.settings.home)  # downloads: /exports/{id}, staff with "qa" only

    def shipped_sets(self) -> list[str]:
        """The shipped sets (each folder of ``eval/dialogues`` is one set) and the uploaded files."""
        names, uploaded = [], []
        if SHIPPED_SETS.is_dir():
            names = [f"{p.name}/" for p in sorted(SHIPPED_SETS.iterdir()) if p.is_dir()]
            names += [p.name for p in sorted(SHIPPED_SETS.glob("*.y*ml"))]
        if self.uploads_dir.is_dir():
            uploaded = [f"uploads/{p.name}" for p in expand_paths([self.uploads_dir])]
        return names + uploaded

    def _path(self, name: str) -> Path:
        if name.startswith("uploads/"):
            return self.uploads_dir / Path(name).name
        path = (SHIPPED_SETS / name).resolve()
        if SHIPPED_SETS.resolve() not in path.parents:
            raise gr.Error(f"不是评测对话集中的文件：{name}")
        return path

    def upload(self, files: list[str] | None) -> Any:
        """Keep uploaded YAML dialogue files; anything else is refused by name."""
        self.uploads_dir.mkdir(parents=True, exist_ok=True)
        added = []
        for file in files or []:
            source = Path(file)
            if source.suffix.lower() not in UPLOAD_SUFFIXES:
                raise gr.Error(f"只接受 .yaml / .yml 对话文件：{source.name}")
            shutil.copyfile(source, self.uploads_dir / source.name)
            added.append(f"uploads/{source.name}")
        return gr.update(choices=self.shipped_sets(), value=added or None)

    def run(self, names: list[str] | None) -> tuple[str, str, Any, Any, Any]:
        """Run the chosen sets; returns summary, problems, the report, its download and the run lists."""
        if not names:
            raise gr.Error("请先选择或上传至少一个对话集。")
        dialogues, errors = load_dialogues([self._path(name) for name in names])
        build_root = Path(tempfile.mkdtemp(prefix="csbot-qa-index-"))
        try:
            index_dir = resolve_index(self.ctx.settings, None, build_root, DEFAULT_INDEX_LAWS)
            result = run_dialogues(
                dialogues, self.ctx.settings, index_dir=index_dir, load_errors=[str(error) for error in errors]
            )
        finally:
            shutil.rmtree(build_root, ignore_errors=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        report_path = self.runs_dir / f"{stamp}.html"
        report_path.write_text(render_report(result, title=f"csbot 评测报告 {stamp}"), encoding="utf-8")
        (self.runs_dir / f"{stamp}.json").write_text(json.dumps(result.to_json(), ensure_ascii=False), encoding="utf-8")
        problems = "\n".join(f"- {html.escape(line)}" for line in result.load_errors) or "无"
        runs = gr.update(choices=self.saved_runs(), value=stamp)
        return (
            summary_markdown(result.summary),
            f"**加载问题**：\n{problems}",
            report_frame(report_path.read_text("utf-8")),
            gr.update(value=download_link(self.shelf.put(
                report_path.read_text("utf-8"), f"csbot-report-{stamp}.html", "qa", "text/html; charset=utf-8"
            ), "下载 HTML 报告"), visible=True),
            runs,
        )

    def saved_runs(self) -> list[str]:
        return sorted((p.stem for p in self.runs_dir.glob("*.json")), reverse=True) if self.runs_dir.is_dir() else []

    def lists(self) -> tuple[Any, Any, Any]:
        """Fresh choices for the sets and both run pickers (another QA user may have run or uploaded)."""
        runs = self.saved_runs()
        return gr.update(choices=self.shipped_sets()), gr.update(choices=runs), gr.update(choices=runs)

    def compare(self, first: str | None, second: str | None) -> str:
        if not first or not second:
            raise gr.Error("请选择两次评测结果进行比较。")
        try:
            before, after = (load_run(self.runs_dir / f"{name}.json") for name in (first, second))
            comparison = compare_runs(before, after)
        except RunFileError as error:
            raise gr.Error(str(error)) from None
        return f"A = {first}\nB = {second}\n\n{render(comparison)}"


def summary_markdown(summary: dict[str, Any]) -> str:
    lines = ["| 指标 | 数值 |", "|---|---|"]
    for key, label in SUMMARY_ROWS:
        value = summary.get(key)
        shown = "—" if value is None else (f"{value:.1%}" if isinstance(value, float) and value <= 1 else value)
        lines.append(f"| {label} | {shown} |")
    return "\n".join(lines)


def report_frame(report_html: str) -> str:
    """The HTML report inside a sandboxed frame: shown, but no script of it can run."""
    return (
        f'<iframe sandbox="" title="评测报告" style="width:100%;height:70vh;border:1px solid #ddd;border-radius:8px" '
        f'srcdoc="{html.escape(report_html, quote=True)}"></iframe>'
    )


def build(ctx: WebContext) -> gr.Blocks:
    handlers = QaHandlers(ctx)
    with gr.Blocks(title="质检台 · 云杉优选") as blocks:
        gr.Markdown("## 质检台：对话集评测\n[首页 / 退出登录](/) · [书面记录](/records/)")
        with gr.Row():
            with gr.Column(scale=2):
                sets = gr.Dropdown(
                    choices=handlers.shipped_sets(), multiselect=True, label="对话集", elem_id="sets"
                )
                upload = gr.File(label="上传对话集 (.yaml)", file_count="multiple", file_types=[".yaml", ".yml"])
                run = gr.Button("运行评测", variant="primary", elem_id="run")
            with gr.Column(scale=1):
                summary = gr.Markdown(elem_id="summary")
                problems = gr.Markdown()
        report = gr.HTML(elem_id="report", js_on_load=None)
        download = gr.HTML(visible=False, elem_id="report-download")
        gr.Markdown("### 比较两次评测")
        with gr.Row():
            first = gr.Dropdown(choices=handlers.saved_runs(), label="A（之前）")
            second = gr.Dropdown(choices=handlers.saved_runs(), label="B（之后）")
            compare = gr.Button("比较")
        comparison = gr.Code(label="比较结果", language=None, elem_id="comparison")
        blocks.load(handlers.lists, None, [sets, first, second])
        upload.upload(handlers.upload, [upload], [sets])
        run.click(handlers.run, [sets], [summary, problems, report, download, second]).then(
            handlers.lists, None, [sets, first, second]
        )
        compare.click(handlers.compare, [first, second], [comparison])
    return blocks
