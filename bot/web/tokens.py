"""Per-session bearer tokens for anonymous customers.

A token is the session id signed with the installation's secret, so any app process can check it
without shared state, and a token only ever opens the session it was issued for.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

from bot.settings import Settings


class CustomerTokens:
    """Issue and check customer bearer tokens."""

    def __init__(self, secret: bytes | str) -> None:
        self._serializer = URLSafeSerializer(secret, salt="csbot-customer-session")

    @classmethod
    def for_settings(cls, settings: Settings) -> CustomerTokens:
        return cls(settings.secret_key or settings.key_file_secret("web-session"))

    def issue(self, session: str) -> str:
        return self._serializer.dumps(session)

    def session_of(self, token: str | None) -> str | None:
        """The session the token was issued for, or None when it is missing or forged."""
        if not token:
            return None
        try:
            value = self._serializer.loads(token)
        except BadSignature:
            return None
        return value if isinstance(value, str) else None
