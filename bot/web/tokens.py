"""Per-session bearer tokens for anonymous customers: signed, with an expiry, revoked when the case ends.

A token is ``{session, generation}`` signed (with a timestamp) by the installation's secret. It opens
only the session it was issued for, for ``customer_token_ttl_s`` seconds. Ending a conversation bumps
the session's generation in ``web_token_generations`` (beside the staff users, so every app process
sees it): every token issued before stops working. A customer who comes back presents the old token
(within ``customer_resume_s``) to ``POST /api/v1/sessions/{id}/token`` and gets a new one for the
same session, so the case stays the same.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, select, update
from sqlalchemy.engine import Engine

from bot.settings import Settings
from guardrails.migrations import Step, create_table, migrate

DEFAULT_TTL_S = 24 * 3600
DEFAULT_RESUME_S = 30 * 24 * 3600

_metadata = MetaData()
generations = Table(
    "web_token_generations",
    _metadata,
    Column("session", String(80), primary_key=True),
    Column("generation", Integer, nullable=False),
)
# Named migrations (guardrails/migrations.py): a database made by a bare create_all is upgraded in place.
_MIGRATIONS: tuple[Step, ...] = (("web_token_generations_m001_create", create_table(generations)),)


@dataclass(frozen=True)
class TokenCheck:
    """What a token says: its session, and ``ok`` / ``missing`` / ``forged`` / ``expired`` / ``revoked``."""

    session: str | None
    reason: str
    issued_at: float = 0.0

    @property
    def ok(self) -> bool:
        return self.reason == "ok"


class CustomerTokens:
    """Issue, check, revoke and renew customer bearer tokens."""

    def __init__(
        self,
        secret: bytes | str,
        engine: Engine | None = None,
        ttl_s: int = DEFAULT_TTL_S,
        resume_s: int = DEFAULT_RESUME_S,
    ) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="csbot-customer-session-v2")
        self._engine = engine or create_engine("sqlite://", future=True)
        migrate(self._engine, _MIGRATIONS)
        self.ttl_s = ttl_s
        self.resume_s = resume_s

    @classmethod
    def for_settings(cls, settings: Settings) -> CustomerTokens:
        from bot.web.auth import users_url

        return cls(
            settings.secret_key or settings.key_file_secret("web-session"),
            create_engine(users_url(settings), future=True),
            ttl_s=getattr(settings, "customer_token_ttl_s", DEFAULT_TTL_S),
            resume_s=getattr(settings, "customer_resume_s", DEFAULT_RESUME_S),
        )

    def _generation(self, session: str) -> int:
        with self._engine.connect() as conn:
            row = conn.execute(select(generations.c.generation).where(generations.c.session == session)).first()
        return int(row.generation) if row else 0

    def issue(self, session: str) -> str:
        return self._serializer.dumps({"s": session, "g": self._generation(session)})

    def check(self, token: str | None, now: Callable[[], float] = time.time) -> TokenCheck:
        if not token:
            return TokenCheck(None, "missing")
        try:
            value, issued = self._serializer.loads(token, return_timestamp=True)
        except BadSignature:
            return TokenCheck(None, "forged")
        if not isinstance(value, dict) or not isinstance(value.get("s"), str):
            return TokenCheck(None, "forged")
        session, stamp = str(value["s"]), issued.timestamp()
        if value.get("g") != self._generation(session):
            return TokenCheck(session, "revoked", stamp)
        if now() - stamp > self.ttl_s:
            return TokenCheck(session, "expired", stamp)
        return TokenCheck(session, "ok", stamp)

    def session_of(self, token: str | None) -> str | None:
        """The session the token opens now, or None when it is missing, forged, expired or revoked."""
        result = self.check(token)
        return result.session if result.ok else None

    def revoke(self, session: str) -> None:
        """Every token issued so far for ``session`` stops working (the case ended)."""
        with self._engine.begin() as conn:
            changed = conn.execute(
                update(generations)
                .where(generations.c.session == session)
                .values(generation=generations.c.generation + 1)
            ).rowcount
            if not changed:
                conn.execute(insert(generations).values(session=session, generation=1))

    def renew(self, token: str | None, session: str, now: Callable[[], float] = time.time) -> str | None:
        """A new token for the same session, from an old one (expired or revoked) not older than the resume window."""
        result = self.check(token, now)
        if result.session != session or result.reason not in {"ok", "expired", "revoked"}:
            return None
        if now() - result.issued_at > self.resume_s:
            return None
        return self.issue(session)
