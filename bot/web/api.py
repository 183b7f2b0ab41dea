"""The REST API for companies that embed their own widget, and the staff endpoints behind the consoles.

Customers: ``POST /api/v1/sessions`` gives a session and a bearer token; the token opens that
session and its case record, nothing else. Staff endpoints use the signed login cookie, the role
table in ``roles.yaml`` and, for anything that changes state, a CSRF header.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from importlib.metadata import version as package_version
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse, Response, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from bot.web.attachments import AttachmentRefused, AttachmentStore, clean_name, largest_upload
from bot.web.attachments import check as check_attachment
from bot.web.auth import StaffUser
from bot.web.context import Ctx, WebContext, api_error, require
from bot.web.messages import conversation
from bot.web.privacy_notice import privacy_notice
from bot.web.schemas import (
    AgentMessageIn,
    EndedOut,
    EndIn,
    ErrorOut,
    EscalateIn,
    Health,
    MessageIn,
    MessagesOut,
    NoteIn,
    PrivacyNoticeOut,
    ReplyOut,
    SessionCreated,
    SessionIn,
    VerifiedOut,
    VerifyIn,
)
from bot.web.turns import MAX_KEY_CHARS, run_turn
from bot.web.views import case_json, search_cases, verify_summary

ERRORS: dict[int | str, dict[str, object]] = {code: {"model": ErrorOut} for code in (400, 401, 403, 404, 413, 422, 429)}
router = APIRouter(responses=ERRORS)
STREAM_CHUNK_CHARS = 24
STREAM_POLL_S = 1.0  # how often an open message stream looks for new messages
STREAM_DEFAULT_S = 25  # a stream ends by itself after this long (reconnect with Last-Event-ID)
STREAM_MAX_S = 120
TOKEN_REFUSALS = {
    "expired": "会话令牌已过期，请用 POST /api/v1/sessions/{id}/token 换取新令牌 (token expired; renew it)",
    "revoked": "会话已结束，令牌已失效；如需继续请换取新令牌 (conversation ended, token revoked; renew it)",
}
CONSENT_REQUIRED_MESSAGE = (
    '请先向顾客展示个人信息处理告知并取得其同意，再以 {"consent": true} 创建会话 '
    '(consent required: show GET /api/v1/privacy-notice and send {"consent": true})'
)


bearer = HTTPBearer(auto_error=False, description="The token from POST /api/v1/sessions")
Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def customer_session(session_id: str, ctx: Ctx, credentials: Bearer) -> str:
    """The path's session, when the bearer token was issued for exactly that session."""
    if credentials is None:
        raise api_error(401, "token_required", "缺少会话令牌 (Authorization: Bearer <token> required)")
    checked = ctx.tokens.check(credentials.credentials)
    if checked.session != session_id:
        raise api_error(403, "wrong_session", "令牌与会话不匹配 (token does not open this session)")
    if checked.reason in TOKEN_REFUSALS:
        raise api_error(401, f"token_{checked.reason}", TOKEN_REFUSALS[checked.reason])
    return session_id


CustomerSession = Annotated[str, Depends(customer_session)]


def open_conversation(session_id: str, ctx: Ctx) -> str:
    """For staff actions: the path's session, when it is a conversation that exists."""
    if len(session_id) > 80 or ctx.bot.records.load_case(session_id) is None:
        raise api_error(404, "no_such_session", "会话不存在 (no such conversation)")
    return session_id


ExistingSession = Annotated[str, Depends(open_conversation)]


@router.get("/healthz", response_model=Health, tags=["system"])
def healthz() -> Health:
    """Liveness: the process answers and its engine is loaded."""
    return Health(status="ok", version=package_version("csbot"))


@router.post("/api/v1/sessions", response_model=SessionCreated, status_code=201, tags=["customer"])
def create_session(ctx: Ctx, body: SessionIn | None = None) -> SessionCreated:
    """Open an anonymous customer session; keep the token, it is the only key to this session.

    Send ``{"consent": true}`` once your UI has shown the privacy notice and the customer agreed;
    the consent is recorded with the notice's version. Without it: 400 ``consent_required``, nothing stored.
    """
    if body is None or body.consent is not True:
        raise api_error(400, "consent_required", CONSENT_REQUIRED_MESSAGE)
    session = ctx.bot.new_session()
    ctx.consents.record(session, privacy_notice().policy_version, "api")
    return SessionCreated(session=session, token=ctx.tokens.issue(session))


