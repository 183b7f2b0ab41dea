"""Values that travel through one turn: a ``Turn`` goes in, a ``Reply`` comes out.

Every stage of ``bot.pipeline.handle_turn`` is a plain function over these values, and every
stage's decision is kept so the written record can explain the reply.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from guardrails.types import MaskedText, RailFlag, RailVerdict
from knowledge.types import Passage

StepId = Literal["accept", "triage", "investigate", "resolve", "record"]
STEP_IDS: tuple[StepId, ...] = ("accept", "triage", "investigate", "resolve", "record")
STEP_NAMES_ZH: dict[str, str] = {
    "accept": "受理",
    "triage": "初步处理",
    "investigate": "调查核实",
    "resolve": "协商解决",
    "record": "书面记录",
}
Actor = Literal["customer", "bot", "agent", "system"]


@dataclass(frozen=True)
class Turn:
    """One incoming message. ``text`` is raw and must be masked before anything else sees it."""

    session: str
    text: str
    actor: Actor = "customer"
    agent_id: str | None = None
    idempotency_key: str | None = None  # the client's Idempotency-Key: its reply is stored with the record
    request_digest: str | None = None  # keyed digest of the message the key came with (never the text)


@dataclass(frozen=True)
class Draft:
    """A reply proposed by a drafter, before the output rails."""

    text: str
    drafter: str  # "template" | "llm" | "llm->template" (fallback)
    passages: tuple[Passage, ...] = ()
    notes: tuple[str, ...] = ()  # e.g. why the LLM drafter fell back


@dataclass(frozen=True)
class Reply:
    """What the customer (or the agent copilot) gets back for one turn."""

    session: str
    case_id: str
    procedure: str
    step: StepId
    reply: str
    citations: tuple[dict[str, object], ...] = ()
    escalated: bool = False
    rails: tuple[dict[str, object], ...] = ()
    latency_ms: float = 0.0
    missing_slots: tuple[str, ...] = ()
    slots: dict[str, object] = field(default_factory=dict)  # canonical facts (bot.facts.public_slots)
    asks: tuple[str, ...] = ()  # the slot keys this reply asks for
    verified: tuple[str, ...] = ()  # the slot keys checked so far (never just stated)

    def to_json(self) -> dict[str, object]:
        """The ``csbot chat --json`` / REST shape."""
        data = asdict(self)
        data["asks"] = list(self.asks)
        data["verified"] = list(self.verified)
        data["citations"] = list(self.citations)
        data["rails"] = list(self.rails)
        data["missing_slots"] = list(self.missing_slots)
        data["latency_ms"] = round(self.latency_ms, 1)
        return data


@dataclass
class TurnTrace:
    """Everything decided during one turn, in order; the written record stores this (masked)."""

    masked_input: MaskedText | None = None
    input_flags: list[RailFlag] = field(default_factory=list)
    step_before: str | None = None
    step_after: str | None = None
    slots: dict[str, str] = field(default_factory=dict)
    passages: list[Passage] = field(default_factory=list)
    draft: Draft | None = None
    verdicts: list[RailVerdict] = field(default_factory=list)
    stage_ms: dict[str, float] = field(default_factory=dict)
    llm_facts: dict[str, object] | None = None  # bot.understand.assisted.Assist.public(), when an LLM read the message
