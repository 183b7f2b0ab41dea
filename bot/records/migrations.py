"""The records' named schema migrations (m001_initial, m002_…), applied once each by ``guardrails.migrations``."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine, inspect

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
    from guardrails.migrations import migrate as run_migrations  # the runner the vault and web tables share

    return run_migrations(engine, MIGRATIONS)
