"""``csbot eval``: run dialogue sets through the bot (CI gate), check files, compare two runs.

``csbot eval run PATH... --json`` prints one JSON line per dialogue and the run summary as the
last line; the exit code is 1 when any expectation fails or a file cannot be loaded, 2 on usage
errors, so the command can gate CI directly.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.settings import load_settings

if TYPE_CHECKING:
    from bot.settings import Settings
    from eval.results import DialogueResult, RunResult

EXIT_FAILED = 1
EXIT_USAGE = 2


def _print_result(result: DialogueResult, as_json: bool) -> None:
    if as_json:
        from eval.metrics import dialogue_figures

        typer.echo(json.dumps(dialogue_figures(result), ensure_ascii=False))
        return
    typer.echo(f"{'PASS' if result.passed else 'FAIL'}  {result.dialogue.id}")
    if result.transcript.error:
        typer.echo(f"      engine error: {result.transcript.error}")
    for outcome in result.failures:
        typer.echo(
            f"      {result.dialogue.path}:{outcome.spec.line}: {outcome.spec.where}: {outcome.spec.name}: "
            f"{outcome.message}"
        )


def _print_summary(summary: dict[str, object]) -> None:
    keys = (
        "dialogues",
        "passed",
        "failed",
        "pii_leaks",
        "procedure_compliance",
        "citation_validity",
        "retrieval_hit_rate",
        "escalation_recall",
        "escalation_precision",
        "latency_p50_ms",
        "latency_p95_ms",
    )
    typer.echo("")
    for key in keys:
        typer.echo(f"{key:<22} {summary.get(key)}")
    typer.echo(f"{'rails_fired':<22} {json.dumps(summary.get('rails_fired', {}), ensure_ascii=False)}")


@dataclass(frozen=True)
class RunOptions:
    as_json: bool = False
    report: Path | None = None
    junit: Path | None = None
    out: Path | None = None
    drafter: str | None = None
    index: Path | None = None
    only: tuple[str, ...] = ()
    label: str = ""


def _drafter_problem(settings: Settings, drafter: str | None) -> str | None:
    """Why the run's drafter cannot be built (an LLM without endpoint), before anything else is."""
    from bot.drafting.base import DrafterConfigError, make_drafter

    try:
        probe = make_drafter(settings, drafter)
    except DrafterConfigError as error:
        return str(error)
    closer = getattr(probe, "close", None)
    if callable(closer):
        closer()
    return None


