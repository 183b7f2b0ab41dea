"""Identity checks for personal-information requests: a one-time code sent through a pluggable
``CodeSender`` (docs/conversations.md, "Identity checks"). ``open_identity`` builds the check the
settings ask for: ``CSBOT_IDENTITY_SENDER`` = demo (default: the code is shown in the agent
console, nothing is delivered), http (``CSBOT_IDENTITY_SENDER_URL``, optional
``CSBOT_IDENTITY_SENDER_TOKEN``) or none (every identity check goes to a human)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.identity.codes import CodeStore
from bot.identity.flow import CODE_MARK, IdentityCheck, advance, identity_rules, take_code
from bot.identity.senders import CodeSender, DemoMessage, DemoSender, HttpSender, Recipient, SendError
from bot.settings import Settings

CODES_FILE, DEMO_OUTBOX_FILE, CODE_KEY_FILE = "identity.db", "demo_outbox.db", "identity_code.key"


def make_sender(settings: Settings) -> CodeSender | None:
    if settings.identity_sender == "none":
        return None
    if settings.identity_sender == "http":
        if not settings.identity_sender_url:
            raise ValueError("CSBOT_IDENTITY_SENDER=http needs CSBOT_IDENTITY_SENDER_URL (the gateway's address)")
        return HttpSender(settings.identity_sender_url, settings.identity_sender_token)
    return DemoSender(settings.home / DEMO_OUTBOX_FILE)


def open_identity(settings: Settings, vault: Any) -> IdentityCheck:
    rules = identity_rules()
    codes = CodeStore(
        settings.identity_db_url or settings.db_url or f"sqlite:///{(settings.home / CODES_FILE).resolve()}",
        settings.key_file_secret(CODE_KEY_FILE),
        digits=rules.code_digits,
        ttl=timedelta(minutes=rules.ttl_minutes),
        attempts=rules.max_attempts,
    )
    return IdentityCheck(codes, make_sender(settings), vault)


def demo_outbox(identity: IdentityCheck | None, case_id: str) -> list[DemoMessage]:
    """The demo sender's messages in this case (empty with any other sender)."""
    sender = identity.sender if identity is not None else None
    return sender.outbox(case_id) if isinstance(sender, DemoSender) else []


__all__ = [
    "CODE_MARK",
    "CodeSender",
    "CodeStore",
    "DemoMessage",
    "DemoSender",
    "HttpSender",
    "IdentityCheck",
    "Recipient",
    "SendError",
    "advance",
    "demo_outbox",
    "make_sender",
    "open_identity",
    "take_code",
]