@router.post("/api/v1/sessions/{session_id}/token", response_model=SessionCreated, status_code=201, tags=["customer"])
def renew_token(session_id: str, ctx: Ctx, credentials: Bearer) -> SessionCreated:
    """A returning customer: trade the session's old token (expired, or revoked when the case ended) for a new one.

    The session, and so the case, stays the same; its next message puts it back in the agents' queue.
    """
    token = ctx.tokens.renew(credentials.credentials if credentials else None, session_id)
    if token is None:
        raise api_error(403, "wrong_session", "令牌无法续期 (token does not renew this session)")
    return SessionCreated(session=session_id, token=token)


@router.get("/api/v1/privacy-notice", response_model=PrivacyNoticeOut, tags=["customer"])
def get_privacy_notice() -> PrivacyNoticeOut:
    """The notice to show before the first message (《个人信息保护法》第十七条), from the company's privacy rules."""
    notice = privacy_notice()
    return PrivacyNoticeOut(
        title=notice.title, markdown=notice.markdown, version=notice.policy_version, consent_label=notice.consent_label
    )


IdempotencyKey = Annotated[
    str | None, Header(alias="Idempotency-Key", max_length=MAX_KEY_CHARS, description="replays the stored reply")
]


@router.post(
    "/api/v1/sessions/{session_id}/messages",
    response_model=ReplyOut,
    tags=["customer"],
    responses={409: {"model": ErrorOut, "description": "the session is busy: retry after Retry-After"}},
)
def post_message(
    session_id: CustomerSession, body: MessageIn, ctx: Ctx, idempotency_key: IdempotencyKey = None
) -> dict[str, object]:
    """Send one customer message; the answer has the same fields as ``csbot chat --json``.

    A retry with the same ``Idempotency-Key`` gets the first reply again; no second turn is recorded.
    """
    ctx.queue.reopen(session_id)  # a customer back after the end: the conversation is open again
    return run_turn(ctx, session_id, body.text, idempotency_key)


After = Annotated[int, Query(ge=0, description="only messages with a larger seq (0: the whole conversation)")]


@router.get("/api/v1/sessions/{session_id}/messages", response_model=MessagesOut, tags=["customer"])
def list_messages(session_id: CustomerSession, ctx: Ctx, after: After = 0) -> MessagesOut:
    """The conversation's messages after ``after`` (customer, bot and agent), masked as the customer sees them.

    Poll it with the last ``last_seq`` you saw: an agent's reply arrives without the customer writing again.
    ``agent`` says who answers now (``agent``: a person has joined), ``closed`` when the conversation ended.
    """
    return _messages_out(ctx, session_id, after)


def _messages_out(ctx: WebContext, session: str, after: int) -> MessagesOut:
    now = conversation(ctx.bot, session)
    lines = [line.to_json() for line in now.after(after)]
    return MessagesOut.model_validate(
        {"session": session, "messages": lines, "last_seq": now.last_seq, "agent": now.owner, "closed": now.closed}
    )


