"""The vault's audit trail (every reveal and erasure) is insert-only and hash-chained like the records.

Each audit row's hash covers its content and the previous row's hash; the database itself refuses
UPDATE and DELETE on ``vault_audit`` (triggers on SQLite and PostgreSQL). ``verify_audit`` re-hashes
the trail and names the first row that disagrees. Rows written before the chain existed (no hash)
are counted, not checked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Table, inspect, select, text

from guardrails.hash_chain import GENESIS, record_hash

_PG_AUDIT_LOCK = 7270003
_SQLITE_GUARDS = (
    "CREATE TRIGGER IF NOT EXISTS vault_audit_no_update BEFORE UPDATE ON vault_audit "
    "BEGIN SELECT RAISE(ABORT, 'vault_audit is insert-only'); END",
    "CREATE TRIGGER IF NOT EXISTS vault_audit_no_delete BEFORE DELETE ON vault_audit "
    "BEGIN SELECT RAISE(ABORT, 'vault_audit is insert-only'); END",
)
_PG_GUARDS = (
    "CREATE OR REPLACE FUNCTION csbot_vault_audit_insert_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'vault_audit is insert-only'; END; $$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS vault_audit_insert_only ON vault_audit",
    "CREATE TRIGGER vault_audit_insert_only BEFORE UPDATE OR DELETE ON vault_audit "
    "FOR EACH ROW EXECUTE FUNCTION csbot_vault_audit_insert_only()",
)
FIELDS = ("conversation_id", "placeholder", "entity_type", "action", "actor", "reason")


@dataclass(frozen=True)
class AuditVerify:
    ok: bool
    checked: int
    unchained: int = 0
    first_bad: int | None = None
    reason: str = ""


def at_text(at: dt.datetime) -> str:
    """The time as hashed: UTC, no offset (SQLite gives the stored time back without one)."""
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds")


def _digest(prev: str, values: dict[str, Any]) -> str:
    content = {name: values.get(name) for name in FIELDS}
    content["at"] = at_text(values["at"])
    return record_hash(prev, content)


def guard(connection: Connection) -> None:
    """Add the chain columns to an older vault and install the insert-only triggers (idempotent).

    The vault's migration ``vault_m002_audit_chain``: it runs inside the migration's transaction.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_AUDIT_LOCK})
    columns = {column["name"] for column in inspect(connection).get_columns("vault_audit")}
    for name in ("prev_hash", "hash"):
        if name not in columns:
            connection.exec_driver_sql(f"ALTER TABLE vault_audit ADD COLUMN {name} VARCHAR(64)")
    connection.exec_driver_sql(
        "CREATE UNIQUE INDEX IF NOT EXISTS vault_audit_prev_hash ON vault_audit (prev_hash)"
    )  # two writers that read the same head cannot both link to it: one fails and retries
    if connection.dialect.name in ("sqlite", "postgresql"):
        for statement in _SQLITE_GUARDS if connection.dialect.name == "sqlite" else _PG_GUARDS:
            connection.exec_driver_sql(statement)


def append(connection: Connection, table: Table, values: dict[str, Any]) -> None:
    """Insert one audit row linked to the last one (inside the caller's transaction)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_AUDIT_LOCK})
    last = connection.execute(
        select(table.c.hash).where(table.c.hash.is_not(None)).order_by(table.c.id.desc()).limit(1)
    ).first()
    prev = GENESIS if last is None else str(last.hash)
    connection.execute(table.insert().values(**values, prev_hash=prev, hash=_digest(prev, values)))


def verify_audit(engine: Engine, table: Table) -> AuditVerify:
    prev, checked, unchained = GENESIS, 0, 0
    with engine.connect() as connection:
        for row in connection.execute(select(table).order_by(table.c.id)):
            if row.hash is None:
                if checked:
                    return AuditVerify(False, checked, unchained, row.id, "an unchained row after chaining began")
                unchained += 1
                continue
            checked += 1
            if row.prev_hash != prev:
                return AuditVerify(False, checked, unchained, row.id, "previous-hash link broken (a row removed?)")
            if _digest(prev, dict(row._mapping)) != row.hash:
                return AuditVerify(False, checked, unchained, row.id, "content does not match its hash")
            prev = row.hash
    return AuditVerify(True, checked, unchained)
