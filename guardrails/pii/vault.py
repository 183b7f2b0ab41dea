"""The reversible vault: placeholder -> value, encrypted with AES-256-GCM, in its own database.

Why separate from the written record: the record is insert-only and kept for years; personal data
must be erasable on request (个保法 第47条). The record only ever holds ``[手机号1]``; the vault
holds the value, encrypted with a key from the settings, bound to its conversation and placeholder
(associated data) so a ciphertext cannot be moved to another row. Every reveal needs an actor and
a reason and leaves an audit row (without the value); deleting a conversation erases its values
and leaves a deletion row.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    insert,
    select,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from guardrails.migrations import Step, migrate
from guardrails.pii import audit_chain

_metadata = MetaData()
entries = Table(
    "vault_entries",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", String(128), nullable=False, index=True),
    Column("placeholder", String(64), nullable=False),
    Column("entity_type", String(32), nullable=False),
    Column("nonce", LargeBinary(12), nullable=False),
    Column("ciphertext", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("conversation_id", "placeholder", name="uq_vault_entry"),
)
audit = Table(
    "vault_audit",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", String(128), nullable=False, index=True),
    Column("placeholder", String(64), nullable=True),
    Column("entity_type", String(32), nullable=True),
    Column("action", String(16), nullable=False),  # reveal | delete
    Column("actor", String(128), nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("prev_hash", String(64), nullable=True),  # chained (guardrails/pii/audit_chain.py); insert-only
    Column("hash", String(64), nullable=True),
)

_PLACEHOLDER = re.compile(r"\[[^\[\]\s]{1,12}?\d{1,6}\]")
_ATTEMPTS = 6
_audit_lock = threading.Lock()
T = TypeVar("T")


class VaultError(Exception):
    """A vault operation was refused (no reason given, unknown placeholder, wrong key)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Vault:
    """Encrypted placeholder -> value store with an audit trail of every reveal and deletion."""

    def __init__(self, engine: Engine, key: bytes) -> None:
        if len(key) != 32:
            raise VaultError("the vault key must be 32 bytes (AES-256)")
        self._engine = engine
        self._aead = AESGCM(key)
        create_tables(engine)

    @staticmethod
    def _aad(conversation_id: str, placeholder: str) -> bytes:
        return f"{conversation_id}\x1f{placeholder}".encode()

    def put(self, conversation_id: str, placeholder: str, entity_type: str, value: str) -> None:
        """Store a value once per (conversation, placeholder); later puts of the same pair are no-ops."""
        with self._engine.begin() as connection:
            exists = connection.execute(
                select(entries.c.id).where(
                    entries.c.conversation_id == conversation_id, entries.c.placeholder == placeholder
                )
            ).first()
            if exists is not None:
                return
            nonce = os.urandom(12)
            ciphertext = self._aead.encrypt(nonce, value.encode(), self._aad(conversation_id, placeholder))
            connection.execute(
                insert(entries).values(
                    conversation_id=conversation_id,
                    placeholder=placeholder,
                    entity_type=entity_type,
                    nonce=nonce,
                    ciphertext=ciphertext,
                    created_at=_now(),
                )
            )

    def reveal(self, conversation_id: str, placeholder: str, *, actor: str, reason: str) -> str:
        """Decrypt one value for an authorised person; the reveal is recorded before it is returned."""
        if not actor.strip() or not reason.strip():
            raise VaultError("a reveal needs the actor who asks and the reason why")
        reason = _masked_reason(reason)
        return _retried(lambda: self._reveal(conversation_id, placeholder, actor=actor, reason=reason))

    def _reveal(self, conversation_id: str, placeholder: str, *, actor: str, reason: str) -> str:
        with _audit_lock, self._engine.begin() as connection:  # one audit writer at a time links the chain
            where = (entries.c.conversation_id == conversation_id, entries.c.placeholder == placeholder)
            row = connection.execute(select(entries).where(*where)).first()
            if row is None:
                raise VaultError(f"no value for {placeholder} in this conversation (never stored, or deleted)")
            try:
                value = self._aead.decrypt(row.nonce, row.ciphertext, self._aad(conversation_id, placeholder))
            except InvalidTag as error:
                raise VaultError("the vault key does not match the one the value was stored with") from error
            audit_chain.append(
                connection,
                audit,
                {
                    "conversation_id": conversation_id,
                    "placeholder": placeholder,
                    "entity_type": row.entity_type,
                    "action": "reveal",
                    "actor": actor,
                    "reason": reason,
                    "at": _now(),
                },
            )
        return value.decode()

    def restore(self, conversation_id: str, text: str, *, actor: str, reason: str) -> str:
        """Replace every placeholder of this conversation in ``text`` by its value (each reveal audited)."""

        def one(match: re.Match[str]) -> str:
            try:
                return self.reveal(conversation_id, match.group(0), actor=actor, reason=reason)
            except VaultError:
                if not actor.strip() or not reason.strip():
                    raise
                return match.group(0)

        return _PLACEHOLDER.sub(one, text)

    def reveals(self, conversation_id: str) -> list[dict[str, object]]:
        """The audit rows of a conversation, oldest first; they never contain a value."""
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(audit).where(audit.c.conversation_id == conversation_id).order_by(audit.c.id)
            ).all()
        return [
            {
                "placeholder": row.placeholder,
                "type": row.entity_type,
                "action": row.action,
                "actor": row.actor,
                "reason": row.reason,
                "at": row.at.isoformat(),
            }
            for row in rows
        ]

    def delete_conversation(self, conversation_id: str, *, actor: str = "system", reason: str = "erasure") -> int:
        """Erase every value of a conversation (个保法 第47条); returns how many were erased."""
        reason = _masked_reason(reason)
        return _retried(lambda: self._delete(conversation_id, actor=actor, reason=reason))

    def _delete(self, conversation_id: str, *, actor: str, reason: str) -> int:
        with _audit_lock, self._engine.begin() as connection:
            erased = connection.execute(delete(entries).where(entries.c.conversation_id == conversation_id)).rowcount
            audit_chain.append(
                connection,
                audit,
                {
                    "conversation_id": conversation_id,
                    "action": "delete",
                    "actor": actor,
                    "reason": reason,
                    "at": _now(),
                },
            )
        return int(erased or 0)

    def verify_audit(self) -> audit_chain.AuditVerify:
        """Re-hash the audit trail; name the first row edited or removed."""
        return audit_chain.verify_audit(self._engine, audit)


