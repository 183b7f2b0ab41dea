"""The evaluation suite QA staff run over dialogue sets.

Public API (the CLI ``csbot eval`` is built on it)::

    dialogues, errors = load_dialogues(["eval/dialogues"])   # DialogueError: "file:line: message"
    run = run_dialogues(dialogues, settings, index_dir=...)  # RunResult: .dialogues, .summary, .ok
    write_report(run, path); write_junit(run, path)
    compare_runs(load_run(a), load_run(b))
"""

from eval.assertions import EXPECTATIONS
from eval.compare import compare_runs, load_run
from eval.junit import to_junit, write_junit
from eval.loader import DialogueError, load_dialogue, load_dialogues, parse_dialogue, select
from eval.metrics import summarise
from eval.models import Dialogue, Outcome, Transcript, TurnResult
from eval.report_html import render_report, write_report
from eval.results import DialogueResult, RunResult
from eval.runner import run_dialogues

__all__ = [
    "EXPECTATIONS",
    "Dialogue",
    "DialogueError",
    "DialogueResult",
    "Outcome",
    "RunResult",
    "Transcript",
    "TurnResult",
    "compare_runs",
    "load_dialogue",
    "load_dialogues",
    "load_run",
    "parse_dialogue",
    "render_report",
    "run_dialogues",
    "select",
    "summarise",
    "to_junit",
    "write_junit",
    "write_report",
]
