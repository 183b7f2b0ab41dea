"""One-time codes, stored only as a keyed hash (HMAC-SHA256 with a key kept in ``CSBOT_HOME/keys``),
with an expiry and a number of tries left; at most one code per case (a new one replaces the old).

The table lives in ``CSBOT_HOME/identity.db``, apart from the hash-chained records: a code's hash
must be forgettable, and the records never forget.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from pathlib import Path

_SCHEMA = """
create table if not exists identity_codes (
  case_id text primary key, digest text not null, recipient text not null, expires_at text not null,
  attempts_left integer not null, sends integer not null, status text not null
);
"""
PENDING, VERIFIED, FAILED = "pending", "verified", "failed"


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
    def __init__(self, path: Path, key: bytes, *, digits: int, ttl: timedelta, attempts: int) -> None:
        self.path, self._key = path, key
        self.digits, self.ttl, self.attempts = digits, ttl, attempts
        with self._connect() as db:
            db.execute(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE): a read and the update it decides happen together."""
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        db.row_factory = sqlite3.Row
        try:
            db.execute("begin immediate")
            yield db
            db.execute("commit")
        except BaseException:
            db.execute("rollback")
            raise
        finally:
            db.close()

    def _digest(self, case_id: str, code: str) -> str:
        return hmac.new(self._key, f"{case_id}\x1f{code}".encode(), hashlib.sha256).hexdigest()

    def issue(self, case_id: str, recipient: str, now: datetime) -> Issued:
        """A fresh code for the case (the previous one, if any, stops working); returns it once."""
        code = new_code(self.digits)
        with self._connect() as db:
            row = db.execute("select sends from identity_codes where case_id = ?", (case_id,)).fetchone()
            sends = (row["sends"] if row else 0) + 1
            db.execute(
                "insert or replace into identity_codes values (?, ?, ?, ?, ?, ?, ?)",
                (
                    case_id,
                    self._digest(case_id, code),
                    recipient,
                    (now + self.ttl).isoformat(),
                    self.attempts,
                    sends,
                    PENDING,
                ),
            )
        return Issued(code, sends)

    def sends(self, case_id: str) -> int:
        with self._connect() as db:
            row = db.execute("select sends from identity_codes where case_id = ?", (case_id,)).fetchone()
        return int(row["sends"]) if row else 0

    def status(self, case_id: str) -> str | None:
        """pending / verified / failed, or None when no code was ever sent in this case."""
        with self._connect() as db:
            row = db.execute("select status from identity_codes where case_id = ?", (case_id,)).fetchone()
        return str(row["status"]) if row else None

    def check(self, case_id: str, code: str, now: datetime) -> Checked:
        """Compare a typed code with the case's; every wrong try uses one of the tries left."""
        with self._connect() as db:
            row = db.execute("select * from identity_codes where case_id = ?", (case_id,)).fetchone()
            if row is None:
                return Checked(Check.NONE)
            right = hmac.compare_digest(row["digest"], self._digest(case_id, code))
            if row["status"] == VERIFIED:  # a turn run again after a lost race sees its own success
                return Checked(Check.RIGHT if right else Check.NONE)
            if row["status"] != PENDING:
                return Checked(Check.NONE)
            if now >= datetime.fromisoformat(row["expires_at"]):
                db.execute("update identity_codes set status = ? where case_id = ?", (FAILED, case_id))
                return Checked(Check.EXPIRED)
            if right:
                db.execute("update identity_codes set status = ? where case_id = ?", (VERIFIED, case_id))
                return Checked(Check.RIGHT)
            left = int(row["attempts_left"]) - 1
            status = PENDING if left > 0 else FAILED
            db.execute(
                "update identity_codes set attempts_left = ?, status = ? where case_id = ?", (left, status, case_id)
            )
            return Checked(Check.WRONG, left) if left > 0 else Checked(Check.EXHAUSTED)

    def withdraw(self, case_id: str) -> None:
        """The code could not be sent: it never works, and the case goes to a human."""
        with self._connect() as db:
            db.execute("update identity_codes set status = ? where case_id = ?", (FAILED, case_id))
