"""The HTML report in a real headless chromium: it renders, logs no error, and the drill-down opens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eval import metrics
from eval.loader import parse_dialogue
from eval.report_html import write_report
from eval.results import RunResult
from eval.runner import evaluate
from tests.fixtures.eval import reply, transcript

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="system chromium (/usr/bin/chromium) is not installed"),
]

DIALOGUES = [
    ("passes", "accept", "已受理，案件编号 C-1。"),
    ("fails", "triage", "<img src=x onerror=alert(1)> 您好"),
]


@pytest.fixture
def report(tmp_path: Path) -> Path:
    results = []
    for name, step, text in DIALOGUES:
        dialogue = parse_dialogue(
            f"id: {name}\ndescription: d\nturns:\n  - user: 我的电话是[手机号1]\n    expect: {{step: accept}}\n",
            f"{name}.yaml",
        )
        rails = [{"rule": "escalation_human", "category": "escalation", "action": "escalate"}]
        results.append(evaluate(transcript(dialogue, [reply(text, step=step, rails=rails, latency_ms=42.0)])))
    path = tmp_path / "report.html"
    write_report(RunResult(results, metrics.summarise(results), "template", [], "2026-01-01T00:00:00"), path)
    return path


@pytest.fixture
def page() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def test_report_renders_without_errors_and_drill_down_opens(report: Path, page: Any) -> None:
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("dialog", lambda dialog: problems.append(f"dialog opened: {dialog.message}"))
    page.goto(report.as_uri())

    assert page.locator("#summary-cards .card").count() >= 10
    assert page.locator("#chart-pass-rate svg rect").count() == 1
    assert page.locator("#chart-rails svg rect").count() == 1
    failed = page.locator("#dialogue-fails")
    assert not failed.locator("table.turns").is_visible()

    failed.locator("summary").click()
    assert failed.locator("table.turns").is_visible()
    assert failed.locator("tr.failed-turn").count() == 1
    assert "step after this turn is 'triage'" in failed.locator("li.failure").first.inner_text()
    assert "<img src=x onerror=alert(1)>" in failed.locator("td.text").nth(1).inner_text()

    page.locator("#only-failed").check()
    assert not page.locator("#dialogue-passes").is_visible()
    assert failed.is_visible()
    assert problems == []
