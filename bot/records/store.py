"""The written-record store: append one hash-chained record per exchange, verify, list, export.

Writers are serialised (SQLite ``BEGIN IMMEDIATE``; PostgreSQL an advisory transaction lock) so
that several app processes extend one chain without forking it. A record and the case state it
produced are written in the same transaction: either both are there or neither is.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, Engine, Select, create_engine, event, literal_column, or_, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from bot.records import models
from bot.records.chain import envelope
from bot.records.migrations import migrate
from guardrails.hash_chain import GENESIS, canonical, record_hash

_PG_CHAIN_LOCK = 7270002
CLOSING_STEP = "record"  # the procedures' last step: the case is closed and its 书面记录 formed


class CaseConflict(RuntimeError):
    """Another process changed this case since it was loaded; the turn should be run again."""


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad: int | None = None
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "checked": self.checked, "first_bad": self.first_bad, "reason": self.reason}


@dataclass(frozen=True)
class CaseSummary:
    case_id: str
    session: str
    procedure: str
    step: str
    escalated: bool
    updated_at: str
    turns: int


@dataclass(frozen=True)
class CaseListing:
    """A case as the records search sees it: its summary, when it was opened and its (masked) facts."""

    summary: CaseSummary
    opened_at: str
    slots: dict[str, Any]


@dataclass(frozen=True)
class StoredCase:
    state: dict[str, Any]
    version: int


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class RecordStore:
    """Insert-only, hash-chained records plus the mutable ``cases`` table, in one database."""

    def __init__(self, url: str, timezone: str | None = None) -> None:
        self.url = url
        self.timezone = timezone  # the zone exports show times in (CSBOT_RECORD_TIMEZONE); None: the default
        self.engine = make_engine(url)
        self.on_close: Callable[[RecordStore], None] | None = None  # set by whoever anchors the chain
        migrate(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    # --- writing -------------------------------------------------------------------------------
    def append(
        self,
        *,
        session: str,
        case_id: str,
        actor: str,
        kind: str,
        body: Mapping[str, Any],
        case_state: Mapping[str, Any] | None = None,
        expected_version: int | None = None,
        idempotency: tuple[str, Mapping[str, Any]] | None = None,
    ) -> int:
        """Append one record (and save the case state) in one transaction; return the record id.

        The case state goes into the record too, inside its hash, so what an export states can be
        checked against the chain. ``idempotency`` (key, reply) stores the reply for a replay in the
        same transaction; a key already used for this session raises ``CaseConflict``.
        """
        seq = self._append(session, case_id, actor, kind, body, case_state, expected_version, idempotency)
        if self.on_close is not None and (kind == "end" or (case_state or {}).get("step") == CLOSING_STEP):
            self.on_close(self)  # a signed checkpoint of the head, outside this database
        return seq

    def _append(
        self,
        session: str,
        case_id: str,
        actor: str,
        kind: str,
        body: Mapping[str, Any],
        case_state: Mapping[str, Any] | None,
        expected_version: int | None,
        idempotency: tuple[str, Mapping[str, Any]] | None,
    ) -> int:
        with self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_CHAIN_LOCK})
            if case_state is not None:
                self._save_case(connection, case_state, expected_version)
            head = connection.execute(select(models.chain_head.c.seq, models.chain_head.c.hash)).first()
            seq, prev = (head.seq + 1, head.hash) if head else (1, GENESIS)
            created_at = _now()
            content = json.loads(canonical(dict(body)))
            state = None if case_state is None else json.loads(canonical(dict(case_state)))
            digest = record_hash(prev, envelope(seq, created_at, session, case_id, actor, kind, content, state))
            connection.execute(
                models.records.insert().values(
                    id=seq,
                    created_at=created_at,
                    session=session,
                    case_id=case_id,
                    actor=actor,
                    kind=kind,
                    body=canonical(content),
                    prev_hash=prev,
                    hash=digest,
                    state=None if state is None else canonical(state),
                )
            )
            if idempotency is not None:
                self._save_reply(connection, session, seq, created_at, idempotency)
            if head:
                connection.execute(models.chain_head.update().values(seq=seq, hash=digest))
            else:
                connection.execute(models.chain_head.insert().values(id=1, seq=seq, hash=digest))
            return seq

    @staticmethod
    def _save_reply(
        connection: Connection, session: str, seq: int, at: str, idempotency: tuple[str, Mapping[str, Any]]
    ) -> None:
        key, reply = idempotency
        values = {"session": session, "key": key, "record_id": seq, "reply": canonical(dict(reply)), "created_at": at}
        try:
            with connection.begin_nested():
                connection.execute(models.idempotency.insert().values(**values))
        except IntegrityError as error:  # the same key's turn was recorded meanwhile (another process)
            raise CaseConflict(f"idempotency key already used in session {session}") from error

    def stored_reply(self, session: str, key: str) -> dict[str, Any] | None:
        """The reply already given to this session's ``Idempotency-Key``, or None."""
        table = models.idempotency
        with self.engine.connect() as connection:
            row = connection.execute(
                select(table.c.reply).where(table.c.session == session, table.c.key == key)
            ).first()
        return None if row is None else dict(json.loads(row.reply))

    def _save_case(self, connection: Connection, state: Mapping[str, Any], expected_version: int | None) -> None:
        table, now = models.cases, _now()
        values = {
            "session": state["session"],
            "procedure": state["procedure"],
            "step": state["step"],
            "escalated": bool(state.get("escalated")),
            "turns": int(state.get("turns", 0)) + int(state.get("blocked", 0)),  # customer messages received
            "state": canonical(dict(state)),
            "updated_at": now,
        }
        if expected_version is None:
            try:
                with connection.begin_nested():
                    connection.execute(
                        table.insert().values(case_id=state["case_id"], version=1, created_at=now, **values)
                    )
            except IntegrityError as error:  # a case id collision or a race to open this session's case
                raise CaseConflict(f"case {state['case_id']} already exists") from error
            return
        result = connection.execute(
            table.update()
            .where(table.c.case_id == state["case_id"], table.c.version == expected_version)
            .values(version=expected_version + 1, **values)
        )
        if result.rowcount != 1:
            raise CaseConflict(f"case {state['case_id']} changed concurrently")

    # --- reading -------------------------------------------------------------------------------
    def load_case(self, session: str) -> StoredCase | None:
        """The latest case of a session (state and version), or None for a new session."""
        table = models.cases
        query = select(table.c.state, table.c.version).where(table.c.session == session)
        with self.engine.connect() as connection:
            row = connection.execute(query.order_by(table.c.created_at.desc()).limit(1)).first()
        return None if row is None else StoredCase(json.loads(row.state), row.version)

    def case_state(self, case_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(models.cases.c.state).where(models.cases.c.case_id == case_id)).first()
        return None if row is None else json.loads(row.state)

    def cases(self) -> list[CaseSummary]:
        table = models.cases
        with self.engine.connect() as connection:
            rows = connection.execute(select(*summary_columns()).order_by(table.c.updated_at.desc())).all()
        return [CaseSummary(*row) for row in rows]

    def case_exists(self, case_id: str) -> bool:
        """Whether a case with this number was ever opened (one primary-key lookup)."""
        with self.engine.connect() as connection:
            found = connection.execute(select(models.cases.c.case_id).where(models.cases.c.case_id == case_id))
            return found.first() is not None

    def open_cases(self) -> list[CaseSummary]:
        """Cases not yet at the closing step that hold a conversation (a message, or a hand-over),
        escalated first, then most recently updated first; read through the m005 partial index."""
        with self.engine.connect() as connection:
            rows = connection.execute(open_cases_query()).all()
        return [CaseSummary(*row) for row in rows]

    def case_listings(self, opened_from: str | None = None, opened_before: str | None = None) -> list[CaseListing]:
        """Cases opened in [opened_from, opened_before) (UTC ISO bounds, either open), newest update first."""
        table = models.cases
        query = select(*summary_columns(), table.c.created_at, table.c.state).order_by(table.c.updated_at.desc())
        if opened_from is not None:
            query = query.where(table.c.created_at >= opened_from)
        if opened_before is not None:
            query = query.where(table.c.created_at < opened_before)
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return [
            CaseListing(CaseSummary(*row[:7]), row.created_at, dict(json.loads(row.state).get("slots") or {}))
            for row in rows
        ]

    def _rows(self, where: Any = None) -> Iterator[dict[str, Any]]:
        query = select(models.records).order_by(models.records.c.id)
        if where is not None:
            query = query.where(where)
        with self.engine.connect() as connection:
            for row in connection.execute(query):
                item = dict(row._mapping)
                item["body"] = json.loads(item["body"])
                item["state"] = None if item.get("state") is None else json.loads(item["state"])
                yield item

    def dump(self) -> Iterator[dict[str, Any]]:
        return self._rows()

    def for_case(self, case_id: str) -> list[dict[str, Any]]:
        return list(self._rows(models.records.c.case_id == case_id))

    def for_session(self, session: str) -> list[dict[str, Any]]:
        return list(self._rows(models.records.c.session == session))

    # --- verifying -----------------------------------------------------------------------------
    def verify(self) -> VerifyResult:
        """Re-hash every record in order; name the first whose content, link or position is wrong."""
        prev, expected_seq, checked = GENESIS, 1, 0
        snapshots: dict[str, tuple[int, str]] = {}  # case -> (record id, state) of its last chained snapshot
        query = select(models.records).order_by(models.records.c.id)
        with self.engine.connect() as connection:
            for row in connection.execute(query):
                checked += 1
                if row.id != expected_seq:
                    return VerifyResult(False, checked, row.id, f"record {expected_seq} is missing")
                if row.prev_hash != prev:
                    return VerifyResult(False, checked, row.id, "previous-hash link broken")
                try:
                    body = json.loads(row.body)
                except ValueError:
                    return VerifyResult(False, checked, row.id, "body is not valid JSON")
                try:
                    state = None if row.state is None else json.loads(row.state)
                except ValueError:
                    return VerifyResult(False, checked, row.id, "case state is not valid JSON")
                fields = (row.id, row.created_at, row.session, row.case_id, row.actor, row.kind, body, state)
                if record_hash(prev, envelope(*fields)) != row.hash:
                    return VerifyResult(False, checked, row.id, "content does not match its hash")
                if state is not None:
                    snapshots[row.case_id] = (row.id, row.state)
                prev, expected_seq = row.hash, expected_seq + 1
            head = connection.execute(select(models.chain_head.c.seq, models.chain_head.c.hash)).first()
            live = connection.execute(select(models.cases.c.case_id, models.cases.c.state)).all()
        if head is not None and (head.seq != expected_seq - 1 or head.hash != prev):
            return VerifyResult(False, checked, head.seq, "records after the last one present were removed")
        for case_id, state_json in live:
            if case_id in snapshots and _same_json(state_json, snapshots[case_id][1]) is False:
                seq = snapshots[case_id][0]
                return VerifyResult(False, checked, seq, f"cases.state of {case_id} differs from its chained snapshot")
        return VerifyResult(True, checked)

    def export(self, case_id: str, fmt: Literal["md", "html"]) -> str:
        from bot.records.export import render_case

        rows = self.for_case(case_id)
        if not rows:
            raise KeyError(f"no records for case {case_id}")
        return render_case(case_id, rows, chained_state(rows), fmt, self.timezone)