@router.get(
    "/api/v1/sessions/{session_id}/messages/stream",
    tags=["customer"],
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "message…, status, timeout"}},
)
def watch_messages(
    session_id: CustomerSession,
    ctx: Ctx,
    after: After = 0,
    timeout: Annotated[int, Query(ge=1, le=STREAM_MAX_S, description="seconds before the stream ends")] = (
        STREAM_DEFAULT_S
    ),
    last_event_id: Annotated[int | None, Header(alias="Last-Event-ID", ge=0)] = None,
) -> StreamingResponse:
    """Server-sent events beside the poll: a ``message`` event (``id`` = seq) for each new message, a
    ``status`` event when who answers or ``closed`` changes, then ``timeout`` after ``timeout`` seconds, when
    the stream ends by itself; reconnect with ``Last-Event-ID`` (or ``after``) to go on where it stopped.
    """
    start = last_event_id if last_event_id is not None else after
    return StreamingResponse(
        _message_events(ctx, session_id, start, timeout),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def _message_events(ctx: WebContext, session: str, after: int, timeout_s: int) -> Iterator[str]:
    deadline = time.monotonic() + timeout_s
    status: tuple[str, bool] | None = None
    while True:
        page = _messages_out(ctx, session, after)
        for message in page.messages:
            yield f"id: {message.seq}\n" + _sse("message", message.model_dump())
            after = message.seq
        if (page.agent, page.closed) != status:
            status = (page.agent, page.closed)
            yield _sse("status", {"agent": page.agent, "closed": page.closed, "last_seq": page.last_seq})
        if time.monotonic() >= deadline:
            yield _sse("timeout", {"last_seq": after})
            return
        time.sleep(min(STREAM_POLL_S, max(0.0, deadline - time.monotonic())))


@router.post(
    "/api/v1/sessions/{session_id}/messages/stream",
    tags=["customer"],
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "accepted, delta…, reply, done"}},
)
def stream_message(
    session_id: CustomerSession, body: MessageIn, ctx: Ctx, idempotency_key: IdempotencyKey = None
) -> StreamingResponse:
    """Server-sent events: ``accepted`` at once, then ``delta`` pieces, the full ``reply`` and ``done``.

    Text is streamed only after the whole reply has passed the output rails, so no unchecked
    words ever reach the customer. The turn is recorded before the response starts: ``accepted``
    means recorded, and a failure is an HTTP error (409 for a busy session), never a late error event.
    """
    ctx.queue.reopen(session_id)
    reply = run_turn(ctx, session_id, body.text, idempotency_key)
    return StreamingResponse(_reply_events(session_id, reply), media_type="text/event-stream")


def _reply_events(session: str, reply: dict[str, object]) -> Iterator[str]:
    yield _sse("accepted", {"session": session})
    text = str(reply["reply"])
    for start in range(0, len(text), STREAM_CHUNK_CHARS):
        yield _sse("delta", {"text": text[start : start + STREAM_CHUNK_CHARS]})
    yield _sse("reply", reply)
    yield _sse("done", {})


def _sse(event: str, data: object) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.post(
    "/api/v1/sessions/{session_id}/attachments",
    status_code=201,
    tags=["customer"],
    responses={415: {"model": ErrorOut, "description": "not a JPEG/PNG/WEBP image or an MP4 video"}},
)
async def upload_attachment(session_id: CustomerSession, file: UploadFile, ctx: Ctx) -> dict[str, object]:
    """A photo (JPEG, PNG, WEBP) or a short video (MP4) for the case, checked by its first bytes and size.

    The file is kept under CSBOT_HOME, beside the records; the case's record lists its id, name,
    type, size and SHA-256. Multipart form, field ``file``.
    """
    data = await file.read(largest_upload() + 1)
    try:
        media_type = check_attachment(data)
    except AttachmentRefused as refused:
        raise api_error(refused.status, "attachment_refused", str(refused)) from None
    case_id = ctx.bot.case_view(session_id).case_id
    saved = AttachmentStore(ctx.settings.home).save(case_id, data, clean_name(file.filename), media_type)
    ctx.queue.reopen(session_id)
    ctx.bot.record_attachment(session_id, saved.to_json())
    listed = ctx.bot.records.for_session(session_id)[-1]["body"]  # the name as recorded (masked)
    return {**saved.to_json(), "name": listed["name"]}


@router.get("/api/v1/sessions/{session_id}/attachments/{file_id}", tags=["customer"], response_class=FileResponse)
def customer_attachment(session_id: CustomerSession, file_id: str, ctx: Ctx) -> FileResponse:
    """One of this session's own attachments."""
    return _attachment_file(ctx, ctx.bot.case_view(session_id).case_id, file_id)