def _retried(attempt: Callable[[], T]) -> T:
    """Another process linked the audit chain first (unique prev_hash, or SQLite busy): run it again."""
    for number in range(_ATTEMPTS):
        try:
            return attempt()
        except (IntegrityError, OperationalError):
            if number == _ATTEMPTS - 1:
                raise
            time.sleep(0.02 * (number + 1))
    raise AssertionError("unreachable")


def _masked_reason(reason: str) -> str:
    """A reason is typed by a person ("客户13812345678要求核对") and the audit keeps it in clear: mask it.

    Redacted (``[已删除]``), not placeholdered: a fresh book would call any number ``[手机号1]``, which in
    the audit reads as the case's own ``[手机号1]``.
    """
    from guardrails.pii.operators import mask_text

    return mask_text(reason, "redact").text


def m001_tables(connection: Connection) -> None:
    """The entries and the audit trail as they are today (a vault made before this keeps its tables)."""
    for table in (entries, audit):
        table.create(connection, checkfirst=True)


MIGRATIONS: tuple[Step, ...] = (
    ("vault_m001_tables", m001_tables),
    ("vault_m002_audit_chain", audit_chain.guard),  # chain columns on an older trail, insert-only triggers
)


def create_tables(engine: Engine) -> list[str]:
    """Apply the vault's named migrations not yet recorded (safe when several processes open it at once)."""
    return migrate(engine, MIGRATIONS)


@dataclass(frozen=True)
class VaultConfig:
    """Where the vault keeps its database and the key it encrypts with; ``bot/settings.py`` builds it."""

    url: str  # SQLAlchemy URL; sqlite:/// creates its folder
    key: bytes = field(repr=False)  # 32 bytes (AES-256); never printed


def decode_vault_key(encoded: str) -> bytes:
    """``CSBOT_VAULT_KEY``: base64 of 32 bytes; anything else is refused with a message that says what to set."""
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as error:
        raise VaultError("CSBOT_VAULT_KEY must be base64 (e.g. `openssl rand -base64 32`)") from error
    if len(key) != 32:
        raise VaultError(f"CSBOT_VAULT_KEY must decode to 32 bytes, not {len(key)}")
    return key


def open_vault(config: VaultConfig) -> Vault:
    """The vault at ``config.url`` (SQLite in CSBOT_HOME unless a URL is given)."""
    url = config.url
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return Vault(create_engine(url), config.key)
