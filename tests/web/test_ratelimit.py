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


def test_when_many_clients_come_and_go_then_only_the_last_minutes_buckets_are_kept() -> None:
    clock = Clock()
    buckets = TokenBuckets(per_minute=2, clock=clock, prune_above=100)
    for address in range(100):
        buckets.take(f"10.0.0.{address}|api")
    buckets.take("10.0.0.0|api")
    clock.now += 61.0
    assert buckets.take("192.168.1.1|api") == 0.0
    assert len(buckets) == 1  # the hundred idle (and so full again) buckets are gone


def test_when_pruning_then_a_client_still_inside_its_minute_keeps_its_spent_budget() -> None:
    clock = Clock()
    buckets = TokenBuckets(per_minute=2, clock=clock, prune_above=3)
    for address in ("a", "b"):
        buckets.take(f"{address}|api")
    clock.now += 61.0
    buckets.take("c|api")
    buckets.take("c|api")
    buckets.take("d|api")  # over the threshold: a and b go, c (just spent) stays
    assert len(buckets) == 2
    assert buckets.take("c|api") > 0.0


@pytest.mark.parametrize(
    ("method", "path", "rule"),
    [
        ("POST", "/api/v1/sessions", "session_create"),
        ("POST", "/api/v1/sessions/abc/messages", "customer_message"),
        ("POST", "/api/v1/sessions/abc/messages/stream", "customer_message"),
        ("POST", "/api/v1/sessions/abc/token", "token_renew"),
        ("POST", "/login", "login"),
        ("POST", "/widget/gradio_api/queue/join", "widget"),
        ("GET", "/api/v1/sessions", None),
        ("GET", "/healthz", None),
        ("POST", "/agent/gradio_api/queue/join", None),
    ],
)
def test_public_write_endpoints_are_limited_and_nothing_else(method: str, path: str, rule: str | None) -> None:
    assert rule_for({"type": "http", "method": method, "path": path}) == rule
