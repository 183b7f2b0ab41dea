"""ASGI middleware: security headers and the door to the staff pages (the body cap is ``bodylimit``).

The Gradio apps check the role on every call (``auth_dependency``); this door only turns a
browser that opens a staff page without a login into a redirect to the login form (and a wrong
role into a readable refusal) instead of Gradio's bare 401.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

EMBEDDABLE_PREFIXES = ("/widget",)  # the customer widget may be framed by the company's own site


class SecurityHeaders:
    """No MIME sniffing, no referrer leaks; only the widget may be framed by another site."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        embeddable = scope["path"].startswith(EMBEDDABLE_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                if not embeddable:
                    headers.setdefault("X-Frame-Options", "DENY")
            await send(message)

        await self.app(scope, receive, send_with_headers)


class StaffDoor:
    """Redirect an anonymous browser from a staff page to the login form; refuse a wrong role."""

    def __init__(self, app: ASGIApp, areas: dict[str, str], check: Callable[[HTTPConnection, str], str]) -> None:
        self.app = app
        self.areas = areas  # mount path ("/agent") -> permission
        self.check = check  # (connection, permission) -> "ok" | "login" | "forbidden"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        area = path.rstrip("/")
        if scope["type"] == "http" and scope.get("method") == "GET" and area in self.areas:
            verdict = self.check(HTTPConnection(scope), self.areas[area])
            if verdict == "login":
                await _redirect(send, f"/login?next={quote(area + '/')}")
                return
            if verdict == "forbidden":
                await _redirect(send, "/forbidden")
                return
        await self.app(scope, receive, send)


async def _redirect(send: Send, location: str) -> None:
    headers = [(b"location", location.encode()), (b"content-length", b"0")]
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
