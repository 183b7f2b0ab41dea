"""Metrics, JUnit XML, the HTML report and run comparison, over hand-built runs (no engine)."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from eval import metrics
from eval.compare import RunFileError, compare_runs, load_run, render
from eval.junit import to_junit
from eval.loader import parse_dialogue
from eval.report_html import render_report
from eval.results import DialogueResult, RunResult
from eval.runner import evaluate
from tests.fixtures.eval import reply, transcript

HOSTILE = '<script>alert("x")</script>'


def dialogue(name: str, *, escalate: bool = False, cite: bool = False, procedure: str = "return_7day"):  # type: ignore[no-untyped-def]
    expect = "    expect: {step: accept}\n"
    if cite:
        expect = "    expect: {must_cite: [{law: 消费者权益保护法, article: 25}]}\n"
    text = (
        f"id: {name}\ndescription: '{HOSTILE}'\nsettings: {{procedure: {procedure}}}\nturns:\n  - user: 你好\n{expect}"
    )
    if escalate:
        text += "expect: {must_escalate: true}\n"
    return parse_dialogue(text, f"{name}.yaml")


def result(
    name: str, *, passes: bool = True, escalated: bool = False, latency: float = 10.0, **kwargs
) -> DialogueResult:  # type: ignore[no-untyped-def]
    run = transcript(
        dialogue(name, **kwargs),
        [
            reply(
                f"回复 {HOSTILE}",
                step="accept" if passes else "triage",
                escalated=escalated,
                latency_ms=latency,
                rails=[{"rule": "personal_data", "verdict": "repaired"}],
            )
        ],
        retrieved=[[{"law": "中华人民共和国消费者权益保护法", "article": 25}]],
    )
    return evaluate(run)


def run_of(*results: DialogueResult, load_errors: list[str] | None = None) -> RunResult:
    return RunResult(list(results), metrics.summarise(results), "template", load_errors or [], "2026-01-01T00:00:00")


class TestMetrics:
    def test_when_escalations_mix_then_recall_and_precision_count_dialogues(self) -> None:
        results = [
            result("a", escalate=True, escalated=True),
            result("b", escalate=True, escalated=False),
            result("c", escalated=True),
            result("d"),
        ]
        assert metrics.escalation(results) == (0.5, 0.5)

    def test_when_nothing_measures_a_rate_then_it_is_none(self) -> None:
        summary = metrics.summarise([result("a")])
        assert summary["escalation_recall"] is None and summary["retrieval_hit_rate"] is None

    def test_retrieval_hit_counts_expected_articles_among_retrieved(self) -> None:
        assert metrics.retrieval_hit_rate([result("a", cite=True)]) == 1.0

    @pytest.mark.parametrize(("values", "p95"), [([1.0], 1.0), (list(map(float, range(1, 21))), 19.0), ([], None)])
    def test_percentile_is_nearest_rank(self, values: list[float], p95: float | None) -> None:
        assert metrics.percentile(values, 0.95) == p95

    def test_summary_counts_pass_fail_rails_and_procedures(self) -> None:
        summary = metrics.summarise([result("a"), result("b", passes=False, procedure="quality_defect")])
        assert (summary["dialogues"], summary["passed"], summary["failed"]) == (2, 1, 1)
        assert summary["rails_fired"] == {"personal_data": 2}
        assert summary["pass_rate_by_procedure"]["quality_defect"] == {"dialogues": 1, "passed": 0}
        assert summary["procedure_compliance"] == 0.5


class TestJunit:
    def test_one_testcase_per_dialogue_and_failures_name_file_and_line(self) -> None:
        xml = to_junit(run_of(result("good"), result("bad", passes=False), load_errors=["x.yaml:3: not valid YAML"]))
        root = ET.fromstring(xml.encode("utf-8"))
        suite = root.find("testsuite")
        assert suite is not None
        assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "1")
        cases = {case.get("name"): case for case in suite.iter("testcase")}
        assert cases["good"].find("failure") is None
        failure = cases["bad"].find("failure")
        assert failure is not None and failure.text is not None
        assert "bad.yaml:6: turn 1: step:" in failure.text

    def test_when_text_has_control_characters_then_xml_stays_well_formed(self) -> None:
        broken = result("bad", passes=False)
        broken.transcript.error = "boom \x00\x1b end"
        ET.fromstring(to_junit(run_of(broken)).encode("utf-8"))


class TestReport:
    def test_report_escapes_every_text_and_is_self_contained(self) -> None:
        html = render_report(run_of(result("a"), result("b", passes=False)))
        assert HOSTILE not in html
        assert "&lt;script&gt;" in html
        assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
        assert "https://" not in html
        for chart in ("chart-pass-rate", "chart-latency", "chart-rails"):
            assert f'id="{chart}"' in html
        assert html.count('<details class="dialogue"') == 2

    def test_report_of_an_empty_run_renders(self) -> None:
        assert "no dialogues" in render_report(run_of())


class TestCompare:
    def write(self, tmp_path: Path, name: str, data: object) -> Path:
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        return path

    def test_when_b_is_worse_then_regressions_are_named(self, tmp_path: Path) -> None:
        before = run_of(result("a"), result("b"))
        after = run_of(result("a"), result("b", passes=False, latency=500.0))
        comparison = compare_runs(
            load_run(self.write(tmp_path, "a.json", before.to_json())),
            load_run(self.write(tmp_path, "b.json", after.to_json())),
        )
        verdicts = {change.metric: change.verdict for change in comparison.changes}
        assert verdicts["passed"] == "regressed" and verdicts["latency_p95_ms"] == "slower"
        assert comparison.broken == ["b"] and comparison.regressed
        assert "regressed dialogues (1): b" in render(comparison)

    def test_summary_line_from_json_output_is_accepted(self, tmp_path: Path) -> None:
        summary_a = {"dialogues": 2, "passed": 1, "failed": 1, "pii_leaks": 1, "citation_validity": 0.5}
        summary_b = {"dialogues": 2, "passed": 2, "failed": 0, "pii_leaks": 0, "citation_validity": 0.5}
        output = '{"id": "a", "passed": true}\n' + json.dumps(summary_a) + "\n"
        comparison = compare_runs(
            load_run(self.write(tmp_path, "a.out", output)), load_run(self.write(tmp_path, "b.out", summary_b))
        )
        verdicts = {change.metric: change.verdict for change in comparison.changes}
        assert verdicts == {"passed": "better", "failed": "better", "pii_leaks": "better", "citation_validity": "same"}
        assert not comparison.regressed

    @pytest.mark.parametrize("content", ["", "not json", "[1, 2]", '{"hello": 1}'])
    def test_when_file_is_not_a_run_then_clear_error(self, tmp_path: Path, content: str) -> None:
        with pytest.raises(RunFileError, match="not a csbot eval"):
            load_run(self.write(tmp_path, "x.json", content))