def _write_outputs(run: RunResult, options: RunOptions) -> None:
    from eval.junit import write_junit
    from eval.report_html import write_report

    for path in (options.report, options.junit, options.out):
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
    if options.report is not None:
        write_report(run, options.report)
    if options.junit is not None:
        write_junit(run, options.junit)
    if options.out is not None:
        options.out.write_text(json.dumps(run.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")


def _run(paths: list[Path], options: RunOptions) -> int:
    from eval.index_setup import DEFAULT_INDEX_LAWS, IndexMissing, resolve_index
    from eval.loader import load_dialogues, select
    from eval.runner import run_dialogues

    missing = [path for path in paths if not path.exists()]
    for path in missing:
        typer.echo(f"error: {path}: no such file or folder", err=True)
    if missing:
        return EXIT_USAGE
    loaded, errors = load_dialogues(paths)
    dialogues = select(loaded, options.only)
    for error in errors:
        typer.echo(f"error: {error}", err=True)
    if not dialogues:  # nothing to run: no index is built and no run is reported as 0 / 0
        typer.echo("error: no dialogue to run (no loadable *.yaml in the paths, or none matches --only)", err=True)
        return EXIT_USAGE
    settings = load_settings()
    problem = _drafter_problem(settings, options.drafter)
    if problem is not None:
        typer.echo(f"error: {problem}", err=True)
        return EXIT_USAGE
    build_root = Path(tempfile.mkdtemp(prefix="csbot-eval-index-"))
    try:
        index_dir = resolve_index(settings, options.index, build_root, DEFAULT_INDEX_LAWS)
        run = run_dialogues(
            dialogues,
            settings,
            index_dir=index_dir,
            drafter=options.drafter,
            progress=lambda r: _print_result(r, options.as_json),
            load_errors=[str(e) for e in errors],
        )
    except IndexMissing as error:
        typer.echo(f"error: {error}", err=True)
        return EXIT_USAGE
    finally:
        shutil.rmtree(build_root, ignore_errors=True)
    if options.label:
        run.label = run.summary["label"] = options.label
    _write_outputs(run, options)
    if options.as_json:
        typer.echo(json.dumps(run.summary, ensure_ascii=False))
    else:
        _print_summary(run.summary)
    return 0 if run.ok else EXIT_FAILED


def register(app: typer.Typer) -> None:
    eval_app = typer.Typer(help="Evaluate the bot on dialogue sets (QA / CI gate).", no_args_is_help=True)

    @eval_app.command("run")
    def run(
        paths: Annotated[list[Path], typer.Argument(help="Dialogue files or folders of *.yaml files.")],
        as_json: Annotated[bool, typer.Option("--json", help="JSON lines; the run summary is the last line.")] = False,
        report: Annotated[
            Path | None, typer.Option("--report", help="Write a self-contained HTML report here.")
        ] = None,
        junit: Annotated[
            Path | None, typer.Option("--junit", help="Write JUnit XML here (one testcase per dialogue).")
        ] = None,
        out: Annotated[Path | None, typer.Option("--out", help="Save full results (for `csbot eval compare`).")] = None,
        drafter: Annotated[
            str | None, typer.Option("--drafter", help="template or llm; default: CSBOT_DRAFTER.")
        ] = None,
        index: Annotated[
            Path | None, typer.Option("--index", help="Index folder to use (default: CSBOT_HOME/index).")
        ] = None,
        only: Annotated[
            list[str] | None,
            typer.Option("--only", help="Run only dialogues whose id matches this glob, or with this tag/procedure."),
        ] = None,
        label: Annotated[
            str, typer.Option("--label", help="Name this run (kept in --out/--json, shown by compare).")
        ] = "",
    ) -> None:
        """Run dialogues through the bot; exit 1 when any expectation fails."""
        if drafter not in (None, "template", "llm"):
            typer.echo("error: --drafter must be template or llm", err=True)
            raise typer.Exit(EXIT_USAGE)
        options = RunOptions(as_json, report, junit, out, drafter, index, tuple(only or ()), label.strip())
        code = _run(paths, options)
        sys.stdout.flush()
        raise typer.Exit(code)

    @eval_app.command("check")
    def check(paths: Annotated[list[Path], typer.Argument(help="Dialogue files or folders.")]) -> None:
        """Validate dialogue files without running them (errors as file:line: message)."""
        from eval.loader import load_dialogues

        dialogues, errors = load_dialogues(paths)
        for error in errors:
            typer.echo(str(error), err=True)
        files = len({error.path for error in errors})
        typer.echo(f"{len(dialogues)} dialogues ok, {len(errors)} errors in {files} files")
        raise typer.Exit(EXIT_FAILED if errors or not dialogues else 0)

    @eval_app.command("compare")
    def compare(
        run_a: Annotated[Path, typer.Argument(help="Earlier run: --json output or --out results file.")],
        run_b: Annotated[Path, typer.Argument(help="Later run, same kinds of file.")],
        as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
    ) -> None:
        """Quality changes from RUN_A to RUN_B (exit 1 on a quality regression, 2 when the runs are not
        comparable); latency changes beyond the tolerance are warnings only."""
        from eval.compare import RunFileError, compare_runs, load_run, render, to_json

        try:
            comparison = compare_runs(load_run(run_a), load_run(run_b))
        except RunFileError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(EXIT_USAGE) from error
        typer.echo(json.dumps(to_json(comparison), ensure_ascii=False) if as_json else render(comparison))
        if comparison.regressed:
            raise typer.Exit(EXIT_FAILED)
        raise typer.Exit(0 if comparison.comparable else EXIT_USAGE)

    app.add_typer(eval_app, name="eval")
