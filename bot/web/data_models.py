"""The shapes of the web layer's data files (roles, rate limits, privacy notice, plain step names,
weak passwords), read through the one data-file loader (``knowledge.datafile``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from knowledge.datafile import DataModel

WEB_DIR = Path(__file__).resolve().parent
ROLES_FILE = WEB_DIR / "roles.yaml"
RATELIMITS_FILE = WEB_DIR / "ratelimits.yaml"
PRIVACY_NOTICE_FILE = WEB_DIR / "privacy_notice.yaml"
STEPS_PLAIN_FILE = WEB_DIR / "steps_plain.yaml"
WEAK_PASSWORDS_FILE = WEB_DIR / "weak_passwords.yaml"


class RolesFile(DataModel):
    """roles.yaml: role id → Chinese label, and which roles each permission needs."""

    roles: dict[str, str]
    permissions: dict[str, list[str]]


class RateLimitRule(DataModel):
    name: str
    method: str
    path: str
    key: Literal["client", "session"]
    per_minute: int | Literal["setting"]


class LoginLockout(DataModel):
    free_failures: int = Field(ge=1)
    first_lock_s: int = Field(ge=1)
    max_lock_s: int = Field(ge=1)


class RateLimitsFile(DataModel):
    """ratelimits.yaml."""

    rules: list[RateLimitRule]
    login_lockout: LoginLockout


class NoticePart(DataModel):
    heading: str
    sections: list[str]


class PrivacyNoticeFile(DataModel):
    """privacy_notice.yaml: which policy sections the notice shown before a chat is made of."""

    policy: str
    title: str
    intro: str
    parts: list[NoticePart]
    consent: str
    decline_note: str


class StepsPlainFile(DataModel):
    """steps_plain.yaml: each step of the procedure in words a customer reads."""

    accept: str
    triage: str
    investigate: str
    resolve: str
    record: str


class WeakPasswordsFile(DataModel):
    """weak_passwords.yaml."""

    common: list[str]
    sequences: list[str]
