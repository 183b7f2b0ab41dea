"""Token buckets behind the public endpoints' rate limit (a fake clock; no sleeping)."""

from __future__ import annotations

import pytest

from bot.web.ratelimit import TokenBuckets, rule_for


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_when_budget_is_spent_then_the_next_request_waits() -> None:
    clock = Clock()
    buckets = TokenBuckets(per_minute=3, clock=clock)
    assert [buckets.take("1.2.3.4|api") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("1.2.3.4|api") == 20.0


def test_when_time_passes_then_the_budget_refills() -> None:
    clock = Clock()
    buckets = TokenBuckets(per_minute=3, clock=clock)
    for _ in range(3):
        buckets.take("k")
    clock.now += 20.0
    assert buckets.take("k") == 0.0
    assert buckets.take("k") > 0.0


def test_when_clients_differ_then_their_budgets_are_separate() -> None:
    buckets = TokenBuckets(per_minute=1, clock=Clock())
    assert buckets.take("a|api") == 0.0
    assert buckets.take("b|api") == 0.0
    assert buckets.take("a|login") == 0.0
    assert buckets.take("a|api") > 0.0


@pytest.mark.parametrize(
    ("method", "path", "rule"),
    [
        ("POST", "/api/v1/sessions", "api"),
        ("POST", "/api/v1/sessions/abc/messages", "api"),
        ("POST", "/api/v1/sessions/abc/messages/stream", "api"),
        ("POST", "/login", "login"),
        ("POST", "/widget/gradio_api/queue/join", "widget"),
        ("GET", "/api/v1/sessions", None),
        ("GET", "/healthz", None),
        ("POST", "/agent/gradio_api/queue/join", None),
    ],
)
def test_public_write_endpoints_are_limited_and_nothing_else(method: str, path: str, rule: str | None) -> None:
    assert rule_for({"type": "http", "method": method, "path": path}) == rule
