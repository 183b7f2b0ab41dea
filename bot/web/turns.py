"""A customer's message over HTTP: serialised per session, never a 500 for a race, replayable.

* The session's turns run one at a time in this process (``CsBot.session_lock``); a race another
  process won is retried by the bot, and if that still fails the answer is 409 with ``Retry-After``.
* ``Idempotency-Key``: the reply is stored with the turn's record, in the same transaction; a retry
  with the same key gets that reply again and no second turn is recorded.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from bot.records import CaseConflict
from bot.types import Turn
from bot.web.context import WebContext

RETRY_AFTER_S = 1
MAX_KEY_CHARS = 128


def run_turn(ctx: WebContext, session: str, text: str, key: str | None) -> dict[str, Any]:
    """The reply to one message (recorded before it is returned), or the stored one for a repeated key."""
    if key is None:
        return ctx.bot.handle(Turn(session, text)).to_json()
    with ctx.bot.session_lock(session):
        stored = ctx.bot.records.stored_reply(session, key)
        if stored is not None:
            return stored
        try:
            return ctx.bot.handle(Turn(session, text, idempotency_key=key)).to_json()
        except CaseConflict:
            stored = ctx.bot.records.stored_reply(session, key)  # another process recorded this key's turn
            if stored is None:
                raise
            return stored


def install(app: FastAPI) -> None:
    """Answer a turn that kept losing races with 409 and a retry hint instead of a 500."""

    @app.exception_handler(CaseConflict)
    async def case_conflict(request: Request, error: CaseConflict) -> JSONResponse:
        body = {"code": "turn_conflict", "message": "该会话正在处理另一条消息，请稍后重试 (busy session, retry)"}
        return JSONResponse({"error": body}, status_code=409, headers={"Retry-After": str(RETRY_AFTER_S)})
