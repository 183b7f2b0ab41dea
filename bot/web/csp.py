"""Content-Security-Policy on every answer, framing from the widget's sites only, and an Origin check for staff.

The policy keeps every script, style, image and connection on this server: a customer's
``![照片](http://…)`` can never make an agent's browser fetch from elsewhere. Gradio's pages carry
inline scripts and styles, hence ``'unsafe-inline'``; their HTML component needs ``'unsafe-eval'``
(Gradio's apps only; the login, home and API pages go without). ``frame-ancestors``: ``/widget``
may be framed by the sites in ``CSBOT_WIDGET_ORIGINS`` (and this one); nothing else may be framed.
Staff areas (``/agent``, ``/qa``, ``/records``) refuse state-changing calls whose ``Origin`` is not this
server's: Gradio's own endpoints carry no CSRF token, so this is their cross-site request guard.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

BASE_POLICY = (
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)
WIDGET_PREFIX = "/widget"
STAFF_PREFIXES = ("/agent", "/qa", "/records")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


GRADIO_PREFIXES = (WIDGET_PREFIX, *STAFF_PREFIXES)
# Gradio's HTML component builds its template with ``new Function``: its apps need 'unsafe-eval'.
GRADIO_SCRIPT_SRC = "script-src 'self' 'unsafe-inline' 'unsafe-eval'"


def policy_for(path: str, widget_origins: str) -> str:
    ancestors = " ".join(["'self'", *widget_origins.split()]) if path.startswith(WIDGET_PREFIX) else "'none'"
    rules = list(BASE_POLICY)
    if path.startswith(GRADIO_PREFIXES):
        rules[1] = GRADIO_SCRIPT_SRC
    return "; ".join([*rules, f"frame-ancestors {ancestors}"])


class ContentSecurityPolicy:
    """Set the policy (unless a route set a stricter one) and refuse foreign-origin staff actions."""

    def __init__(self, app: ASGIApp, widget_origins: str = "") -> None:
        self.app = app
        self.widget_origins = widget_origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if path.startswith(STAFF_PREFIXES) and scope.get("method") not in SAFE_METHODS and _foreign(scope):
            await _refuse(send)
            return
        policy = policy_for(path, self.widget_origins)

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", policy)
                if path.startswith(WIDGET_PREFIX) and "x-frame-options" in headers:
                    del headers["x-frame-options"]  # frame-ancestors decides for the widget
            await send(message)

        await self.app(scope, receive, send_with_policy)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _foreign(scope: Scope) -> bool:
    """True when the request names an Origin (or, lacking one, a Referer) on another host than this one."""
    origin = _header(scope, b"origin") or _header(scope, b"referer")
    if origin is None:
        return False  # not a browser's cross-site request: browsers send Origin on every POST
    host = _header(scope, b"host") or ""
    return origin == "null" or urlsplit(origin).netloc.lower() != host.lower()


async def _refuse(send: Send) -> None:
    message = "请求来源不是本站，已拒绝 (cross-origin staff action refused)"
    body = json.dumps({"error": {"code": "foreign_origin", "message": message}}, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 403, "headers": headers})
    await send({"type": "http.response.body", "body": body})
