"""A customer's message over HTTP: serialised per session, never a 500 for a race, replayable.

* The session's turns run one at a time in this process (``CsBot.session_lock``); a race another
  process won is retried by the bot, and if that still fails the answer is 409 with ``Retry-After``.
* ``Idempotency-Key``: the reply is stored with the turn's record, in the same transaction; a retry
  with the same key gets that reply again and no second turn is recorded. The key is bound to its
  message by a keyed digest (HMAC-SHA256, key in the key directory; the text itself is never kept
  there): the same key with another message is refused with 422 and nothing is recorded.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from bot.recording import REQUEST_DIGEST
from bot.records import CaseConflict
from bot.types import Turn
from bot.web.context import WebContext

RETRY_AFTER_S = 1
MAX_KEY_CHARS = 128


class IdempotencyKeyReused(Exception):
    """An Idempotency-Key already answered a different message in this session."""


def request_digest(ctx: WebContext, text: str) -> str:
    secret = ctx.settings.key_file_secret("idempotency")
    return hmac.new(secret, text.encode("utf-8"), hashlib.sha256).hexdigest()


def _replay(stored: dict[str, Any], digest: str) -> dict[str, Any]:
    """The stored reply, if the key came with this same message (rows from before the digest replay)."""
    if stored.get(REQUEST_DIGEST, digest) != digest:
        raise IdempotencyKeyReused
    return {key: value for key, value in stored.items() if key != REQUEST_DIGEST}


def run_turn(ctx: WebContext, session: str, text: str, key: str | None) -> dict[str, Any]:
    """The reply to one message (recorded before it is returned), or the stored one for a repeated key."""
    if key is None:
        return ctx.bot.handle(Turn(session, text)).to_json()
    digest = request_digest(ctx, text)
    with ctx.bot.session_lock(session):
        stored = ctx.bot.records.stored_reply(session, key)
        if stored is not None:
            return _replay(stored, digest)
        try:
            return ctx.bot.handle(Turn(session, text, idempotency_key=key, request_digest=digest)).to_json()
        except CaseConflict:
            stored = ctx.bot.records.stored_reply(session, key)  # another process recorded this key's turn
            if stored is None:
                raise
            return _replay(stored, digest)


def install(app: FastAPI) -> None:
    """Answer a turn that kept losing races with 409 and a retry hint instead of a 500."""

    @app.exception_handler(CaseConflict)
    async def case_conflict(request: Request, error: CaseConflict) -> JSONResponse:
        body = {"code": "turn_conflict", "message": "该会话正在处理另一条消息，请稍后重试 (busy session, retry)"}
        return JSONResponse({"error": body}, status_code=409, headers={"Retry-After": str(RETRY_AFTER_S)})

    @app.exception_handler(IdempotencyKeyReused)
    async def key_reused(request: Request, error: IdempotencyKeyReused) -> JSONResponse:
        body = {
            "code": "idempotency_key_reused",
            "message": "该幂等键已用于另一条消息，请换一个键 (Idempotency-Key reused with a different message)",
        }
        return JSONResponse({"error": body}, status_code=422)
