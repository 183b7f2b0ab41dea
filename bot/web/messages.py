"""The conversation as the customer sees it, numbered: what ``GET …/messages?after=SEQ`` and the widget show.

A message is one masked line of the transcript (the customer's text, the bot's or an agent's reply)
with ``seq``: its 1-based position in the session's conversation. Records are insert-only and read in
order, so a message keeps its number for good and ``after=SEQ`` returns exactly what is new.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from bot import handover
from bot.records.bodies import transcript

CLOSING_STEP = "record"


@dataclass(frozen=True)
class ChatLine:
    seq: int
    actor: str  # customer | bot | agent
    text: str  # masked, as the record keeps it and the customer's page shows it
    time: str  # ISO 8601

    def to_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Conversation:
    """Every message so far and where the conversation stands."""

    lines: tuple[ChatLine, ...]
    owner: handover.Owner  # bot | waiting (handed over, no agent yet) | agent
    closed: bool  # an agent ended it, or the case reached its written record
    rated: bool  # the customer answered the satisfaction question since it closed

    @property
    def last_seq(self) -> int:
        return self.lines[-1].seq if self.lines else 0

    def after(self, seq: int) -> tuple[ChatLine, ...]:
        return tuple(line for line in self.lines if line.seq > seq)


def lines_of(rows: Iterable[Mapping[str, Any]]) -> tuple[ChatLine, ...]:
    """The conversation as the customer's page shows it, from the one ``transcript``; ``seq`` numbers its
    messages from 1 within the session (the contract's cursor), not the records' chain ids."""
    return tuple(
        ChatLine(seq, message.actor, message.text, message.time)
        for seq, message in enumerate(transcript(list(rows)), start=1)
    )


def conversation(bot: Any, session: str) -> Conversation:
    rows = bot.records.for_session(session)
    ended = rated = False
    for row in rows:
        if row["kind"] == "end":
            ended, rated = True, False
        elif row["kind"] == "satisfaction":
            rated = True
        elif row["actor"] == "customer" and row["body"].get("masked_text"):
            ended = False  # a customer back after the end: the conversation is open again
    at_record = bool(rows) and rows[-1]["body"].get("step_after") == CLOSING_STEP
    return Conversation(lines_of(rows), handover.owner(rows), ended or at_record, rated)
