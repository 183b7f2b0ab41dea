"""Which procedure an opening message starts: deterministic keyword rules kept as data.

Rules first (bot/config/classify.yaml), so the same message always opens the same procedure and
compliance staff can read why. The winning rule is reported so the written record can explain it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from knowledge.datafile import DataModel, load_model

CLASSIFY_FILE = Path(__file__).resolve().parent / "config" / "classify.yaml"


@dataclass(frozen=True)
class ClassifyRule:
    """``unless``: any of these words and the rule does not apply (a legal question that mentions an
    order is a customer's complaint after all); ``opening_only``: decided on the first message only,
    so a later aside (我问过律师了) never moves a running complaint out of its procedure."""

    procedure: str
    weight: int
    words: tuple[str, ...]
    unless: tuple[str, ...] = ()
    opening_only: bool = False

    def score(self, text: str, opening: bool) -> tuple[int, tuple[str, ...]]:
        if (self.opening_only and not opening) or any(word in text for word in self.unless):
            return 0, ()
        matched = tuple(word for word in self.words if word in text)
        return self.weight * len(matched), matched


class ClassifyEntry(DataModel):
    procedure: str = Field(min_length=1)
    weight: int = 1
    words: list[str] = Field(min_length=1)
    unless: list[str] = Field(default_factory=list)
    opening_only: bool = False


class ClassifyFile(DataModel):
    """bot/config/classify.yaml."""

    default: str
    rules: list[ClassifyEntry]


@dataclass(frozen=True)
class Classification:
    procedure: str
    score: int
    matched: tuple[str, ...]


@dataclass(frozen=True)
class Classifier:
    default: str
    rules: tuple[ClassifyRule, ...]

    @classmethod
    def load(cls, path: Path = CLASSIFY_FILE) -> Classifier:
        model = load_model(path, ClassifyFile)
        rules = tuple(
            ClassifyRule(item.procedure, item.weight, tuple(item.words), tuple(item.unless), item.opening_only)
            for item in model.rules
        )
        return cls(model.default, rules)

    def procedures(self) -> set[str]:
        return {self.default, *(rule.procedure for rule in self.rules)}

    def classify(self, text: str, *, opening: bool = True) -> Classification:
        """``opening``: the case's first message (rules marked opening_only count only there)."""
        best = Classification(self.default, 0, ())
        for rule in self.rules:
            score, matched = rule.score(text, opening)
            if score > best.score:
                best = Classification(rule.procedure, score, matched)
        return best
