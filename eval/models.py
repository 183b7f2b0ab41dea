"""The dialogue-set format as typed values, and what a run of one dialogue produced.

A ``Dialogue`` is what QA staff write (YAML, see eval/README.md); a ``Transcript`` is what the
engine answered. Assertions read only these two, so they can be tested without the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ExpectationSpec:
    """One expectation as written: its name, its value, and where it was written (for messages)."""

    name: str
    value: Any
    line: int
    turn: int | None = None  # None: a per-dialogue expectation

    @property
    def where(self) -> str:
        return "dialogue" if self.turn is None else f"turn {self.turn + 1}"


@dataclass(frozen=True)
class TurnSpec:
    """One customer message and what must hold after the bot answered it."""

    text: str
    line: int
    expect: tuple[ExpectationSpec, ...] = ()


@dataclass(frozen=True)
class Dialogue:
    """One scripted conversation with its expectations."""

    id: str
    description: str
    path: Path
    line: int
    turns: tuple[TurnSpec, ...]
    tags: tuple[str, ...] = ()
    drafter: str | None = None  # settings.drafter; None: the run's drafter
    procedure: str | None = None  # the procedure this dialogue exercises (grouping + checked)
    pii: tuple[str, ...] = ()  # personal data planted in the turns, declared by the author
    expect: tuple[ExpectationSpec, ...] = ()

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"

    def all_expectations(self) -> list[ExpectationSpec]:
        """Per-turn expectations first (in turn order), then the per-dialogue ones."""
        specs = [spec for turn in self.turns for spec in turn.expect]
        return specs + list(self.expect)


@dataclass
class TurnResult:
    """What the engine did with one customer turn (customer text masked, never raw)."""

    index: int
    customer_masked: str
    reply: dict[str, Any]
    retrieved: list[dict[str, Any]] = field(default_factory=list)  # citation dicts of retrieved passages
    step_before: str | None = None
    path: list[str] = field(default_factory=list)  # steps done so far + the current one, after this turn
    error: str | None = None

    @property
    def step(self) -> str | None:
        return self.reply.get("step")

    @property
    def text(self) -> str:
        return str(self.reply.get("reply", ""))

    @property
    def escalated(self) -> bool:
        return bool(self.reply.get("escalated", False))

    @property
    def latency_ms(self) -> float:
        return float(self.reply.get("latency_ms", 0.0))


@dataclass
class Transcript:
    """Everything one dialogue run produced that an expectation may look at."""

    dialogue: Dialogue
    turns: list[TurnResult] = field(default_factory=list)
    planted_pii: list[tuple[str, str]] = field(default_factory=list)  # (type, value); never printed
    records_blob: bytes = b""  # the records database file(s) plus the dump, for leak scans
    llm_requests: list[str] = field(default_factory=list)
    records_ok: bool | None = None  # hash chain verified after the run
    error: str | None = None  # the run itself failed (engine crash); every expectation then fails


@dataclass(frozen=True)
class Outcome:
    """The result of checking one expectation; ``message`` says why it failed (no personal data)."""

    spec: ExpectationSpec
    passed: bool
    message: str = ""
    category: str = "content"

    def to_json(self) -> dict[str, Any]:
        return {
            "expectation": self.spec.name,
            "where": self.spec.where,
            "turn": self.spec.turn,
            "line": self.spec.line,
            "category": self.category,
            "passed": self.passed,
            "message": self.message,
        }
