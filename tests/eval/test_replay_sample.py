"""A small sample of the robustness replay (bench/replay.py) on our own lay questions.

The questions in tests/eval/data/lay_questions.jsonl were written for this test (not taken from
the public benchmark): colloquial, some with personal data, an injection, an English one, "？".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.settings import Settings
from eval.replay import replay

QUESTIONS = Path(__file__).parent / "data" / "lay_questions.jsonl"


def questions() -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(row["id"], row["query"]) for row in rows]


@pytest.mark.slow
def test_every_question_is_answered_within_the_rails_and_records_hold_no_pii(
    eval_index_dir: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "index").symlink_to(eval_index_dir, target_is_directory=True)
    sample = questions()
    report = replay(sample, Settings(home=home, drafter="template"))
    assert report.crashes == []
    assert report.rail_failures == {}
    assert report.pii_in_records == []
    assert report.records_ok is True
    figures = report.figures()
    assert figures["questions"] == len(sample) == 20
    assert sum(figures["procedures"].values()) == 20
    assert report.escalated >= 1  # "再不给我处理我就去12315投诉" must reach a human
