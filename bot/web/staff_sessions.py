"""Server-side staff sessions: the login cookie names a row here, and logout (or expiry) ends it.

The cookie stays signed (so a forged one is refused without a query), but a signature alone is not
enough: the session id in it must be a live row of ``web_staff_sessions``. Only a SHA-256 of the id
is stored, so a copy of the table opens nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import Column, DateTime, MetaData, String, Table, create_engine, delete, insert, select, update
from sqlalchemy.engine import Engine

from bot.settings import Settings
from guardrails.migrations import Step, create_table, migrate

_metadata = MetaData()
staff_sessions = Table(
    "web_staff_sessions",
    _metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("name", String(40), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)
# Named migrations (guardrails/migrations.py): a database made by a bare create_all is upgraded in place.
_MIGRATIONS: tuple[Step, ...] = (("web_staff_sessions_m001_create", create_table(staff_sessions)),)


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class StaffSessions:
    """Open, check and revoke staff sessions."""

    def __init__(self, engine: Engine, max_age_s: int) -> None:
        self._engine = engine
        self.max_age_s = max_age_s
        migrate(engine, _MIGRATIONS)

    @classmethod
    def for_settings(cls, settings: Settings, max_age_s: int) -> StaffSessions:
        from bot.web.auth import users_url

        return cls(create_engine(users_url(settings), future=True), max_age_s)

    def open(self, name: str) -> str:
        session_id = secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        with self._engine.begin() as conn:
            conn.execute(delete(staff_sessions).where(staff_sessions.c.expires_at < now))
            conn.execute(
                insert(staff_sessions).values(
                    id_hash=_digest(session_id),
                    name=name,
                    created_at=now,
                    expires_at=now + timedelta(seconds=self.max_age_s),
                )
            )
        return session_id

    def user_of(self, session_id: str | None) -> str | None:
        """The staff name of a live session, else None."""
        if not session_id:
            return None
        with self._engine.connect() as conn:
            row = conn.execute(select(staff_sessions).where(staff_sessions.c.id_hash == _digest(session_id))).first()
        if row is None or row.revoked_at is not None or _aware(row.expires_at) < datetime.now(UTC):
            return None
        return str(row.name)

    def revoke_all_of(self, name: str) -> int:
        """Revoke every live session of one staff member (a new password or role ends the old ones)."""
        with self._engine.begin() as conn:
            live = (staff_sessions.c.name == name) & staff_sessions.c.revoked_at.is_(None)
            result = conn.execute(update(staff_sessions).where(live).values(revoked_at=datetime.now(UTC)))
        return int(result.rowcount or 0)

    def revoke(self, session_id: str | None) -> None:
        if session_id:
            with self._engine.begin() as conn:
                conn.execute(
                    update(staff_sessions)
                    .where(staff_sessions.c.id_hash == _digest(session_id))
                    .values(revoked_at=datetime.now(UTC))
                )
