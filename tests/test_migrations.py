"""Named migrations for the vault and the web tables: a database made the old way (a bare
``create_all``, before the stores had migrations) is upgraded in place and keeps its rows."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Connection, MetaData, create_engine, inspect, text
from sqlalchemy.exc import DBAPIError

from bot.records import RecordStore
from bot.web.auth import UserStore, users_table
from bot.web.lockout import LoginLockout
from bot.web.staff_sessions import StaffSessions
from guardrails.migrations import applied, migrate
from guardrails.pii.vault import MIGRATIONS as VAULT_MIGRATIONS
from guardrails.pii.vault import Vault

KEY = b"v" * 32
# The vault as the first releases made it: no chain columns on the audit trail, no triggers.
OLD_VAULT = (
    "CREATE TABLE vault_entries (id INTEGER PRIMARY KEY, conversation_id VARCHAR(128) NOT NULL, "
    "placeholder VARCHAR(64) NOT NULL, entity_type VARCHAR(32) NOT NULL, nonce BLOB NOT NULL, "
    "ciphertext BLOB NOT NULL, created_at DATETIME NOT NULL, "
    "CONSTRAINT uq_vault_entry UNIQUE (conversation_id, placeholder))",
    "CREATE INDEX ix_vault_entries_conversation_id ON vault_entries (conversation_id)",
    "CREATE TABLE vault_audit (id INTEGER PRIMARY KEY, conversation_id VARCHAR(128) NOT NULL, "
    "placeholder VARCHAR(64), entity_type VARCHAR(32), action VARCHAR(16) NOT NULL, actor VARCHAR(128) NOT NULL, "
    "reason TEXT NOT NULL, at DATETIME NOT NULL)",
)


def _old_vault(url: str) -> None:
    """An old vault holding one encrypted phone number and one (unchained) reveal."""
    nonce = os.urandom(12)
    ciphertext = AESGCM(KEY).encrypt(nonce, b"13800138000", "c1\x1f[手机号1]".encode())
    engine = create_engine(url)
    with engine.begin() as connection:
        for statement in OLD_VAULT:
            connection.exec_driver_sql(statement)
        connection.execute(
            text(
                "INSERT INTO vault_entries (conversation_id, placeholder, entity_type, nonce, ciphertext, created_at) "
                "VALUES ('c1', '[手机号1]', 'PHONE', :nonce, :ciphertext, :at)"
            ),
            {"nonce": nonce, "ciphertext": ciphertext, "at": datetime.now(UTC)},
        )
        connection.execute(
            text(
                "INSERT INTO vault_audit (conversation_id, placeholder, entity_type, action, actor, reason, at) "
                "VALUES ('c1', '[手机号1]', 'PHONE', 'reveal', 'agent', '核对订单', :at)"
            ),
            {"at": datetime.now(UTC)},
        )
    engine.dispose()


def test_when_an_old_vault_is_opened_then_it_is_migrated_and_keeps_its_values(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'vault.db'}"
    _old_vault(url)
    engine = create_engine(url)
    vault = Vault(engine, KEY)
    assert applied(engine) == ["vault_m001_tables", "vault_m002_audit_chain"]
    assert {"prev_hash", "hash"} <= {c["name"] for c in inspect(engine).get_columns("vault_audit")}
    assert vault.reveal("c1", "[手机号1]", actor="质检员", reason="复核") == "13800138000"
    report = vault.verify_audit()
    assert report.ok and report.unchained == 1 and report.checked == 1  # the old reveal is counted, not checked
    with pytest.raises(DBAPIError, match="insert-only"), engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM vault_audit")
    assert Vault(engine, KEY) is not None and migrate(engine, VAULT_MIGRATIONS) == []  # each step once


def test_when_an_old_users_database_is_opened_then_its_tables_are_migrated_and_its_staff_can_log_in(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'users.db'}")
    old = MetaData()
    users_table.to_metadata(old).create(engine)  # what UserStore's bare create_all made
    with engine.begin() as connection:
        connection.execute(
            users_table.insert().values(
                name="li.na",
                role="agent",
                password_hash=PasswordHasher().hash("Qz7!mango-river"),
                created_at=datetime.now(UTC),
            )
        )
    store = UserStore(engine)
    LoginLockout(engine)
    StaffSessions(engine, max_age_s=3600)
    assert store.authenticate("li.na", "Qz7!mango-river") is not None
    assert applied(engine) == [
        "web_users_m001_create",
        "web_login_failures_m001_create",
        "web_staff_sessions_m001_create",
    ]
    UserStore(engine)
    assert len(applied(engine)) == 3


def test_stores_sharing_one_database_record_their_migrations_side_by_side(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'one.db'}"
    RecordStore(url).close()
    engine = create_engine(url)
    Vault(engine, KEY)
    UserStore(engine)
    names = applied(engine)
    assert names[:5] == [
        "m001_initial",
        "m002_insert_only_guards",
        "m003_chained_case_state",
        "m004_idempotency",
        "m005_open_cases_index",
    ]
    assert names[5:] == ["vault_m001_tables", "vault_m002_audit_chain", "web_users_m001_create"]
    assert {"records", "vault_entries", "vault_audit", "web_users"} <= set(inspect(engine).get_table_names())


def test_when_a_step_fails_then_the_run_records_nothing_and_the_next_run_applies_it_again(tmp_path: Path) -> None:
    """(SQLite commits DDL at once, so steps are written to be run again: IF NOT EXISTS, checkfirst.)"""
    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}")

    def first(connection: Connection) -> None:
        connection.exec_driver_sql("CREATE TABLE IF NOT EXISTS first_step (id INTEGER)")

    def broken(connection: Connection) -> None:
        connection.exec_driver_sql("CREATE TABLE broken_step (id INTEGER")

    with pytest.raises(DBAPIError):
        migrate(engine, [("x_m001_first", first), ("x_m002_broken", broken)])
    assert applied(engine) == []
    assert migrate(engine, [("x_m001_first", first)]) == ["x_m001_first"]
