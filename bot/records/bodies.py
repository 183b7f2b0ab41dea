"""The typed body of a written record, and the one transcript every reader builds from records.

A record's ``body`` column holds canonical JSON. Writers build a ``TurnRecord`` (an exchange: a
customer turn, a blocked message, an agent's reply, a hand-over) or an ``EventRecord`` (consent,
end, erasure) and store ``to_body()``; readers go through ``read_body`` or ``transcript``.

Records are insert-only and hash-chained, so a body once written is never rewritten: bodies from
before ``body_version`` existed read as version 0, and keys a reader does not know are kept
(``extra="allow"``), never dropped or refused. ``to_body`` leaves out what the writer did not set,
so a blocked message's record has no ``steps_entered`` just as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

BODY_VERSION = 1  # 0: bodies written before the version was recorded (same keys, untyped)
# case events (take…note: bot/ownership.py); every other kind is an exchange
VERIFY = "verify"  # an agent confirmed facts as verified (bot/verification.py)
EVENT_KINDS = frozenset({"consent", "end", "erasure", "take", "release", "note", "satisfaction", "attachment", VERIFY})
MessageActor = Literal["customer", "bot", "agent"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    body_version: int = 0
    step_before: str | None = None
    step_after: str | None = None

    def to_body(self) -> dict[str, Any]:
        """The JSON object stored in the record: what the writer set, nothing defaulted in."""
        return self.model_dump(mode="json", exclude_unset=True)


class MaskChangeRecord(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    type: str = ""
    start: int = 0
    end: int = 0
    operator: str = ""
    replacement: str = ""


class DraftRecord(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    text: str | None = None  # masked a second time: an untrusted drafter may have written personal data
    drafter: str | None = None
    notes: list[str] = []


class ClassificationRecord(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    procedure: str = ""
    matched: list[str] = []


class TurnRecord(_Body):
    """One exchange, masked: what came in, what every stage decided, what went out."""

    time: str | None = None
    procedure: str | None = None
    procedure_name: str | None = None
    response_time: dict[str, Any] = {}
    masked_text: str | None = None  # the customer's message after masking (None: no customer text)
    mask_changes: list[MaskChangeRecord] = []
    input_notes: list[str] = []
    input_flags: list[dict[str, Any]] = []  # guardrails.types.RailFlag.public()
    slots: dict[str, Any] = {}
    sources: list[dict[str, Any]] = []  # retrieved passages: label, score and citation
    cited: list[dict[str, Any]] = []
    draft: DraftRecord | None = None
    verdicts: list[dict[str, Any]] = []  # guardrails.types.RailVerdict.public() and its duration
    changed_by_rails: bool = False
    reply: str | None = None
    drafter: str | None = None
    escalated: bool = False
    latency_ms: float = 0.0
    stage_ms: dict[str, float] = {}
    agent_id: str | None = None  # set when an agent wrote the reply
    llm_facts: dict[str, Any] | None = None  # facts an LLM proposed: kept, dropped (with why), fallback reason
    # what the procedure step decided; absent on a blocked message (the case did not move)
    steps_entered: list[str] = []
    missing_slots: list[str] = []
    substep: str | None = None
    remedies: list[str] = []
    escalated_now: bool = False
    escalation_reason: str | None = None
    classification: ClassificationRecord | None = None
    switched_from: str | None = None


class EventRecord(_Body):
    """A case event beside the exchanges: consent to the privacy notice, an end, an erasure, an agent's
    verification of facts."""

    notice_version: str | None = None
    channel: str | None = None
    ended_by: str | None = None
    agent_id: str | None = None
    erased_values: int | None = None
    reason: str | None = None
    facts: list[dict[str, Any]] | None = None  # verify: key, label, value (masked) and when, per fact


def read_body(kind: str, body: Mapping[str, Any]) -> TurnRecord | EventRecord:
    """A stored body, typed by its record's kind; any version reads."""
    model = EventRecord if kind in EVENT_KINDS else TurnRecord
    return model.model_validate(dict(body))


def read_turn(body: Mapping[str, Any]) -> TurnRecord:
    return TurnRecord.model_validate(dict(body))


@dataclass(frozen=True)
class Message:
    """One line of the conversation as the customer and the agent saw it (masked text).

    ``seq`` is the record's chain position: a reader that has seen up to N asks for what comes after N.
    A customer message and the reply to it share their record, so they share ``seq``.
    """

    seq: int
    actor: MessageActor
    text: str
    time: str
    agent_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        line: dict[str, Any] = {"seq": self.seq, "time": self.time, "actor": self.actor, "text": self.text}
        if self.agent_id is not None:
            line["agent_id"] = self.agent_id
        return line


def messages_of(row: Mapping[str, Any]) -> list[Message]:
    """The messages one record holds: the customer's (when there was text) and the reply (bot or agent)."""
    created = row["created_at"]
    seq, at = int(row["id"]), created.isoformat() if isinstance(created, datetime) else str(created)
    if row["kind"] == "attachment":  # a file the customer sent: a line of theirs (the file is kept apart)
        from bot.customer_events import attachment_line

        return [Message(seq, "customer", attachment_line(row["body"]), at)]
    if row["kind"] in EVENT_KINDS:
        return []
    body = read_turn(row["body"])
    found = []
    if body.masked_text and row["actor"] == "customer":
        found.append(Message(seq, "customer", body.masked_text, at))
    if body.reply:
        actor: MessageActor = "agent" if body.agent_id else "bot"
        found.append(Message(seq, actor, body.reply, at, body.agent_id))
    return found


def transcript(rows: Iterable[Mapping[str, Any]], after: int = 0) -> list[Message]:
    """The conversation in records ``rows`` (chain order), oldest first; only records after ``after``."""
    return [message for row in rows if int(row["id"]) > after for message in messages_of(row)]
