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

from bot.records.record_text import local_time, record_timezone
from bot.web.context import WebContext
from bot.web.exports import ExportShelf, download_link
from eval.compare import RunFileError, compare_runs, load_run, render
from eval.index_setup import DEFAULT_INDEX_LAWS, resolve_index
from eval.loader import expand_paths, load_dialogues
from eval.report_html import render_report
from eval.run_history import HISTORY_HEADERS, read_results, saved_runs
from eval.runner import run_dialogues
from eval.side_by_side import SIDE_BY_SIDE_HEADERS, side_by_side

SHIPPED_SETS = Path(__file__).resolve().parents[2] / "eval" / "dialogues"
UPLOAD_SUFFIXES = (".yaml", ".yml")
ERROR_TITLE = "操作未完成"  # Gradio's own pill says "Error"; ours says it in Chinese
MAX_LABEL_CHARS = 80
SUMMARY_ROWS = (
    ("dialogues", "对话数"),
    ("passed", "通过"),
    ("failed", "未通过"),
    ("expectations_failed", "未满足的断言"),
    ("pii_leaks", "个人信息泄露"),
    ("procedure_compliance", "流程合规率"),
    ("citation_validity", "引用有效率"),
    ("retrieval_hit_rate", "检索命中率"),
    ("escalation_recall", "转人工召回率"),
    ("latency_p50_ms", "延迟 p50 (ms)"),
    ("latency_p95_ms", "延迟 p95 (ms)"),
    ("engine_errors", "引擎错误"),
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
            raise gr.Error(f"不是评测对话集中的文件：{name}", title=ERROR_TITLE)
        return path

    def upload(self, files: list[str] | None) -> Any:
        """Keep uploaded YAML dialogue files; anything else is refused by name."""
        self.uploads_dir.mkdir(parents=True, exist_ok=True)
        added = []
        for file in files or []:
            source = Path(file)
            if source.suffix.lower() not in UPLOAD_SUFFIXES:
                raise gr.Error(f"只接受 .yaml / .yml 对话文件：{source.name}", title=ERROR_TITLE)
            shutil.copyfile(source, self.uploads_dir / source.name)
            added.append(f"uploads/{source.name}")
        return gr.update(choices=self.shipped_sets(), value=added or None)

    def run(
        self, names: list[str] | None, label: str = "", progress: gr.Progress | None = None
    ) -> tuple[str, str, Any, Any, Any, Any, list[list[str]]]:
        """Run the chosen sets; returns summary, problems, the report, its download, the run lists and history."""
        if not names:
            raise gr.Error("请先选择或上传至少一个对话集。", title=ERROR_TITLE)
        label = (label or "").strip()[:MAX_LABEL_CHARS]
        dialogues, errors = load_dialogues([self._path(name) for name in names])
        tick = progress if progress is not None else (lambda *_args, **_kwargs: None)
        total = len(dialogues)
        tick(0.0, desc=f"准备检索索引（共 {total} 段对话）")
        done: list[str] = []

        def one_done(result: Any) -> None:
            done.append(result.dialogue.id)
            tick(len(done) / max(total, 1), desc=f"已完成 {len(done)}/{total}：{result.dialogue.id}")

        build_root = Path(tempfile.mkdtemp(prefix="csbot-qa-index-"))
        try:
            index_dir = resolve_index(self.ctx.settings, None, build_root, DEFAULT_INDEX_LAWS) if dialogues else None
            result = run_dialogues(
                dialogues,
                self.ctx.settings,
                index_dir=index_dir,
                progress=one_done,
                load_errors=[str(error) for error in errors],
            )
        finally:
            shutil.rmtree(build_root, ignore_errors=True)
        result.label = label
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        report_path = self.runs_dir / f"{stamp}.html"
        title = f"csbot 评测报告 {stamp}" + (f" · {label}" if label else "")
        report_path.write_text(render_report(result, title=title), encoding="utf-8")
        (self.runs_dir / f"{stamp}.json").write_text(json.dumps(result.to_json(), ensure_ascii=False), encoding="utf-8")
        problems = "\n".join(f"- {html.escape(line)}" for line in result.load_errors) or "无"
        choices = self.run_choices()
        return (
            summary_markdown(result.summary),
            f"**加载问题**：\n{problems}",
            report_frame(report_path.read_text("utf-8")),
            gr.update(
                value=download_link(
                    self.shelf.put(
                        report_path.read_text("utf-8"), f"csbot-report-{stamp}.html", "qa", "text/html; charset=utf-8"
                    ),
                    "下载 HTML 报告",
                ),
                visible=True,
            ),
            gr.update(choices=choices),
            gr.update(choices=choices, value=stamp),
            self.history(),
        )

    def saved_runs(self) -> list[str]:
        return [run.stamp for run in saved_runs(self.runs_dir)]

    def run_choices(self) -> list[tuple[str, str]]:
        """Past runs for the compare pickers, newest first, shown with their labels."""
        return [run.choice for run in saved_runs(self.runs_dir)]

    def history(self) -> list[list[str]]:
        """The run history: every saved run with its label, size and outcome (local start time)."""
        zone = record_timezone(self.ctx.settings.record_timezone)
        return [run.row(local_time(run.started_at, zone, "%Y-%m-%d %H:%M")) for run in saved_runs(self.runs_dir)]

    def lists(self) -> tuple[Any, Any, Any, list[list[str]]]:
        """Fresh choices for the sets, both run pickers and the history (another QA user may have run)."""
        runs = self.run_choices()
        return gr.update(choices=self.shipped_sets()), gr.update(choices=runs), gr.update(choices=runs), self.history()

    def compare(self, first: str | None, second: str | None, only_changed: bool = False) -> tuple[str, list[list[str]]]:
        """The comparison table and the two runs' outputs side by side, dialogue by dialogue."""
        if not first or not second:
            raise gr.Error("请选择两次评测结果进行比较。", title=ERROR_TITLE)
        paths = [self.runs_dir / f"{Path(name).name}.json" for name in (first, second)]
        try:
            before, after = (load_run(path) for path in paths)
            comparison = compare_runs(before, after)
            rows = side_by_side(read_results(paths[0]), read_results(paths[1]), only_changed)
        except (RunFileError, OSError, ValueError) as error:
            raise gr.Error(f"无法读取评测结果：{error}", title=ERROR_TITLE) from None
        return render(comparison), rows


def summary_markdown(summary: dict[str, Any]) -> str:
    """The run's figures; a run where nothing ran or a file failed to load says so first (never a calm 0 / 0)."""
    lines = []
    if summary.get("load_errors"):
        lines.append(f"⚠️ **有 {summary['load_errors']} 个文件未能加载**，见下方“加载问题”；这次结果不完整。\n")
    if not summary.get("dialogues"):
        lines.append("⚠️ **没有运行任何对话**：不能据此判断通过与否。\n")
    lines += ["| 指标 | 数值 |", "|---|---|"]
    for key, label in SUMMARY_ROWS:
        value = summary.get(key)
        shown = "—" if value is None else (f"{value:.1%}" if isinstance(value, float) and value <= 1 else value)
        lines.append(f"| {label} | {shown} |")
    return "\n".join(lines)


def report_frame(report_html: str) -> str:
    """The HTML report inside a sandboxed frame: shown, but no script of it can run. Tall enough to
    read without a second scrollbar, and the reader can drag it taller (resize)."""
    return (
        '<iframe sandbox="" title="评测报告" style="width:100%;height:max(85vh,640px);min-height:480px;'
        'border:1px solid #ddd;border-radius:8px;resize:vertical;overflow:auto;display:block" '
        f'srcdoc="{html.escape(report_html, quote=True)}"></iframe>'
    )


def build(ctx: WebContext) -> gr.Blocks:
    handlers = QaHandlers(ctx)

    def run_with_progress(
        names: list[str] | None,
        label: str,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 - Gradio's own idiom
    ) -> Any:
        return handlers.run(names, label, progress)  # Gradio injects the progress bar by this default

    blocks: gr.Blocks  # gradio types __enter__ loosely
    with gr.Blocks(title="质检台 · 云杉优选") as blocks:
        gr.Markdown("## 质检台：对话集评测\n[首页 / 退出登录](/) · [书面记录](/records/)")
        with gr.Row():
            with gr.Column(scale=2):
                sets = gr.Dropdown(choices=handlers.shipped_sets(), multiselect=True, label="对话集", elem_id="sets")
                # A button with our own words, not gr.File's English drop zone ("Drop File Here").
                upload = gr.UploadButton(
                    "上传对话集 (.yaml)", file_count="multiple", file_types=[".yaml", ".yml"], elem_id="upload"
                )
                label = gr.Textbox(
                    label="本次运行的标签（可选）",
                    placeholder="例如：修改退货规则之前",
                    max_length=MAX_LABEL_CHARS,
                    elem_id="label",
                )
                run = gr.Button("运行评测", variant="primary", elem_id="run")
            with gr.Column(scale=1):
                summary = gr.Markdown(elem_id="summary")
                problems = gr.Markdown()
        report = gr.HTML(elem_id="report", js_on_load=None)
        download = gr.HTML(visible=False, elem_id="report-download")
        gr.Markdown("### 运行记录")
        history = gr.Dataframe(
            headers=list(HISTORY_HEADERS),
            datatype="str",
            interactive=False,
            type="array",
            wrap=True,
            value=handlers.history(),
            label="运行记录（最新在前）",
            elem_id="history",
        )
        gr.Markdown("### 比较两次评测")
        with gr.Row():
            first = gr.Dropdown(choices=handlers.run_choices(), label="A（之前）", elem_id="run-a")
            second = gr.Dropdown(choices=handlers.run_choices(), label="B（之后）", elem_id="run-b")
            only_changed = gr.Checkbox(label="只看有变化的轮次", value=False, elem_id="only-changed")
            compare = gr.Button("比较", elem_id="compare")
        comparison = gr.Code(label="比较结果", language=None, elem_id="comparison")
        outputs = gr.Dataframe(
            headers=list(SIDE_BY_SIDE_HEADERS),
            datatype="str",
            interactive=False,
            type="array",
            wrap=True,
            label="逐段对照：两次运行的回复并排",
            elem_id="side-by-side",
        )
        blocks.load(handlers.lists, None, [sets, first, second, history])
        upload.upload(handlers.upload, [upload], [sets])
        run.click(run_with_progress, [sets, label], [summary, problems, report, download, first, second, history])
        compare.click(handlers.compare, [first, second, only_changed], [comparison, outputs])
    return blocks
