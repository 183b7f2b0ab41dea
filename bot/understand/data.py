"""The understanding layer's word lists and tables (bot/understand/data/*.yaml), loaded once.

Each file has a model below; ``table`` validates the file against it (unknown keys, missing keys,
wrong types and bad patterns fail with file:line) and returns the data as written.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from knowledge.datafile import DataModel, Regex, load_checked

DATA_DIR = Path(__file__).resolve().parent / "data"


class WordsFor(DataModel):
    """One value and the words that say it."""

    value: str
    words: list[str] = Field(min_length=1)


class DefectKind(DataModel):
    kind: str
    words: list[str] = Field(min_length=1)


class DefectsFile(DataModel):
    kinds: list[DefectKind]


class EscalationFile(DataModel):
    device_alarm: Regex
    police: Regex


class FactsFile(DataModel):
    order_no_unavailable: list[str]
    phone: Regex
    tracking: Regex
    tracking_context: list[str]
    order_context: list[str]
    evidence: list[WordsFor]


class RemediesFile(DataModel):
    remedies: list[WordsFor]
    bare_return: Regex
    negation: Regex
    preference: Regex
    sequence: Regex


class RepliesFile(DataModel):
    refuse: list[str]
    refuse_alone: list[str]
    objection: list[str]
    accept: list[str]
    counter: list[str]


class ProductsFile(DataModel):
    """Product words by the company's categories (家电, 数码, 服饰, 食品, 日用品)."""

    categories: dict[str, list[str]]
    not_before: Regex


class Route(DataModel):
    procedure: str
    pattern: Regex


class RoutingFile(DataModel):
    routes: list[Route]


class Festival(DataModel):
    """A fixed day (month, day) or, for lunar festivals, its date per year (``2026: 02-17``)."""

    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)
    dates: dict[int, str] = Field(default_factory=dict)


class TimeFile(DataModel):
    relative: dict[str, int]
    units: dict[str, int]
    weekdays_en: dict[str, int]
    weekdays: dict[str, int]
    month_parts: dict[str, list[int]]
    festivals: dict[str, Festival]
    roles: dict[str, list[str]]


class LlmFact(DataModel):
    """One fact the LLM extractor may propose (llm_facts.yaml): its JSON type and, if the slot catalogue
    has no label for it, its own."""

    type: Literal["text", "date", "number", "remedy", "choice"]
    label: str | None = None
    values: list[str] = Field(default_factory=list)


class LlmFactsFile(DataModel):
    system: str
    asking: str
    facts: dict[str, LlmFact] = Field(min_length=1)


MODELS: dict[str, type[DataModel]] = {
    "defects": DefectsFile,
    "escalation": EscalationFile,
    "facts": FactsFile,
    "llm_facts": LlmFactsFile,
    "remedies": RemediesFile,
    "products": ProductsFile,
    "replies": RepliesFile,
    "routing": RoutingFile,
    "time": TimeFile,
}


@cache
def table(name: str) -> Any:
    return load_checked(DATA_DIR / f"{name}.yaml", MODELS[name])


@cache
def pattern(name: str, key: str) -> re.Pattern[str]:
    return re.compile(str(table(name)[key]))
