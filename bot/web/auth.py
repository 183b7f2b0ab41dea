"""Staff logins: users and roles, password hashes, signed session cookies and CSRF tokens.

Agents, QA staff and admins log in; customers stay anonymous (see ``bot.web.tokens``).
Passwords are hashed with argon2id (argon2-cffi), the session cookie is signed with
itsdangerous and carries no secret, and every form carries a CSRF token tied to a cookie
(double submit, signed), so another site can neither read nor forge a staff action.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import Column, DateTime, MetaData, String, Table, create_engine, insert, select, update
from sqlalchemy.engine import Engine

from bot.settings import Settings
from bot.web.data_models import ROLES_FILE, RolesFile
from bot.web.password_policy import weakness
from bot.web.staff_sessions import StaffSessions
from guardrails.migrations import Step, create_table, migrate
from knowledge.datafile import load_checked

SESSION_COOKIE = "csbot_staff"
CSRF_COOKIE = "csbot_csrf"
SESSION_MAX_AGE_S = 8 * 3600
CSRF_MAX_AGE_S = 2 * 3600
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.\-]{2,40}$")
MIN_PASSWORD_CHARS = 8


class AuthError(ValueError):
    """A login or user-management request that cannot be honoured; the message says why."""


@cache
def _role_table() -> dict[str, object]:
    return dict(load_checked(ROLES_FILE, RolesFile))


def role_names() -> dict[str, str]:
    """Role id -> Chinese label, from ``roles.yaml``."""
    roles: dict[str, str] = dict(_role_table()["roles"])  # type: ignore[call-overload]
    return roles


def allowed_roles(permission: str) -> frozenset[str]:
    """The roles that hold ``permission`` (``copilot``, ``reveal``, ``qa``, ``records``)."""
    table: dict[str, list[str]] = _role_table()["permissions"]  # type: ignore[assignment]
    return frozenset(table[permission])


@dataclass(frozen=True)
class StaffUser:
    """A logged-in member of staff, as read back from the signed session cookie."""

    name: str
    role: str

    def may(self, permission: str) -> bool:
        return self.role in allowed_roles(permission)


_metadata = MetaData()
users_table = Table(
    "web_users",
    _metadata,
    Column("name", String(40), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(256), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
# Named migrations (guardrails/migrations.py): a database made by a bare create_all is upgraded in place.
_MIGRATIONS: tuple[Step, ...] = (("web_users_m001_create", create_table(users_table)),)


def users_url(settings: Settings) -> str:
    """Users live next to the records when a database URL is configured, else in CSBOT_HOME."""
    if settings.db_url:
        return settings.db_url
    settings.home.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(settings.home / 'users.db').resolve()}"


class UserStore:
    """The ``web_users`` table: add users, change passwords, check a login."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._hasher = PasswordHasher()
        migrate(engine, _MIGRATIONS)

    @classmethod
    def open(cls, settings: Settings) -> UserStore:
        return cls(create_engine(users_url(settings), future=True))

    def add(self, name: str, role: str, password: str) -> StaffUser:
        """Create a user, or set a new password and role for an existing one.

        A new password or role ends every session the user had open: a leaked or shared cookie must
        not outlive the password it was opened with (setting the same password and role again does not).
        """
        if not USERNAME_PATTERN.match(name):
            raise AuthError("用户名只能包含字母、数字、点、下划线和连字符（2-40 个字符）")
        if role not in role_names():
            raise AuthError(f"未知角色 {role!r}；可选：{', '.join(role_names())}")
        problem = weakness(password)  # length, repeats, sequences, common passwords
        if problem:
            raise AuthError(problem)
        values = {"role": role, "password_hash": self._hasher.hash(password)}
        with self._engine.begin() as conn:
            exists = conn.execute(select(users_table).where(users_table.c.name == name)).first()
            if exists:
                conn.execute(update(users_table).where(users_table.c.name == name).values(**values))
            else:
                conn.execute(insert(users_table).values(name=name, created_at=datetime.now(UTC), **values))
        if exists and (exists.role != role or not self._matches(exists.password_hash, password)):
            StaffSessions(self._engine, max_age_s=0).revoke_all_of(name)
        return StaffUser(name, role)

    def get(self, name: str) -> StaffUser | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(users_table.c.role).where(users_table.c.name == name)).first()
        return StaffUser(name, row.role) if row else None

    @property
    def engine(self) -> Engine:
        return self._engine

    def authenticate(self, name: str, password: str) -> StaffUser | None:
        """The user when the password matches, else None (same answer for unknown names)."""
        with self._engine.connect() as conn:
            row = conn.execute(select(users_table).where(users_table.c.name == name)).first()
        if row is None:
            self._hasher.hash(password)  # spend the same time as a real check
            return None
        return StaffUser(name, row.role) if self._matches(row.password_hash, password) else None

    def _matches(self, password_hash: str, password: str) -> bool:
        try:
            return bool(self._hasher.verify(password_hash, password))
        except (VerificationError, InvalidHashError):
            return False

    def names(self) -> list[tuple[str, str]]:
        with self._engine.connect() as conn:
            return [(r.name, r.role) for r in conn.execute(select(users_table).order_by(users_table.c.name))]


class Signer:
    """Signs and reads the staff session cookie and CSRF tokens with the installation's secret."""

    def __init__(self, secret: bytes | str) -> None:
        self._sessions = URLSafeTimedSerializer(secret, salt="csbot-staff-session")
        self._csrf = URLSafeTimedSerializer(secret, salt="csbot-csrf")

    @classmethod
    def for_settings(cls, settings: Settings) -> Signer:
        return cls(settings.secret_key or settings.key_file_secret("web-session"))

    def session_cookie(self, user: StaffUser, session_id: str = "") -> str:
        """The signed cookie; ``session_id`` names the server-side session (``bot.web.staff_sessions``)."""
        return self._sessions.dumps({"u": user.name, "r": user.role, "sid": session_id})

    def _cookie_data(self, cookie: str | None) -> dict[str, Any] | None:
        """What a validly signed, unexpired session cookie holds, else None."""
        if not cookie:
            return None
        try:
            data = self._sessions.loads(cookie, max_age=SESSION_MAX_AGE_S)
        except BadSignature:
            return None
        return data if isinstance(data, dict) else None

    def session_id(self, cookie: str | None) -> str | None:
        """The server-side session id a validly signed cookie names, else None."""
        data = self._cookie_data(cookie)
        return None if data is None else str(data.get("sid") or "") or None

    def read_session(self, cookie: str | None) -> StaffUser | None:
        data = self._cookie_data(cookie)
        if data is None or data.get("r") not in role_names():
            return None
        return StaffUser(str(data["u"]), str(data["r"]))

    @staticmethod
    def new_csrf_nonce() -> str:
        return secrets.token_urlsafe(24)

    def csrf_token(self, nonce: str) -> str:
        """The value a form or header must carry, bound to the nonce in the CSRF cookie."""
        return self._csrf.dumps(nonce)

    def csrf_ok(self, token: str | None, nonce: str | None) -> bool:
        if not token or not nonce:
            return False
        try:
            return secrets.compare_digest(str(self._csrf.loads(token, max_age=CSRF_MAX_AGE_S)), nonce)
        except BadSignature:
            return False