@router.get("/api/v1/cases/{case_id}/attachments/{file_id}", tags=["staff"], response_class=FileResponse)
def staff_attachment(case_id: str, file_id: str, ctx: Ctx, request: Request) -> FileResponse:
    """A case's attachment, for agents and QA (the copilot shows it; the record lists it)."""
    staff = ctx.staff_from_cookies(dict(request.cookies))
    if staff is None:
        raise api_error(401, "login_required", "请先登录 (staff login required)")
    if not (staff.may("copilot") or staff.may("records")):
        raise api_error(403, "forbidden", f"当前角色无权查看附件 (role {staff.role!r})")
    return _attachment_file(ctx, case_id, file_id)


def _attachment_file(ctx: WebContext, case_id: str, file_id: str) -> FileResponse:
    listed = next(
        (
            row["body"]
            for row in ctx.bot.records.for_case(case_id)
            if row["kind"] == "attachment" and row["body"].get("file_id") == file_id
        ),
        None,
    )
    found = AttachmentStore(ctx.settings.home).path(case_id, file_id) if listed else None
    if listed is None or found is None:
        raise api_error(404, "no_such_attachment", "附件不存在 (no such attachment)")
    return FileResponse(
        found,
        media_type=str(listed["media_type"]),
        filename=str(listed["name"]),
        content_disposition_type="inline",
        headers={"Content-Security-Policy": "default-src 'none'", "Cache-Control": "private, no-store"},
    )


