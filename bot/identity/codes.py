"""One-time codes, stored only as a keyed hash (HMAC-SHA256 with a key kept in ``CSBOT_HOME/keys``),
with an expiry and a number of tries left; at most one code per case (a new one replaces the old).

The table lives apart from the hash-chained records (a code's hash must be forgettable; the records
never forget): in ``CSBOT_IDENTITY_DB_URL``, by default the records' PostgreSQL database when one is
set (every host sees the same codes) or SQLite in ``CSBOT_HOME/identity.db``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, create_engine, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from guardrails.migrations import Step, migrate

PENDING, VERIFIED, FAILED = "pending", "verified", "failed"

_metadata = MetaData()
codes = Table(
    "identity_codes",
    _metadata,
    Column("case_id", String(40), primary_key=True),
    Column("digest", String(64), nullable=False),  # HMAC-SHA256 of case id and code, never the code
    Column("recipient", String(40), nullable=False),  # the address's placeholder ([手机号1]), never the address
    Column("expires_at", String(40), nullable=False),
    Column("attempts_left", Integer, nullable=False),
    Column("sends", Integer, nullable=False),
    Column("status", String(16), nullable=False),
)


def m001_codes(connection: Connection) -> None:
    codes.create(connection, checkfirst=True)


MIGRATIONS: tuple[Step, ...] = (("identity_m001_codes", m001_codes),)


class Check(Enum):
    """What checking a typed code found."""

    RIGHT = "right"
    WRONG = "wrong"  # tries are left
    EXHAUSTED = "exhausted"  # that was the last try
    EXPIRED = "expired"
    NONE = "none"  # no code was sent in this case, or it can no longer be used


@dataclass(frozen=True)
class Checked:
    result: Check
    left: int = 0


@dataclass(frozen=True)
class Issued:
    code: str
    sends: int  # how many codes this case has been sent, this one included


def new_code(digits: int) -> str:
    return f"{secrets.randbelow(10**digits):0{digits}d}"


class CodeStore:
    def __init__(self, url: str, key: bytes, *, digits: int, ttl: timedelta, attempts: int) -> None:
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(url)
        self._key = key
        self.digits, self.ttl, self.attempts = digits, ttl, attempts
        migrate(self.engine, MIGRATIONS)

    def close(self) -> None:
        self.engine.dispose()

    def _digest(self, case_id: str, code: str) -> str:
        return hmac.new(self._key, f"{case_id}\x1f{code}".encode(), hashlib.sha256).hexdigest()

    def _row(self, connection: Connection, case_id: str, lock: bool = False) -> Any:
        query = select(codes).where(codes.c.case_id == case_id)
        return connection.execute(query.with_for_update() if lock else query).first()

    def issue(self, case_id: str, recipient: str, now: datetime) -> Issued:
        """A fresh code for the case (the previous one, if any, stops working); returns it once."""
        code = new_code(self.digits)
        with self.engine.begin() as connection:
            row = self._row(connection, case_id, lock=True)
            sends = (row.sends if row else 0) + 1
            values = {
                "digest": self._digest(case_id, code),
                "recipient": recipient,
                "expires_at": (now + self.ttl).isoformat(),
                "attempts_left": self.attempts,
                "sends": sends,
                "status": PENDING,
            }
            insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
            statement = insert(codes).values(case_id=case_id, **values)
            connection.execute(statement.on_conflict_do_update(index_elements=[codes.c.case_id], set_=values))
        return Issued(code, sends)

    def sends(self, case_id: str) -> int:
        with self.engine.connect() as connection:
            row = self._row(connection, case_id)
        return int(row.sends) if row else 0

    def recipient(self, case_id: str) -> str | None:
        """The placeholder of the address the case's code went to."""
        with self.engine.connect() as connection:
            row = self._row(connection, case_id)
        return str(row.recipient) if row else None

    def status(self, case_id: str) -> str | None:
        """pending / verified / failed, or None when no code was ever sent in this case."""
        with self.engine.connect() as connection:
            row = self._row(connection, case_id)
        return str(row.status) if row else None

    def _set(self, connection: Connection, case_id: str, **values: object) -> None:
        connection.execute(update(codes).where(codes.c.case_id == case_id).values(**values))

    def check(self, case_id: str, code: str, now: datetime) -> Checked:
        """Compare a typed code with the case's; every wrong try uses one of the tries left."""
        with self.engine.begin() as connection:
            row = self._row(connection, case_id, lock=True)
            if row is None:
                return Checked(Check.NONE)
            right = hmac.compare_digest(row.digest, self._digest(case_id, code))
            if row.status == VERIFIED:  # a turn run again after a lost race sees its own success
                return Checked(Check.RIGHT if right else Check.NONE)
            if row.status != PENDING:
                return Checked(Check.NONE)
            if now >= datetime.fromisoformat(row.expires_at):
                self._set(connection, case_id, status=FAILED)
                return Checked(Check.EXPIRED)
            if right:
                self._set(connection, case_id, status=VERIFIED)
                return Checked(Check.RIGHT)
            left = int(row.attempts_left) - 1
            self._set(connection, case_id, attempts_left=left, status=PENDING if left > 0 else FAILED)
            return Checked(Check.WRONG, left) if left > 0 else Checked(Check.EXHAUSTED)

    def withdraw(self, case_id: str) -> None:
        """The code could not be sent: it never works, and the case goes to a human."""
        with self.engine.begin() as connection:
            self._set(connection, case_id, status=FAILED)
