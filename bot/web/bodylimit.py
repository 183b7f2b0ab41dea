"""A body-size cap counted on the bytes as they arrive, on every route (the Gradio apps' included).

``Content-Length`` is only a hint: a larger one is refused at once, but a chunked body (or one whose
header lies) is counted message by message, and the first byte over the cap ends the request with
413. Whatever the app had started to answer is dropped; the rest of the body is never read.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_BODY_BYTES = 64 * 1024  # REST API, login and logout forms
OTHER_BODY_BYTES = 1024 * 1024  # Gradio's queue and event calls (chat history travels in them)
SMALL_PREFIXES = ("/api/", "/login", "/logout")
UPLOAD_SUFFIX = "/attachments"  # POST /api/v1/sessions/{id}/attachments: a photo or a short video


class BodyTooLarge(Exception):
    """Raised inside ``receive`` when the body passes the cap; the middleware answers 413."""


class BodyLimit:
    """ASGI middleware: 413 for any request body over its route's cap."""

    def __init__(self, app: ASGIApp, api_bytes: int = API_BODY_BYTES, other_bytes: int = OTHER_BODY_BYTES) -> None:
        self.app = app
        self.api_bytes = api_bytes
        self.other_bytes = other_bytes

    def cap_for(self, path: str) -> int:
        if path.startswith("/api/v1/sessions/") and path.endswith(UPLOAD_SUFFIX):
            from bot.web.attachments import largest_upload

            return largest_upload() + self.api_bytes  # the file and its multipart envelope
        return self.api_bytes if path.startswith(SMALL_PREFIXES) else self.other_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = self.cap_for(scope.get("path", ""))
        declared = _content_length(scope)
        if declared is not None and declared > cap:
            await refuse(send, cap)
            return
        state = {"seen": 0, "over": False, "started": False}

        async def counted_receive() -> Message:
            if state["over"]:
                raise BodyTooLarge
            message = await receive()
            if message["type"] == "http.request":
                state["seen"] += len(message.get("body", b""))
                if state["seen"] > cap:
                    state["over"] = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            if state["over"]:
                return  # the app's own answer to the broken read (400, 500…) is replaced by the 413
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except BodyTooLarge:
            pass
        except Exception:
            if not state["over"]:
                raise
        if state["over"] and not state["started"]:
            await refuse(send, cap)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def refuse(send: Send, cap: int) -> None:
    message = f"请求体过大，最多 {cap} 字节 (body too large: at most {cap} bytes)"
    body = json.dumps({"error": {"code": "body_too_large", "message": message}}, ensure_ascii=False).encode()
    headers = [
        (b"content-type", b"application/json; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
