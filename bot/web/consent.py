"""Evidence of consent: which session agreed to which version of the privacy notice, and when.

《个人信息保护法》第十四条 requires consent to be given freely and explicitly on full information;
the company must be able to show it was. The widget writes a row here before it opens a session;
API clients state their own consent when they create a session.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, MetaData, String, Table, create_engine, insert, select

from bot.settings import Settings
from bot.web.auth import users_url

_metadata = MetaData()
consents = Table(
    "web_consents",
    _metadata,
    Column("session", String(80), primary_key=True),
    Column("notice_version", String(40), nullable=False),
    Column("channel", String(16), nullable=False),  # widget | api
    Column("consented_at", DateTime(timezone=True), nullable=False),
)


class ConsentBook:
    """Insert-only record of consents, beside the staff users."""

    def __init__(self, settings: Settings) -> None:
        self._engine = create_engine(users_url(settings), future=True)
        _metadata.create_all(self._engine)

    def record(self, session: str, notice_version: str | None, channel: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(
                insert(consents).values(
                    session=session, notice_version=notice_version or "unversioned", channel=channel,
                    consented_at=datetime.now(UTC),
                )
            )

    def of(self, session: str) -> dict[str, object] | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(consents).where(consents.c.session == session)).first()
        return dict(row._mapping) if row else None