@router.get(
    "/api/v1/cases/{case_id}/record",
    tags=["customer", "records"],
    responses={200: {"content": {"text/markdown": {}, "text/html": {}}}},
)
def case_record(
    case_id: str,
    request: Request,
    ctx: Ctx,
    credentials: Bearer,
    format: Annotated[Literal["md", "html"], Query(description="md or html")] = "md",
) -> Response:
    """The written record (书面记录) of a case so far, at any step; customer text is HTML-escaped.

    Reachable with the bearer token of the session that owns the case, or by QA/admin staff.
    """
    _check_case_access(case_id, request, ctx, credentials.credentials if credentials else None)
    text = ctx.bot.records.export(case_id, format)
    if format == "html":
        return HTMLResponse(text, headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"})
    return PlainTextResponse(text, media_type="text/markdown; charset=utf-8")


def _check_case_access(case_id: str, request: Request, ctx: WebContext, token: str | None) -> None:
    if token:
        session = ctx.tokens.session_of(token)
        if session is not None and ctx.bot.case_view(session).case_id == case_id:
            return
        raise api_error(403, "wrong_case", "令牌无权查看此案件 (token does not open this case)")
    staff = ctx.staff_from_cookies(dict(request.cookies))
    if staff is None:
        raise api_error(401, "token_required", "缺少会话令牌或登录 (bearer token or staff login required)")
    if not staff.may("records"):
        raise api_error(403, "forbidden", f"当前角色无权查看记录 (role {staff.role!r})")
    if not ctx.bot.records.case_exists(case_id):
        raise api_error(404, "no_such_case", "案件不存在 (no such case)")


@router.get("/api/v1/me", tags=["staff"])
def me(user: Annotated[StaffUser, require("any")]) -> dict[str, str]:
    """The logged-in member of staff."""
    return {"name": user.name, "role": user.role}


@router.get("/api/v1/agent/queue", tags=["staff"])
def agent_queue(ctx: Ctx, user: Annotated[StaffUser, require("copilot")]) -> list[dict[str, object]]:
    """Open conversations, escalated first, then newest first."""
    return [row.to_json() for row in ctx.queue.open_rows()]


@router.post("/api/v1/agent/sessions/{session_id}/send", response_model=ReplyOut, tags=["staff"])
def agent_send(
    session_id: ExistingSession, body: AgentMessageIn, ctx: Ctx, user: Annotated[StaffUser, require("copilot")]
) -> dict[str, object]:
    """Send an agent's reply exactly as typed (call ``/check`` first to see what the output rails object
    to); the record keeps it masked, with the rails' verdicts, under the agent's name."""
    return ctx.bot.agent_send(session_id, user.name, body.text).to_json()


@router.post("/api/v1/agent/sessions/{session_id}/check", tags=["staff"])
def agent_check(
    session_id: ExistingSession, body: AgentMessageIn, ctx: Ctx, user: Annotated[StaffUser, require("copilot")]
) -> dict[str, object]:
    """What each output rail objects to in an agent's text, in Chinese; nothing is changed or recorded."""
    from bot.web.rail_words import rail_name, reasons_zh

    check = ctx.bot.check_agent_text(session_id, body.text)
    objections = [
        {**item.to_json(), "rule_zh": rail_name(item.rule), "reasons_zh": reasons_zh(item.reasons)}
        for item in check.objections
    ]
    return {"clean": check.clean, "objections": objections}


@router.post("/api/v1/agent/sessions/{session_id}/take", tags=["staff"])
def agent_take(
    session_id: ExistingSession, ctx: Ctx, user: Annotated[StaffUser, require("copilot")]
) -> dict[str, object]:
    """The agent owns the case (recorded); while they do, the bot drafts for them only."""
    ctx.bot.take_case(session_id, user.name)
    return {"session": session_id, "owner": ctx.bot.case_owner(session_id)}


@router.post("/api/v1/agent/sessions/{session_id}/release", tags=["staff"])
def agent_release(
    session_id: ExistingSession, ctx: Ctx, user: Annotated[StaffUser, require("copilot")]
) -> dict[str, object]:
    """The owning agent hands the case back (recorded); anyone else's release changes nothing."""
    ctx.bot.release_case(session_id, user.name)
    return {"session": session_id, "owner": ctx.bot.case_owner(session_id)}


@router.post("/api/v1/agent/sessions/{session_id}/notes", tags=["staff"])
def agent_note(
    session_id: ExistingSession, body: NoteIn, ctx: Ctx, user: Annotated[StaffUser, require("copilot")]
) -> dict[str, object]:
    """An internal note on the case (masked, staff only, never shown to the customer)."""
    if not body.text.strip():
        raise api_error(422, "empty_note", "备注不能为空。")
    ctx.bot.add_note(session_id, user.name, body.text)
    return {"session": session_id, "noted": True}


@router.post("/api/v1/agent/sessions/{session_id}/verify", response_model=VerifiedOut, tags=["staff"])
def agent_verify(
    session_id: ExistingSession, body: VerifyIn, ctx: Ctx, user: Annotated[StaffUser, require("copilot")]
) -> dict[str, object]:
    """The agent confirms facts as verified (by their account, now): written into the case's record as a
    ``verify`` event; from the next turn the reply states them under 经客服核对 and lists them in ``verified``."""
    from bot.verification import VerifyError

    try:
        verified = ctx.bot.verify_facts(session_id, user.name, body.facts, body.values)
    except VerifyError as error:
        raise api_error(422, "cannot_verify", str(error)) from None
    return {"session": session_id, "verified": verified}


@router.post("/api/v1/agent/sessions/{session_id}/escalate", response_model=ReplyOut, tags=["staff"])
def agent_escalate(
    session_id: ExistingSession, body: EscalateIn, ctx: Ctx, user: Annotated[StaffUser, require("copilot")]
) -> dict[str, object]:
    """Escalate a conversation (to a supervisor / a human specialist)."""
    return ctx.bot.escalate(session_id, body.reason, user.name).to_json()


@router.post("/api/v1/agent/sessions/{session_id}/end", response_model=EndedOut, tags=["staff"])
def agent_end(
    session_id: ExistingSession, body: EndIn, ctx: Ctx, user: Annotated[StaffUser, require("copilot")]
) -> dict[str, object]:
    """End a conversation: written into the case's record (with the masked reason) and taken off the queue."""
    ctx.queue.close(session_id, user.name, body.reason)
    return {"session": session_id, "ended": True}


@router.get("/api/v1/cases", tags=["records"])
def list_cases(
    ctx: Ctx, user: Annotated[StaffUser, require("records")], q: Annotated[str, Query(max_length=100)] = ""
) -> list[dict[str, object]]:
    """Search cases by case number, step or procedure."""
    return [case_json(case) for case in search_cases(ctx.bot, q)]


@router.get("/api/v1/records/verify", tags=["records"])
def verify_records(ctx: Ctx, user: Annotated[StaffUser, require("records")]) -> dict[str, object]:
    """Re-hash the whole chain of written records and name the first row that disagrees."""
    return verify_summary(ctx.bot)
