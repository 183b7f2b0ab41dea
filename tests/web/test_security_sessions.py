"""Issue 12 item 4: logout revokes the staff session on the server; customer tokens expire and end with the case."""

from __future__ import annotations

from collections.abc import Callable

import gradio as gr
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.web.auth import SESSION_COOKIE
from bot.web.tokens import CustomerTokens
from bot.web.ui_agent import AgentHandlers
from tests.fixtures.web import STAFF_PASSWORD


def test_when_staff_logs_out_then_a_saved_copy_of_the_cookie_no_longer_works(
    login: Callable[[str], TestClient], web_app: FastAPI
) -> None:
    agent = login("agent")
    saved = agent.cookies.get(SESSION_COOKIE)
    assert agent.get("/api/v1/me").status_code == 200
    page = agent.get("/")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    assert agent.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    with TestClient(web_app, base_url="http://127.0.0.1") as thief:
        thief.cookies.set(SESSION_COOKIE, saved)
        assert thief.get("/api/v1/me").status_code == 401
        assert thief.get("/agent/", follow_redirects=False).status_code == 303  # back to the login form


def test_when_a_cookie_is_signed_but_has_no_server_session_then_it_is_refused(
    login: Callable[[str], TestClient], web_app: FastAPI
) -> None:
    from bot.web.auth import StaffUser

    login("admin")
    forged = web_app.state.ctx.signer.session_cookie(StaffUser("admin-user", "admin"))  # valid signature, no session
    with TestClient(web_app, base_url="http://127.0.0.1") as other:
        other.cookies.set(SESSION_COOKIE, forged)
        assert other.get("/api/v1/me").status_code == 401


def open_session(client: TestClient) -> tuple[str, str]:
    body = client.post("/api/v1/sessions", json={"consent": True}).json()
    return body["session"], body["token"]


def test_when_an_agent_ends_the_case_then_the_customer_token_is_revoked_and_a_new_one_continues_the_case(
    client: TestClient, web_app: FastAPI
) -> None:
    session, token = open_session(client)
    auth = {"Authorization": f"Bearer {token}"}
    first = client.post(f"/api/v1/sessions/{session}/messages", json={"text": "耳机坏了要退货"}, headers=auth).json()
    web_app.state.ctx.users.add("closer", "agent", "a long test password")
    AgentHandlers(web_app.state.ctx).close(session, "", gr.Request(username="closer"))
    refused = client.post(f"/api/v1/sessions/{session}/messages", json={"text": "还在吗"}, headers=auth)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "token_revoked"
    renewed = client.post(f"/api/v1/sessions/{session}/token", headers=auth)
    assert renewed.status_code == 201, renewed.text
    new_auth = {"Authorization": f"Bearer {renewed.json()['token']}"}
    again = client.post(f"/api/v1/sessions/{session}/messages", json={"text": "我又来了"}, headers=new_auth)
    assert again.status_code == 200
    assert again.json()["case_id"] == first["case_id"]
    assert client.post(f"/api/v1/sessions/{session}/messages", json={"text": "x"}, headers=auth).status_code == 401


def test_when_a_customer_token_is_older_than_its_lifetime_then_it_is_expired(web_app: FastAPI) -> None:
    tokens: CustomerTokens = web_app.state.ctx.tokens
    token = tokens.issue("s1")
    assert tokens.session_of(token) == "s1"
    assert tokens.check(token, now=lambda: 10**10).reason == "expired"  # far in the future
    assert tokens.session_of(tokens.issue("s1") + "x") is None


def test_when_a_staff_password_is_changed_then_sessions_opened_with_the_old_one_end(
    login: Callable[[str], TestClient], web_app: FastAPI
) -> None:
    agent = login("agent")
    assert agent.get("/api/v1/me").status_code == 200
    web_app.state.ctx.users.add("agent-user", "agent", STAFF_PASSWORD)  # same password, same role: kept
    assert agent.get("/api/v1/me").status_code == 200
    web_app.state.ctx.users.add("agent-user", "agent", "another long passphrase 42")
    assert agent.get("/api/v1/me").status_code == 401
    assert agent.get("/agent/", follow_redirects=False).status_code == 303  # back to the login form


def test_when_a_staff_role_is_changed_then_open_sessions_end(
    login: Callable[[str], TestClient], web_app: FastAPI
) -> None:
    admin = login("admin")
    web_app.state.ctx.users.add("admin-user", "agent", STAFF_PASSWORD)
    assert admin.get("/api/v1/me").status_code == 401