def summary_columns() -> tuple[ColumnElement[Any], ...]:
    """The columns of a ``CaseSummary``, in its field order."""
    table = models.cases
    return (
        table.c.case_id,
        table.c.session,
        table.c.procedure,
        table.c.step,
        table.c.escalated,
        table.c.updated_at,
        table.c.turns,
    )


def open_cases_query() -> Select[Any]:
    """Open cases holding a conversation, escalated first, newest first (see ``RecordStore.open_cases``)."""
    table = models.cases
    # a literal, not a bound parameter: SQLite uses a partial index only when it sees the index's WHERE
    still_open = table.c.step != literal_column(f"'{CLOSING_STEP}'")
    return (
        select(*summary_columns())
        .where(still_open, or_(table.c.turns > 0, table.c.escalated))  # a consent alone is no conversation
        .order_by(table.c.escalated.desc(), table.c.updated_at.desc())
    )


def chained_state(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The case state of the last record that carries one: what an export states comes from the chain.

    Records written before m003 carry none; such a case's export shows no facts rather than the
    unchained ``cases`` column.
    """
    states = [row["state"] for row in rows if row.get("state") is not None]
    return states[-1] if states else None


def _same_json(left: str, right: str) -> bool:
    try:
        return bool(json.loads(left) == json.loads(right))
    except ValueError:
        return False
