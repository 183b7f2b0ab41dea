"""Named schema migrations (m001_initial, m002_…), applied once each and recorded in ``migrations``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, inspect, text

from bot.records import models

OPEN_CASES_INDEX = "ix_cases_open"
_SQLITE_GUARDS = (
    "CREATE TRIGGER IF NOT EXISTS records_no_update BEFORE UPDATE ON records "
    "BEGIN SELECT RAISE(ABORT, 'records are insert-only'); END",
    "CREATE TRIGGER IF NOT EXISTS records_no_delete BEFORE DELETE ON records "
    "BEGIN SELECT RAISE(ABORT, 'records are insert-only'); END",
)
_PG_GUARDS = (
    "CREATE OR REPLACE FUNCTION csbot_records_insert_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'records are insert-only'; END; $$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS records_insert_only ON records",
    "CREATE TRIGGER records_insert_only BEFORE UPDATE OR DELETE ON records "
    "FOR EACH ROW EXECUTE FUNCTION csbot_records_insert_only()",
)


def m001_initial(connection: Connection) -> None:
    for table in (models.records, models.chain_head, models.cases):  # records as of today (with m003's column)
        table.create(connection, checkfirst=True)


def m002_insert_only_guards(connection: Connection) -> None:
    """Refuse UPDATE/DELETE on records in the database itself (the chain still catches whoever drops this)."""
    statements = _SQLITE_GUARDS if connection.dialect.name == "sqlite" else _PG_GUARDS
    if connection.dialect.name not in ("sqlite", "postgresql"):
        return
    for statement in statements:
        connection.exec_driver_sql(statement)


def m003_chained_case_state(connection: Connection) -> None:
    """Each record carries the case state it left behind, inside its hash: an edit of ``cases.state``
    (what the export's facts and outcome used to come from) no longer goes unnoticed."""
    columns = {column["name"] for column in inspect(connection).get_columns("records")}
    if "state" not in columns:
        connection.exec_driver_sql("ALTER TABLE records ADD COLUMN state TEXT")


def m004_idempotency(connection: Connection) -> None:
    """Replies already given to an ``Idempotency-Key``, written with the turn's record."""
    models.idempotency.create(connection, checkfirst=True)


def m005_open_cases_index(connection: Connection) -> None:
    """The agents' queue reads open cases (not yet at the closing step) escalated first, newest first:
    a partial index over exactly those, so the queue no longer reads every case ever opened."""
    connection.exec_driver_sql(
        f"CREATE INDEX IF NOT EXISTS {OPEN_CASES_INDEX} ON cases (escalated, updated_at) WHERE step <> 'record'"
    )


MIGRATIONS: tuple[tuple[str, Callable[[Connection], None]], ...] = (
    ("m001_initial", m001_initial),
    ("m002_insert_only_guards", m002_insert_only_guards),
    ("m003_chained_case_state", m003_chained_case_state),
    ("m004_idempotency", m004_idempotency),
    ("m005_open_cases_index", m005_open_cases_index),
)


def migrate(engine: Engine) -> list[str]:
    """Apply the migrations not yet recorded; return the names applied now."""
    applied_now = []
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(7270001)"))
        models.migrations.create(connection, checkfirst=True)
        done = {row[0] for row in connection.execute(models.migrations.select())}
        for name, step in MIGRATIONS:
            if name in done:
                continue
            step(connection)
            connection.execute(models.migrations.insert().values(name=name, applied_at=datetime.now(UTC).isoformat()))
            applied_now.append(name)
    return applied_now


def table_names(engine: Engine) -> list[str]:
    return inspect(engine).get_table_names()
