"""``csbot eval compare`` (issue 15): latency noise is not a regression, quality and latency are
reported apart, runs carry labels, and runs over different dialogues are not compared."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import build_app
from eval.compare import compare_runs, load_run, render, to_json
from eval.results import RunResult
from tests.eval.test_outputs import result, run_of


def save(tmp_path: Path, name: str, run: RunResult, label: str = "") -> Path:
    run.label = label
    path = tmp_path / name
    path.write_text(json.dumps(run.to_json(), ensure_ascii=False), encoding="utf-8")
    return path


def compare_cli(a: Path, b: Path, *extra: str) -> tuple[int, str]:
    outcome = CliRunner().invoke(build_app(), ["eval", "compare", str(a), str(b), *extra])
    return outcome.exit_code, outcome.stdout


def test_two_runs_of_the_same_code_differing_only_in_latency_pass_with_a_warning(tmp_path: Path) -> None:
    a = save(tmp_path, "a.json", run_of(result("x", latency=40.0), result("y", latency=60.0)), "main")
    b = save(tmp_path, "b.json", run_of(result("x", latency=95.0), result("y", latency=140.0)), "main again")
    code, out = compare_cli(a, b)
    assert code == 0, out
    assert "latency (warns only)" in out and "slower" in out and "warning: latency_p95_ms" in out
    assert "quality better: 0  regressed: 0" in out
    assert "A = main" in out and "B = main again" in out


def test_small_latency_jitter_is_same(tmp_path: Path) -> None:
    a = load_run(save(tmp_path, "a.json", run_of(result("x", latency=100.0))))
    b = load_run(save(tmp_path, "b.json", run_of(result("x", latency=118.0))))
    comparison = compare_runs(a, b)
    assert {c.metric: c.verdict for c in comparison.changes if c.kind == "latency"} == {
        "latency_p50_ms": "same",
        "latency_p95_ms": "same",
    }
    assert not comparison.warnings and not comparison.regressed


def test_a_quality_regression_fails_even_when_latency_improves(tmp_path: Path) -> None:
    a = save(tmp_path, "a.json", run_of(result("x", latency=900.0), result("y", latency=900.0)))
    b = save(tmp_path, "b.json", run_of(result("x", latency=10.0), result("y", passes=False, latency=10.0)))
    code, out = compare_cli(a, b)
    assert code == 1
    assert "regressed dialogues (1): y" in out and "faster" in out
    data = json.loads(compare_cli(a, b, "--json")[1])
    assert data["regressed"] is True and data["comparable"] is True


def test_an_empty_run_is_not_compared_with_a_full_one(tmp_path: Path) -> None:
    empty = save(tmp_path, "empty.json", run_of(load_errors=["x.yaml:1: not valid YAML"]), "broken upload")
    full = save(tmp_path, "full.json", run_of(*(result(f"d{i}") for i in range(28))), "shipped set")
    code, out = compare_cli(empty, full)
    assert code == 2
    assert "NOT COMPARABLE: run A has no dialogues" in out
    assert "better" not in out
    assert "run A (broken upload" in out and "1 file(s) failed to load" in out
    verdicts = {change.verdict for change in compare_runs(load_run(empty), load_run(full)).changes}
    assert verdicts == {"not comparable"}


def test_runs_over_different_dialogues_give_no_verdict_but_name_the_flips_they_share(tmp_path: Path) -> None:
    a = load_run(save(tmp_path, "a.json", run_of(result("x"), result("y"))))
    b = load_run(save(tmp_path, "b.json", run_of(result("x", passes=False), result("z"), result("w"))))
    comparison = compare_runs(a, b)
    assert not comparison.comparable and "1 in common" in comparison.why_not_comparable
    assert comparison.broken == ["x"] and comparison.regressed  # a dialogue both ran got worse: still a failure
    text = render(comparison)
    assert "new dialogues (2): w, z" in text and "quality better" not in text
    assert to_json(comparison)["why_not_comparable"]


def test_summary_lines_of_different_sizes_are_not_comparable(tmp_path: Path) -> None:
    (tmp_path / "a.out").write_text(json.dumps({"dialogues": 0, "passed": 0, "failed": 0}), encoding="utf-8")
    (tmp_path / "b.out").write_text(json.dumps({"dialogues": 28, "passed": 28, "failed": 0}), encoding="utf-8")
    code, out = compare_cli(tmp_path / "a.out", tmp_path / "b.out")
    assert code == 2 and "better" not in out


def test_a_run_whose_file_failed_to_load_is_not_shown_green_in_the_report() -> None:
    from eval.report_html import render_report

    html = render_report(run_of(load_errors=["bad.yaml:3: not valid YAML"]))
    card = html.split('<section class="cards" id="summary-cards">', 1)[1].split("</div></div>", 1)[0]
    assert 'class="card bad"' in card and "0 / 0" in card
    good = render_report(run_of(result("x")))
    assert 'class="card good"><div class="label">passed' in good


def test_side_by_side_pairs_each_turn_of_each_dialogue_and_can_keep_only_changes() -> None:
    from eval.side_by_side import MISSING, side_by_side

    a = run_of(result("x"), result("y")).to_json()
    b = run_of(result("x"), result("y", passes=False), result("z")).to_json()
    rows = side_by_side(a, b)
    by_dialogue = {row[0]: row for row in rows}
    assert set(by_dialogue) == {"x（通过/通过）", "y（通过/未通过）", "z（—/通过）"}
    y = by_dialogue["y（通过/未通过）"]
    assert y[3].startswith("【受理】") and y[4].startswith("【初步处理】")
    assert y[5] == "" and "step" in y[6]  # B's failed expectation, beside A's clean turn
    assert by_dialogue["z（—/通过）"][3] == MISSING
    changed = [row[0] for row in side_by_side(a, b, only_changed=True)]
    assert changed == ["y（通过/未通过）", "z（—/通过）"]
