"""Rate limits per purpose for the public endpoints (rules in ``ratelimits.yaml``).

A token bucket per (rule, key): ``per_minute`` requests refill evenly over a minute, with a burst of
the same size. The key is the client's address (``X-Forwarded-For`` is believed only from the
proxies in ``CSBOT_TRUSTED_PROXIES``) or, for customer messages, the session in the path, so people
behind one NAT do not share a budget. The buckets live in memory, or in PostgreSQL when
``CSBOT_DB_URL`` is PostgreSQL, so that every app process counts against the same budget.
"""

from __future__ import annotations

import ipaddress
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.engine import Engine
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.web.data_models import RATELIMITS_FILE, RateLimitsFile
from knowledge.datafile import load_checked

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Rule:
    name: str
    method: str
    path: str
    key: str  # client | session
    per_minute: int


@cache
def _table() -> dict[str, object]:
    return dict(load_checked(RATELIMITS_FILE, RateLimitsFile))


def rules(setting_per_minute: int = 30) -> tuple[Rule, ...]:
    raw: list[dict[str, object]] = _table()["rules"]  # type: ignore[assignment]
    return tuple(
        Rule(
            name=str(r["name"]),
            method=str(r["method"]),
            path=str(r["path"]),
            key=str(r["key"]),
            per_minute=setting_per_minute if r["per_minute"] == "setting" else int(r["per_minute"]),  # type: ignore[call-overload]
        )
        for r in raw
    )


def lockout_table() -> dict[str, int]:
    lockout = _table()["login_lockout"]
    assert isinstance(lockout, dict)
    return {str(k): int(v) for k, v in lockout.items()}


def rules_for(scope: Scope, table: tuple[Rule, ...] | None = None) -> list[Rule]:
    method, path = scope.get("method", ""), scope.get("path", "")
    return [r for r in (table or rules()) if r.method == method and fnmatchcase(path, r.path)]


def rule_for(scope: Scope) -> str | None:
    """The first rule's name (kept for callers that ask which purpose a request serves)."""
    found = rules_for(scope)
    return found[0].name if found else None


def parse_networks(spec: str) -> tuple[Network, ...]:
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False) for part in spec.replace(" ", ",").split(",") if part.strip()
    )


def _is_trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(scope: Scope, trusted: tuple[Network, ...]) -> str:
    """The peer's address, or, when the peer is a trusted proxy, the last untrusted hop it forwarded."""
    peer = str((scope.get("client") or ("unknown", 0))[0])
    if not _is_trusted(peer, trusted):
        return peer
    forwarded: list[str] = []
    for name, value in scope.get("headers", ()):
        if name == b"x-forwarded-for":
            forwarded += [hop.strip() for hop in value.decode("latin-1").split(",") if hop.strip()]
    for hop in reversed(forwarded):
        if not _is_trusted(hop, trusted):
            return hop
    return forwarded[0] if forwarded else peer


class BucketStore(Protocol):
    def take(self, key: str, per_minute: int) -> float:
        """0.0 when the request may pass, else the seconds to wait before the next one."""
        ...


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    """Thread-safe token buckets in memory, keyed by an arbitrary string.

    A bucket untouched for a minute is full again, so it is the same as no bucket: once there are
    more than ``prune_above`` keys, those are dropped. Memory stays bounded by the clients of the last
    minute, not by every address ever seen.
    """

    def __init__(
        self, per_minute: int = 30, clock: Callable[[], float] = time.monotonic, prune_above: int = 10_000
    ) -> None:
        self.per_minute = max(1, per_minute)
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()
        self._prune_above = prune_above

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, key: str, per_minute: int | None = None) -> float:
        size = float(max(1, per_minute or self.per_minute))
        rate = size / 60.0
        now = self._clock()
        with self._lock:
            if key not in self._buckets and len(self._buckets) >= self._prune_above:
                self._buckets = {k: b for k, b in self._buckets.items() if now - b.updated < 60.0}
            bucket = self._buckets.setdefault(key, _Bucket(size, now))
            bucket.tokens = min(size, bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / rate


_PG_TABLE = """CREATE TABLE IF NOT EXISTS web_rate_buckets (
    key varchar(200) PRIMARY KEY, tokens double precision NOT NULL, updated double precision NOT NULL,
    passed boolean NOT NULL)"""
# One statement per request: refill, take a token if there is one, say whether it passed. Atomic
# under concurrency (the row is locked by the upsert), so several processes share one budget.
_PG_TAKE = """INSERT INTO web_rate_buckets AS b (key, tokens, updated, passed)
VALUES (:key, :size - 1, :now, true)
ON CONFLICT (key) DO UPDATE SET
  tokens = LEAST(:size, b.tokens + GREATEST(0, :now - b.updated) * :rate)
           - CASE WHEN LEAST(:size, b.tokens + GREATEST(0, :now - b.updated) * :rate) >= 1 THEN 1 ELSE 0 END,
  passed = LEAST(:size, b.tokens + GREATEST(0, :now - b.updated) * :rate) >= 1,
  updated = GREATEST(b.updated, :now)
RETURNING passed, tokens"""


class PgBuckets:
    """The same token buckets in a PostgreSQL table, shared by every app process."""

    def __init__(self, engine: Engine, clock: Callable[[], float] = time.time) -> None:
        self._engine = engine
        self._clock = clock
        with engine.begin() as conn:
            conn.execute(text(_PG_TABLE))

    def take(self, key: str, per_minute: int) -> float:
        size = float(max(1, per_minute))
        rate = size / 60.0
        with self._engine.begin() as conn:
            values = {"key": key[:200], "size": size, "now": self._clock(), "rate": rate}
            row = conn.execute(text(_PG_TAKE), values).one()
        return 0.0 if row.passed else (1.0 - float(row.tokens)) / rate


def store_for(db_url: str | None) -> BucketStore:
    """PostgreSQL when the deployment's database is PostgreSQL (several processes), else memory."""
    if db_url and db_url.startswith("postgresql"):
        from sqlalchemy import create_engine

        return PgBuckets(create_engine(db_url, future=True, pool_pre_ping=True))
    return TokenBuckets()


class RateLimitMiddleware:
    """ASGI middleware answering 429 (with Retry-After) when a request exceeds one of its purpose's budgets."""

    def __init__(
        self, app: ASGIApp, per_minute: int, trusted_proxies: str = "", store: BucketStore | None = None
    ) -> None:
        self.app = app
        self.rules = rules(per_minute)
        self.trusted = parse_networks(trusted_proxies)
        self.buckets: BucketStore = store or TokenBuckets(per_minute)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for rule in rules_for(scope, self.rules):
                key = _session_in(scope["path"]) if rule.key == "session" else client_address(scope, self.trusted)
                wait = self.buckets.take(f"{rule.name}|{key}", rule.per_minute)
                if wait > 0:
                    await _too_many(send, wait)
                    return
        await self.app(scope, receive, send)


def _session_in(path: str) -> str:
    parts = path.split("/")  # /api/v1/sessions/<id>/messages
    return parts[4][:80] if len(parts) > 4 else ""


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
