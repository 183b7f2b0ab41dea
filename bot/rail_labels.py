"""The guardrails' names and reasons in Chinese, one table (``bot/config/rail_labels.yaml``) for its two
readers: agents (``bot/web/rail_words.py``: a reason as an objection) and the 书面记录
(``bot/records/record_text.py``: a reason as the repair done)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

from knowledge.datafile import DataModel, Regex, load_model

LABELS_FILE = Path(__file__).resolve().parent / "config" / "rail_labels.yaml"
Audience = Literal["agent", "record"]
Wording = Literal["objection", "repair"]


class Name(DataModel):
    agent: str
    record: str


class ReasonRow(DataModel):
    pattern: Regex
    objection: str | None = None
    repair: str | None = None


class RailLabelsFile(DataModel):
    """rail_labels.yaml: rail names and reason patterns, each in the agent's and the record's wording."""

    rails: dict[str, Name]
    input_categories: dict[str, Name]
    unknown_rail: Name
    reasons: list[ReasonRow]


@cache
def table() -> RailLabelsFile:
    return load_model(LABELS_FILE, RailLabelsFile)


def rail_names(audience: Audience) -> dict[str, str]:
    """Output rail id -> its Chinese name for ``audience``."""
    return {rail: getattr(name, audience) for rail, name in table().rails.items()}


def category_names(audience: Audience) -> dict[str, str]:
    """Input rule category -> its Chinese name for ``audience``."""
    return {category: getattr(name, audience) for category, name in table().input_categories.items()}


def unknown_rail(audience: Audience) -> str:
    return str(getattr(table().unknown_rail, audience))


@cache
def reason_patterns(wording: Wording) -> tuple[tuple[re.Pattern[str], str], ...]:
    """(pattern, text) of every row that has ``wording``, in table order (the first match wins)."""
    rows = ((row.pattern, getattr(row, wording)) for row in table().reasons)
    return tuple((re.compile(pattern), text) for pattern, text in rows if text is not None)
