"""The agents' queue: open conversations, escalated first, then the most recently active.

A conversation is open until its case reaches the written record (书面记录) or an agent ends it.
An agent ending a conversation is written into the case's hash-chained record (the evidence, shown
in the 书面记录); the ``web_closed`` table beside the staff users is the queue's quick index of it.
A session that has only a consent so far (no message, not escalated) is not yet in the queue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, MetaData, String, Table, create_engine, delete, insert, select

from bot.settings import Settings
from bot.types import STEP_NAMES_ZH
from bot.web.auth import users_url
from guardrails.migrations import Step, create_table, migrate

_metadata = MetaData()
closed_table = Table(
    "web_closed",
    _metadata,
    Column("session", String(80), primary_key=True),
    Column("closed_by", String(40), nullable=False),
    Column("closed_at", DateTime(timezone=True), nullable=False),
)
# Named migrations (guardrails/migrations.py): a database made by a bare create_all is upgraded in place.
_MIGRATIONS: tuple[Step, ...] = (("web_closed_m001_create", create_table(closed_table)),)


@dataclass(frozen=True)
class QueueRow:
    session: str
    case_id: str
    procedure: str
    step: str
    escalated: bool
    updated_at: str
    turns: int

    def label(self) -> str:
        flag = "【已升级】" if self.escalated else ""
        when = self.updated_at[5:16].replace("T", " ")
        return f"{flag}{self.case_id} · {STEP_NAMES_ZH.get(self.step, self.step)} · {when}"

    def to_json(self) -> dict[str, object]:
        return dict(self.__dict__)


def queue_row(case: Any) -> QueueRow:
    return QueueRow(
        session=case.session,
        case_id=case.case_id,
        procedure=case.procedure,
        step=case.step,
        escalated=bool(case.escalated),
        updated_at=str(case.updated_at),
        turns=int(case.turns),
    )


@dataclass(frozen=True)
class QueueFilter:
    """What the agent narrowed the queue to: words, a step, escalated only, whose cases."""

    text: str = ""
    step: str = ""  # a step id; "" for any
    escalated_only: bool = False
    owner: str = "all"  # all | mine | unassigned
    me: str = ""

    def needs_records(self) -> bool:
        return bool(self.text.strip()) or self.owner != "all"


def _searchable(bot: Any, row: QueueRow, records: list[dict[str, Any]]) -> str:
    procedure = bot.parts.engine.procedures.get(row.procedure)
    said = " ".join(str(r["body"].get("masked_text") or "") for r in records)  # masked: no personal data
    words = (row.case_id, row.procedure, getattr(procedure, "name", ""), STEP_NAMES_ZH.get(row.step, ""), said)
    return " ".join(words).lower()


def filter_rows(bot: Any, rows: list[QueueRow], wanted: QueueFilter) -> list[QueueRow]:
    """The queue rows that match every part of the filter, in queue order."""
    from bot.ownership import owner_in

    kept = []
    for row in rows:
        if (wanted.step and row.step != wanted.step) or (wanted.escalated_only and not row.escalated):
            continue
        if wanted.needs_records():
            records = bot.records.for_session(row.session)
            owner = owner_in(records)
            if (wanted.owner == "mine" and owner != wanted.me) or (wanted.owner == "unassigned" and owner):
                continue
            if wanted.text.strip() and wanted.text.strip().lower() not in _searchable(bot, row, records):
                continue
        kept.append(row)
    return kept


class QueueBook:
    """Reads open cases from the records and remembers which conversations agents have ended."""

    def __init__(self, bot: Any, settings: Settings, on_close: Callable[[str], None] | None = None) -> None:
        self._bot = bot
        self._on_close = on_close  # e.g. revoke the customer's tokens
        self._engine = create_engine(users_url(settings), future=True)
        migrate(self._engine, _MIGRATIONS)

    def matching(self, wanted: QueueFilter) -> list[QueueRow]:
        return filter_rows(self._bot, self.open_rows(), wanted)

    def open_rows(self) -> list[QueueRow]:
        with self._engine.connect() as conn:
            closed = {row.session for row in conn.execute(select(closed_table.c.session))}
        # open cases come escalated first, newest first (RecordStore.open_cases); minus those agents ended
        return [queue_row(case) for case in self._bot.records.open_cases() if case.session not in closed]

    def close(self, session: str, agent: str, reason: str | None = None) -> None:
        """End a conversation once: the record first (the source of truth), then the queue's index."""
        with self._engine.connect() as conn:
            exists = conn.execute(select(closed_table.c.session).where(closed_table.c.session == session)).first()
        if exists:
            return
        self._bot.end_conversation(session, agent, reason)
        with self._engine.begin() as conn:
            exists = conn.execute(select(closed_table.c.session).where(closed_table.c.session == session)).first()
            if not exists:
                conn.execute(insert(closed_table).values(session=session, closed_by=agent, closed_at=datetime.now(UTC)))
        if self._on_close is not None:
            self._on_close(session)

    def reopen(self, session: str) -> None:
        """The customer came back to an ended conversation: it is in the queue again (same case)."""
        with self._engine.begin() as conn:
            conn.execute(delete(closed_table).where(closed_table.c.session == session))
