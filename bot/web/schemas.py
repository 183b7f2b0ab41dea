"""Request and response bodies of the REST API (they make the OpenAPI document precise)."""

from __future__ import annotations

import unicodedata
from typing import Literal

from pydantic import BaseModel, Field, StrictBool, field_validator

from bot.web.textclean import clean_invisible

MAX_MESSAGE_CHARS = 2000


class SessionCreated(BaseModel):
    session: str = Field(description="会话编号 (session id)")
    token: str = Field(description="Bearer token that opens this session, and only this one")


class SessionIn(BaseModel):
    consent: StrictBool = Field(
        default=False,
        description="true when your UI showed the privacy notice (GET /api/v1/privacy-notice) and the customer agreed; "
        "required: without it the session is refused (400 consent_required); recorded with the notice version",
    )


class PrivacyNoticeOut(BaseModel):
    title: str
    markdown: str
    version: str | None
    consent_label: str


class MessageIn(BaseModel):
    text: str = Field(
        description="The customer's message (raw; masked before anything stores it)", examples=["我买的耳机坏了"]
    )

    @field_validator("text")
    @classmethod
    def _clean(cls, value: str) -> str:
        value = clean_invisible(value).strip()  # no direction overrides, no U+2028/2029 stored as typed
        if not value:
            raise ValueError("消息不能为空 (text must not be empty)")
        if len(value) > MAX_MESSAGE_CHARS:
            raise ValueError(f"消息过长，最多 {MAX_MESSAGE_CHARS} 字 (text longer than {MAX_MESSAGE_CHARS} characters)")
        if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t\r" for ch in value):
            raise ValueError("消息包含控制字符或二进制数据 (text contains control characters)")
        return value


class ReplyOut(BaseModel):
    """The same fields as ``csbot chat --json``."""

    session: str
    case_id: str
    procedure: str
    step: str = Field(description="accept | triage | investigate | resolve | record")
    reply: str
    citations: list[dict[str, object]]
    escalated: bool
    rails: list[dict[str, object]]
    latency_ms: float
    missing_slots: list[str]
    slots: dict[str, object] = Field(default_factory=dict, description="canonical facts: order_no, purchase_date …")
    asks: list[str] = Field(default_factory=list, description="the slot keys this reply asks for")
    verified: list[str] = Field(default_factory=list, description="the slot keys verified so far")


class AgentMessageIn(MessageIn):
    """An agent's (edited) reply; it passes the same output rails before it is sent."""


class EscalateIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class EndIn(BaseModel):
    reason: str | None = Field(
        default=None, max_length=500, description="Why the agent ends it (optional; masked before it is recorded)"
    )


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=500, description="An internal note (masked before it is recorded)")


class VerifyIn(BaseModel):
    facts: list[str] = Field(
        default_factory=list,
        max_length=10,
        description="The stated facts the agent checked (slot keys: order_no, purchase_date, receipt_date, amount, "
        "product, defect …)",
    )
    values: dict[str, str] = Field(
        default_factory=dict,
        max_length=10,
        description="A value the agent checked where the customer stated none or another (ISO dates, amount in "
        "yuan); masked before it is recorded",
    )


class VerifiedOut(BaseModel):
    session: str
    verified: dict[str, dict[str, str]] = Field(description="slot key → {by, how (system | agent), at}")


class EndedOut(BaseModel):
    session: str
    ended: bool = Field(description="true once the end is in the written record (ending twice records it once)")


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    error: ErrorBody


class Health(BaseModel):
    status: str
    version: str


class ChatMessageOut(BaseModel):
    seq: int = Field(description="1-based position in the conversation; never changes")
    actor: Literal["customer", "bot", "agent"]
    text: str = Field(description="masked, as the customer's page shows it")
    time: str = Field(description="ISO 8601, UTC")


class MessagesOut(BaseModel):
    session: str
    messages: list[ChatMessageOut] = Field(description="the messages after ?after=SEQ, oldest first")
    last_seq: int = Field(description="the newest message's seq (0 for none): the next poll's ?after=")
    agent: Literal["bot", "waiting", "agent"] = Field(
        description="who answers: the bot; waiting for an agent (handed over); an agent (人工客服已接入)"
    )
    closed: bool = Field(description="an agent ended the conversation, or the case reached its written record")
