"""Per-account login lockout with back-off: guessing one staff password gets slower and slower.

After ``free_failures`` wrong passwords in a row (``ratelimits.yaml``) the account is locked for
``first_lock_s``, doubling with each further failure up to ``max_lock_s``; while locked, even the right
password is refused. A successful login clears the count. The counts live beside the staff users
(the same database for every app process), keyed by the name tried, whether or not it exists, so
the answer does not tell which names are real.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cache

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, delete, insert, select, update
from sqlalchemy.engine import Engine

from bot.web.ratelimit import lockout_table
from guardrails.migrations import Step, create_table, migrate

_metadata = MetaData()
failures_table = Table(
    "web_login_failures",
    _metadata,
    Column("name", String(40), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("locked_until", Float, nullable=False),
)
# Named migrations (guardrails/migrations.py): a database made by a bare create_all is upgraded in place.
_MIGRATIONS: tuple[Step, ...] = (("web_login_failures_m001_create", create_table(failures_table)),)


class LoginLockout:
    def __init__(self, engine: Engine, clock: Callable[[], float] = time.time) -> None:
        self._engine = engine
        self._clock = clock
        table = lockout_table()
        self.free_failures = table["free_failures"]
        self.first_lock_s = table["first_lock_s"]
        self.max_lock_s = table["max_lock_s"]
        migrate(engine, _MIGRATIONS)

    def locked_for(self, name: str) -> float:
        """Seconds the account stays locked (0.0: a password may be tried)."""
        with self._engine.connect() as conn:
            row = conn.execute(select(failures_table).where(failures_table.c.name == name[:40])).first()
        return max(0.0, float(row.locked_until) - self._clock()) if row else 0.0

    def failed(self, name: str) -> None:
        name = name[:40]
        with self._engine.begin() as conn:
            row = conn.execute(select(failures_table).where(failures_table.c.name == name)).first()
            count = (int(row.failures) if row else 0) + 1
            over = count - self.free_failures + 1  # the free_failures-th wrong password locks for first_lock_s
            until = self._clock() + min(self.max_lock_s, self.first_lock_s * 2 ** (over - 1)) if over > 0 else 0.0
            if row:
                conn.execute(
                    update(failures_table)
                    .where(failures_table.c.name == name)
                    .values(failures=count, locked_until=until)
                )
            else:
                conn.execute(insert(failures_table).values(name=name, failures=count, locked_until=until))

    def succeeded(self, name: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(delete(failures_table).where(failures_table.c.name == name[:40]))


@cache
def lockout_for(engine: Engine) -> LoginLockout:
    """One lockout per users database (its table is created once)."""
    return LoginLockout(engine)
