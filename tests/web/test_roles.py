"""Logins and roles: every staff endpoint and page, for every role, allowed and refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

ROLES = ("anonymous", "agent", "qa", "admin")


@pytest.fixture
def web_app(shared_web_app: FastAPI) -> FastAPI:
    """Tests here only read their own sessions, so the module shares one app."""
    return shared_web_app


def as_role(role: str, client: TestClient, login: Callable[[str], TestClient]) -> TestClient:
    return client if role == "anonymous" else login(role)


def start_case(client: TestClient) -> tuple[str, str, dict[str, str]]:
    created = client.post("/api/v1/sessions", json={"consent": True}).json()
    auth = {"Authorization": f"Bearer {created['token']}"}
    path = f"/api/v1/sessions/{created['session']}/messages"
    reply = client.post(path, json={"text": "耳机坏了想退货"}, headers=auth)
    return created["session"], reply.json()["case_id"], auth


# (method, path template, role -> expected status)
API_TABLE = [
    ("GET", "/api/v1/me", {"anonymous": 401, "agent": 200, "qa": 200, "admin": 200}),
    ("GET", "/api/v1/agent/queue", {"anonymous": 401, "agent": 200, "qa": 403, "admin": 403}),
    ("POST", "/api/v1/agent/sessions/{session}/send", {"anonymous": 401, "agent": 200, "qa": 403, "admin": 403}),
    ("POST", "/api/v1/agent/sessions/{session}/escalate", {"anonymous": 401, "agent": 200, "qa": 403, "admin": 403}),
    ("POST", "/api/v1/agent/sessions/{session}/end", {"anonymous": 401, "agent": 200, "qa": 403, "admin": 403}),
    ("GET", "/api/v1/cases", {"anonymous": 401, "agent": 403, "qa": 200, "admin": 200}),
    ("GET", "/api/v1/records/verify", {"anonymous": 401, "agent": 403, "qa": 200, "admin": 200}),
    ("GET", "/api/v1/cases/{case}/record", {"anonymous": 401, "agent": 403, "qa": 200, "admin": 200}),
]
BODIES = {
    "send": {"text": "您好，我是人工客服，已为您登记。"},
    "escalate": {"reason": "顾客情绪激动，交主管处理"},
    "end": {"reason": "顾客表示问题已解决"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "template", "expected"), API_TABLE, ids=[f"{m} {p}" for m, p, _ in API_TABLE])
def test_staff_api_is_open_to_exactly_its_roles(
    client: TestClient, login: Callable[[str], TestClient], role: str, method: str, template: str, expected: dict
) -> None:
    session, case_id, _ = start_case(client)
    user = as_role(role, client, login)
    path = template.format(session=session, case=case_id)
    body = BODIES.get(path.rsplit("/", 1)[-1])
    answer = user.request(method, path, json=body)
    assert answer.status_code == expected[role], answer.text


def test_when_agent_sends_then_the_record_names_the_agent(client: TestClient, login) -> None:
    session, case_id, auth = start_case(client)
    agent = login("agent")
    sent = agent.post(f"/api/v1/agent/sessions/{session}/send", json={"text": "您好，人工客服为您跟进退货。"})
    assert sent.status_code == 200
    record = client.get(f"/api/v1/cases/{case_id}/record", params={"format": "md"}, headers=auth).text
    assert "agent-user" in record


def test_when_agent_ends_over_the_api_then_the_record_keeps_the_masked_reason_and_the_queue_drops_it(
    client: TestClient, login
) -> None:
    session, case_id, auth = start_case(client)
    agent = login("agent")
    reason = {"reason": "顾客留了新电话13912345678，问题已解决"}
    ended = agent.post(f"/api/v1/agent/sessions/{session}/end", json=reason)
    assert ended.status_code == 200 and ended.json() == {"session": session, "ended": True}
    assert agent.post(f"/api/v1/agent/sessions/{session}/end", json={}).status_code == 200  # ending twice is harmless
    assert session not in [row["session"] for row in agent.get("/api/v1/agent/queue").json()]
    renewed = client.post(f"/api/v1/sessions/{session}/token", headers=auth).json()["token"]  # ending revoked it
    auth = {"Authorization": f"Bearer {renewed}"}
    record = client.get(f"/api/v1/cases/{case_id}/record", params={"format": "md"}, headers=auth).text
    assert record.count("坐席 agent-user 结束会话") == 1
    assert "13912345678" not in record and "问题已解决" in record


def test_when_queue_is_read_then_the_open_case_is_listed(client: TestClient, login) -> None:
    session, case_id, _ = start_case(client)
    rows = login("agent").get("/api/v1/agent/queue").json()
    assert {"case_id": case_id, "session": session}.items() <= next(r for r in rows if r["case_id"] == case_id).items()


def test_when_state_change_lacks_the_csrf_header_then_refused(client: TestClient, login) -> None:
    session, _, _ = start_case(client)
    agent = login("agent")
    del agent.headers["X-CSRF-Token"]
    answer = agent.post(f"/api/v1/agent/sessions/{session}/send", json={"text": "您好"})
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "csrf"


def test_when_staff_cookie_is_forged_then_treated_as_anonymous(client: TestClient) -> None:
    client.cookies.set("csbot_staff", "eyJ1IjoiYm9zcyIsInIiOiJhZG1pbiJ9.forged.signature")
    assert client.get("/api/v1/me").status_code == 401


def test_when_record_case_is_unknown_then_qa_gets_404(client: TestClient, login) -> None:
    assert login("qa").get("/api/v1/cases/CS00000000-NOPE/record").status_code == 404


# Staff pages: (path, role -> where the browser ends up)
PAGE_TABLE = [
    ("/agent/", {"anonymous": "/login?next=/agent/", "agent": 200, "qa": "/forbidden", "admin": "/forbidden"}),
    ("/qa/", {"anonymous": "/login?next=/qa/", "agent": "/forbidden", "qa": 200, "admin": 200}),
    ("/records/", {"anonymous": "/login?next=/records/", "agent": "/forbidden", "qa": 200, "admin": 200}),
    ("/widget/", {"anonymous": 200, "agent": 200, "qa": 200, "admin": 200}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "expected"), PAGE_TABLE, ids=[p for p, _ in PAGE_TABLE])
def test_staff_pages_open_for_their_roles_and_redirect_the_others(
    client: TestClient, login, role: str, path: str, expected: dict
) -> None:
    answer = as_role(role, client, login).get(path, follow_redirects=False)
    if expected[role] == 200:
        assert answer.status_code == 200
    else:
        assert answer.status_code == 303
        assert answer.headers["location"] == expected[role]


@pytest.mark.parametrize(("path", "allowed"), [("/agent", "agent"), ("/qa", "qa"), ("/records", "qa")])
def test_gradio_calls_behind_a_staff_page_are_refused_to_other_roles(client: TestClient, login, path, allowed) -> None:
    other = "qa" if allowed == "agent" else "agent"
    assert login(other).get(f"{path}/config").status_code == 401
    assert client.get(f"{path}/config").status_code == 401
    assert login(allowed).get(f"{path}/config").status_code == 200


def test_when_password_is_wrong_then_the_form_says_so(client: TestClient, web_app) -> None:
    web_app.state.ctx.users.add("li", "agent", "the right password")
    token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    answer = client.post("/login", data={"username": "li", "password": "wrong one!", "csrf_token": token})
    assert answer.status_code == 401
    assert "用户名或密码错误" in answer.text
    assert "csbot_staff" not in answer.cookies


def test_when_login_form_lacks_csrf_then_refused(client: TestClient, web_app) -> None:
    web_app.state.ctx.users.add("li", "agent", "the right password")
    client.get("/login")
    answer = client.post("/login", data={"username": "li", "password": "the right password", "csrf_token": "x"})
    assert answer.status_code == 403


def test_when_logged_out_then_staff_pages_redirect_again(login) -> None:
    agent = login("agent")
    token = agent.get("/").text.split('name="csrf_token" value="')[1].split('"')[0]
    assert agent.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    assert agent.get("/agent/", follow_redirects=False).headers["location"] == "/login?next=/agent/"


def test_login_redirects_only_to_local_staff_pages(client: TestClient, web_app) -> None:
    web_app.state.ctx.users.add("li", "qa", "the right password")
    token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    answer = client.post(
        "/login",
        follow_redirects=False,
        data={"username": "li", "password": "the right password", "csrf_token": token, "next": "https://evil.example/"},
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/"


@pytest.mark.parametrize(("path", "frame_header"), [("/widget/", None), ("/login", "DENY"), ("/healthz", "DENY")])
def test_only_the_widget_may_be_framed_by_another_site(client: TestClient, path: str, frame_header) -> None:
    answer = client.get(path)
    assert answer.headers.get("x-frame-options") == frame_header
    assert answer.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("session", ["0" * 32, "x" * 81])
def test_when_agent_acts_on_an_unknown_conversation_then_404_and_nothing_recorded(login, web_app, session) -> None:
    before = len(list(web_app.state.ctx.bot.records.dump()))
    answer = login("agent").post(f"/api/v1/agent/sessions/{session}/send", json={"text": "您好"})
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "no_such_session"
    assert len(list(web_app.state.ctx.bot.records.dump())) == before
