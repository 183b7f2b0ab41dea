"""Tables of the records database. ``records`` is insert-only; ``cases`` holds each case's current
state so any app process can continue any session (the records remain the evidence)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table, Text

metadata = MetaData()

migrations = Table(
    "migrations",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("applied_at", String(40), nullable=False),
)

records = Table(
    "records",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # chain position, 1, 2, 3 …
    Column("created_at", String(40), nullable=False),
    Column("session", String(80), nullable=False, index=True),
    Column("case_id", String(40), nullable=False, index=True),
    Column("actor", String(16), nullable=False),
    Column("kind", String(24), nullable=False),
    Column("body", Text, nullable=False),  # canonical JSON, masked
    Column("prev_hash", String(64), nullable=False, unique=True),
    Column("hash", String(64), nullable=False, unique=True),
    Column("state", Text, nullable=True),  # m003: the case state after this record, canonical JSON, chained
)

chain_head = Table(
    "chain_head",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

cases = Table(
    "cases",
    metadata,
    Column("case_id", String(40), primary_key=True),
    Column("session", String(80), nullable=False, index=True),
    Column("procedure", String(64), nullable=False),
    Column("step", String(16), nullable=False),
    Column("escalated", Boolean, nullable=False, default=False),
    Column("turns", Integer, nullable=False, default=0),
    Column("state", Text, nullable=False),  # CaseState as canonical JSON (masked)
    Column("version", Integer, nullable=False, default=0),
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
)

idempotency = Table(
    "idempotency",
    metadata,
    Column("session", String(80), primary_key=True),
    Column("key", String(128), primary_key=True),
    Column("record_id", Integer, nullable=False),
    Column("reply", Text, nullable=False),  # the reply's JSON as first sent (masked as the reply was)
    Column("created_at", String(40), nullable=False),
)
