"""Named schema migrations: each store lists its steps, each step runs once and is recorded by name.

The records (``bot/records/migrations.py``), the vault (``guardrails/pii/vault.py``) and the web
tables (``bot/web``) each declare ``(name, step)`` pairs in order; :func:`migrate` applies those not
yet in the database's ``migrations`` table. Stores may share one database (``CSBOT_DB_URL`` holds the
records and the web tables, ``CSBOT_VAULT_DB_URL`` may point there too), so names are unique across
stores and every store uses the same table. A step is idempotent (``checkfirst``, ``IF NOT EXISTS``):
a database made before its store had migrations (bare ``create_all``) is upgraded by running them all.

It lives here, in the lowest layer that keeps a database, so the vault need not import the engine.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from sqlalchemy import Column, Connection, Engine, MetaData, String, Table, inspect, select, text
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

Step = tuple[str, Callable[[Connection], None]]

_metadata = MetaData()
migrations = Table(
    "migrations",
    _metadata,
    Column("name", String(64), primary_key=True),
    Column("applied_at", String(40), nullable=False),
)

_PG_LOCK = 7270001  # one lock for every store's migrations: they may share the database
_ATTEMPTS = 6
_lock = threading.Lock()
# What a database says when another process migrated the same tables a moment earlier (SQLite:
# "table ... already exists", "UNIQUE constraint failed: migrations.name"; PostgreSQL: a duplicate
# key in pg_type) or holds the schema lock (SQLite: "database is locked").
_LOST_RACE = ("already exists", "duplicate", "unique constraint failed", "database is locked")


def migrate(engine: Engine, steps: Sequence[Step]) -> list[str]:
    """Apply the steps not yet recorded, in order, in one transaction; return the names applied now.

    Safe when several threads or processes open the same database at once: threads take turns, and
    a process that lost a race to another is recognised by the database's message and tries again
    (it then finds the other's steps recorded). Any other error is raised at once.
    """
    for attempt in range(_ATTEMPTS):
        try:
            with _lock:
                return _apply(engine, steps)
        except (OperationalError, ProgrammingError, IntegrityError) as error:
            lost_race = any(words in str(error.orig).lower() for words in _LOST_RACE)
            if not lost_race or attempt == _ATTEMPTS - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")  # the last attempt returns or raises


def _apply(engine: Engine, steps: Sequence[Step]) -> list[str]:
    applied_now = []
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
        migrations.create(connection, checkfirst=True)
        done = {row.name for row in connection.execute(select(migrations.c.name))}
        for name, step in steps:
            if name in done:
                continue
            step(connection)
            connection.execute(migrations.insert().values(name=name, applied_at=datetime.now(UTC).isoformat()))
            applied_now.append(name)
    return applied_now


def applied(engine: Engine) -> list[str]:
    """The names recorded in the database, in the order they were applied."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("migrations"):
            return []
        rows = connection.execute(select(migrations.c.name).order_by(migrations.c.applied_at, migrations.c.name))
        return [row.name for row in rows]


def create_table(table: Table) -> Callable[[Connection], None]:
    """A first step: create ``table`` as declared, unless it exists (made by a bare ``create_all``)."""

    def step(connection: Connection) -> None:
        table.create(connection, checkfirst=True)

    return step
