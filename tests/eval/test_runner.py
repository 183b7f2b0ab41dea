"""The runner and ``csbot eval`` against the real engine on a few small dialogues."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import build_app
from bot.settings import Settings
from eval.junit import to_junit
from eval.loader import load_dialogue
from eval.report_html import render_report
from eval.runner import run_dialogues

PASSING = """\
id: runner-return
description: a return that goes through investigation
settings: {procedure: return_7day}
turns:
  - user: 耳机不想要了，想七天无理由退货，我的电话13812345678
    expect:
      procedure: return_7day
      must_contain: {regex: 'CS\\d{8}-[0-9A-F]{6,}'}
      no_personal_data_in: [reply]
  - user: 订单号 DD2026112012345，三天前收到的，没拆封
    expect:
      step: resolve
expect:
  steps_in_order: [accept, triage, investigate, resolve]
  never_skips_step: true
  no_promise_before: investigate
"""
FAILING = """\
id: runner-wrong-step
description: expects a step the engine cannot be at after one message
turns:
  - user: 耳机不想要了，想七天无理由退货
    expect:
      step: record
"""
BAD = "id: broken\ndescription: d\nturns:\n  - user: hi\n    expect: {stepp: accept}\n"

Writer = Callable[[str, str], Path]


@pytest.mark.slow
def test_runner_checks_expectations_and_keeps_only_masked_text(
    write_dialogue: Writer, eval_index_dir: Path, tmp_path: Path
) -> None:
    dialogues = [load_dialogue(write_dialogue("a.yaml", PASSING)), load_dialogue(write_dialogue("b.yaml", FAILING))]
    run = run_dialogues(dialogues, Settings(home=tmp_path / "base"), index_dir=eval_index_dir)
    good, bad = run.dialogues
    assert good.passed, [o.message for o in good.failures]
    assert not bad.passed and [o.spec.name for o in bad.failures] == ["step"]
    assert good.transcript.records_ok is True
    assert good.transcript.turns[1].path[:4] == ["accept", "triage", "investigate", "resolve"]
    assert "13812345678" not in good.transcript.turns[0].customer_masked
    assert [kind for kind, _ in good.transcript.planted_pii] == ["phone"]
    for output in (json.dumps(run.to_json(), ensure_ascii=False), render_report(run), to_junit(run)):
        assert "13812345678" not in output
    assert run.summary["dialogues"] == 2 and run.summary["failed"] == 1 and run.summary["pii_leaks"] == 0


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(build_app(), ["eval", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.slow
def test_cli_run_exit_code_json_last_line_and_files(
    write_dialogue: Writer, eval_index_dir: Path, tmp_path: Path
) -> None:
    good = write_dialogue("good.yaml", PASSING)
    code, out, _ = invoke(
        "run",
        str(good),
        "--json",
        "--index",
        str(eval_index_dir),
        "--report",
        str(tmp_path / "r.html"),
        "--junit",
        str(tmp_path / "r.xml"),
        "--out",
        str(tmp_path / "run.json"),
        "--label",
        "before the rail change",
    )
    assert code == 0, out
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["label"] == "before the rail change"
    assert json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))["label"] == "before the rail change"
    for key in (
        "dialogues",
        "passed",
        "failed",
        "pii_leaks",
        "procedure_compliance",
        "citation_validity",
        "escalation_recall",
        "escalation_precision",
        "retrieval_hit_rate",
        "latency_p50_ms",
        "latency_p95_ms",
        "rails_fired",
    ):
        assert key in summary, key
    assert (summary["dialogues"], summary["passed"]) == (1, 1)
    assert "<svg" in (tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'tests="1"' in (tmp_path / "r.xml").read_text(encoding="utf-8")

    failing = write_dialogue("failing.yaml", FAILING)
    code, out, _ = invoke(
        "run", str(failing), "--json", "--index", str(eval_index_dir), "--out", str(tmp_path / "b.json")
    )
    assert code == 1
    assert json.loads(out.strip().splitlines()[-1])["failed"] == 1

    code, out, _ = invoke("compare", str(tmp_path / "run.json"), str(tmp_path / "b.json"))
    assert code == 2 and "NOT COMPARABLE" in out  # two different dialogues: totals say nothing about each other


def test_cli_reports_bad_files_with_line_and_fails(write_dialogue: Writer, tmp_path: Path) -> None:
    bad = write_dialogue("bad.yaml", BAD)
    code, _, err = invoke("check", str(bad))
    assert code == 1
    assert f"{bad}:5: turns/0/expect: unknown expectation 'stepp'" in err


@pytest.mark.parametrize("args", [["run", "{empty}"], ["run", "{empty}", "--drafter", "gpt"]])
def test_cli_usage_errors_exit_2(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = invoke(*[a.format(empty=tmp_path / "empty") for a in args])
    assert code == 2 and "error:" in err


def test_cli_run_of_a_path_that_does_not_exist_exits_2_before_building_an_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import eval.index_setup

    def no_index(*_args: object) -> None:
        raise AssertionError("an index was resolved for a run with nothing to run")

    monkeypatch.setattr(eval.index_setup, "resolve_index", no_index)
    code, out, err = invoke("run", str(tmp_path / "nonexistent"))
    assert code == 2, out + err
    assert f"{tmp_path / 'nonexistent'}: no such file or folder" in err
    assert not (tmp_path / "csbot-home" / "index").exists()


def test_cli_run_with_missing_index_folder_exits_2(write_dialogue: Writer, tmp_path: Path) -> None:
    good = write_dialogue("good.yaml", PASSING)
    code, _, err = invoke("run", str(good), "--index", str(tmp_path / "nowhere"))
    assert code == 2 and "no search index" in err


def test_cli_llm_drafter_without_endpoint_says_how_to_fix(write_dialogue: Writer) -> None:
    good = write_dialogue("good.yaml", PASSING)
    code, _, err = invoke("run", str(good), "--drafter", "llm")
    assert code == 2 and "CSBOT_LLM_BASE_URL" in err
