"""Rate limiting for the public endpoints (session creation, messages, login, the widget).

A token bucket per (client address, rule): ``per_minute`` requests refill evenly over a minute,
with a burst of the same size. In memory, per app process: a front proxy (nginx ``limit_req``)
takes over when the app is scaled out to several processes.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

# (method, path prefix) -> rule name; the first match wins.
PUBLIC_RULES: tuple[tuple[str, str, str], ...] = (
    ("POST", "/api/v1/sessions", "api"),
    ("POST", "/login", "login"),
    ("POST", "/widget/gradio_api/queue/join", "widget"),
)


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    """Thread-safe token buckets keyed by an arbitrary string.

    A bucket untouched for a minute is full again, so it is the same as no bucket: once there are
    more than ``prune_above`` keys, those are dropped. Memory stays bounded by the clients of the last
    minute, not by every address ever seen.
    """

    def __init__(
        self, per_minute: int, clock: Callable[[], float] = time.monotonic, prune_above: int = 10_000
    ) -> None:
        self.per_minute = max(1, per_minute)
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()
        self._prune_above = prune_above

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, key: str) -> float:
        """0.0 when the request may pass, else the seconds to wait before the next one."""
        rate = self.per_minute / 60.0
        now = self._clock()
        with self._lock:
            if key not in self._buckets and len(self._buckets) >= self._prune_above:
                self._buckets = {k: b for k, b in self._buckets.items() if now - b.updated < 60.0}
            bucket = self._buckets.setdefault(key, _Bucket(float(self.per_minute), now))
            bucket.tokens = min(float(self.per_minute), bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / rate


class RateLimitMiddleware:
    """ASGI middleware answering 429 (with Retry-After) when a client exceeds its budget."""

    def __init__(self, app: ASGIApp, per_minute: int) -> None:
        self.app = app
        self.buckets = TokenBuckets(per_minute)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        rule = rule_for(scope) if scope["type"] == "http" else None
        if rule is not None:
            client = (scope.get("client") or ("unknown", 0))[0]
            wait = self.buckets.take(f"{client}|{rule}")
            if wait > 0:
                await _too_many(send, wait)
                return
        await self.app(scope, receive, send)


def rule_for(scope: Scope) -> str | None:
    method, path = scope.get("method", ""), scope.get("path", "")
    for rule_method, prefix, name in PUBLIC_RULES:
        if method == rule_method and path.startswith(prefix):
            return name
    return None


async def _too_many(send: Send, wait: float) -> None:
    body = json.dumps(
        {"error": {"code": "rate_limited", "message": "请求过于频繁，请稍后再试 (too many requests)"}},
        ensure_ascii=False,
    ).encode("utf-8")
    headers = [
        (b"content-type", b"application/json; charset=utf-8"),
        (b"retry-after", str(max(1, round(wait))).encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": 429, "headers": headers})
    await send({"type": "http.response.body", "body": body})
