"""Issue 12 item 3: a budget per purpose, X-Forwarded-For only from listed proxies, a per-account lockout."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bot.settings import Settings
from bot.web.lockout import LoginLockout
from bot.web.ratelimit import PgBuckets, client_address, parse_networks

CONSENT = {"consent": True}


def csrf_of(client: TestClient) -> str:
    return client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]


def strict_app(web_settings: Settings, **overrides: object):
    from bot.web.app import create_app

    return create_app(Settings(**{**web_settings.model_dump(), "rate_limit_per_minute": 2, **overrides}))


def test_when_sessions_are_spent_then_customer_messages_still_pass(web_settings: Settings) -> None:
    with TestClient(strict_app(web_settings), base_url="http://127.0.0.1") as limited:
        created = [limited.post("/api/v1/sessions", json=CONSENT) for _ in range(3)]
        assert [c.status_code for c in created] == [201, 201, 429]
        body = created[0].json()
        auth = {"Authorization": f"Bearer {body['token']}"}
        for text in ("耳机坏了", "想退货", "订单号在这"):
            answer = limited.post(f"/api/v1/sessions/{body['session']}/messages", json={"text": text}, headers=auth)
            assert answer.status_code == 200, answer.text


def test_when_an_untrusted_client_rotates_x_forwarded_for_then_it_is_still_one_client(web_settings: Settings) -> None:
    with TestClient(strict_app(web_settings), base_url="http://127.0.0.1", client=("203.0.113.9", 4000)) as limited:
        codes = [
            limited.post("/api/v1/sessions", json=CONSENT, headers={"X-Forwarded-For": f"10.0.0.{n}"}).status_code
            for n in range(3)
        ]
    assert codes == [201, 201, 429]


def test_when_the_proxy_is_trusted_then_each_forwarded_client_has_its_own_budget(web_settings: Settings) -> None:
    app = strict_app(web_settings, trusted_proxies="127.0.0.1/32")
    with TestClient(app, base_url="http://127.0.0.1", client=("127.0.0.1", 4000)) as proxied:
        codes = [
            proxied.post("/api/v1/sessions", json=CONSENT, headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code
            for n in range(4)
        ]
    assert codes == [201, 201, 201, 201]


def test_client_address_reads_forwarded_hops_only_behind_trusted_proxies() -> None:
    trusted = parse_networks("10.0.0.0/8, 127.0.0.1")
    xff = [(b"x-forwarded-for", b"6.6.6.6, 198.51.100.7, 10.1.1.1")]
    assert client_address({"client": ("127.0.0.1", 1), "headers": xff}, trusted) == "198.51.100.7"
    assert client_address({"client": ("203.0.113.5", 1), "headers": xff}, trusted) == "203.0.113.5"
    assert client_address({"client": ("127.0.0.1", 1), "headers": xff}, ()) == "127.0.0.1"


def test_when_a_password_is_guessed_then_the_account_locks_and_the_right_password_is_refused(
    client: TestClient, web_app
) -> None:
    web_app.state.ctx.users.add("target", "admin", "the right password")
    for _ in range(5):
        wrong = client.post(
            "/login",
            data={"username": "target", "password": "wrong guess 1", "csrf_token": csrf_of(client)},
            follow_redirects=False,
        )
        assert wrong.status_code == 401
    right = client.post(
        "/login",
        data={"username": "target", "password": "the right password", "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert right.status_code == 429
    assert "锁定" in right.text


def test_lockout_backs_off_and_a_success_clears_it(web_app) -> None:
    now = [1000.0]
    lockout = LoginLockout(web_app.state.ctx.users.engine, clock=lambda: now[0])
    for _ in range(5):
        lockout.failed("u1")
    assert 29 < lockout.locked_for("u1") <= 30
    lockout.failed("u1")
    assert 59 < lockout.locked_for("u1") <= 60
    now[0] += 61
    assert lockout.locked_for("u1") == 0.0
    lockout.succeeded("u1")
    lockout.failed("u1")
    assert lockout.locked_for("u1") == 0.0


@pytest.mark.postgres
def test_pg_buckets_share_one_budget_between_stores(postgres_url: str) -> None:
    from sqlalchemy import create_engine, text

    url = postgres_url
    engine = create_engine(url, future=True)
    now = [5000.0]
    first, second = PgBuckets(engine, clock=lambda: now[0]), PgBuckets(engine, clock=lambda: now[0])
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM web_rate_buckets WHERE key LIKE 'test|%'"))
    assert first.take("test|a", 2) == 0.0
    assert second.take("test|a", 2) == 0.0
    assert first.take("test|a", 2) > 0.0  # the second process spent the budget too
    now[0] += 30
    assert second.take("test|a", 2) == 0.0


@pytest.mark.postgres
def test_two_app_processes_on_postgresql_share_one_session_budget(web_settings: Settings, postgres_url: str) -> None:
    import secrets

    from bot.web.app import create_app

    url = postgres_url
    values = {**web_settings.model_dump(), "rate_limit_per_minute": 2, "db_url": url}
    first, second = create_app(Settings(**values)), create_app(Settings(**values))
    address = f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"  # a fresh client each run
    with TestClient(first, client=(address, 1)) as one, TestClient(second, client=(address, 1)) as two:
        codes = [
            one.post("/api/v1/sessions", json=CONSENT).status_code,
            two.post("/api/v1/sessions", json=CONSENT).status_code,
            one.post("/api/v1/sessions", json=CONSENT).status_code,
        ]
    assert codes == [201, 201, 429]
