"""Evidence of consent: which session agreed to which version of the privacy notice, and when.

《个人信息保护法》第十四条 requires consent to be given freely and explicitly on full information;
the company must be able to show it was. The widget records consent before it opens a session;
API clients state their own consent when they create a session. The consent is written into the
session's hash-chained record (the evidence, shown in the 书面记录); the ``web_consents`` row beside
the staff users is a quick index of it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, MetaData, String, Table, create_engine, insert, select

from bot.settings import Settings
from bot.web.auth import users_url
from guardrails.migrations import Step, create_table, migrate

_metadata = MetaData()
consents = Table(
    "web_consents",
    _metadata,
    Column("session", String(80), primary_key=True),
    Column("notice_version", String(40), nullable=False),
    Column("channel", String(16), nullable=False),  # widget | api
    Column("consented_at", DateTime(timezone=True), nullable=False),
)
# Named migrations (guardrails/migrations.py): a database made by a bare create_all is upgraded in place.
_MIGRATIONS: tuple[Step, ...] = (("web_consents_m001_create", create_table(consents)),)


class ConsentBook:
    """Insert-only index of consents, beside the staff users; each one is also a record in the chain."""

    def __init__(self, settings: Settings, bot: Any) -> None:
        self._bot = bot
        self._engine = create_engine(users_url(settings), future=True)
        migrate(self._engine, _MIGRATIONS)

    def record(self, session: str, notice_version: str | None, channel: str) -> None:
        """Write the consent into the record first (the source of truth), then index it here."""
        version = notice_version or "unversioned"
        self._bot.record_consent(session, version, channel)
        with self._engine.begin() as conn:
            conn.execute(
                insert(consents).values(
                    session=session,
                    notice_version=version,
                    channel=channel,
                    consented_at=datetime.now(UTC),
                )
            )

    def of(self, session: str) -> dict[str, object] | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(consents).where(consents.c.session == session)).first()
        return dict(row._mapping) if row else None
