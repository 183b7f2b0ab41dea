"""The customer REST API over the real engine: sessions, messages, streaming, records, bad input, limits."""

from __future__ import annotations

import json
import re

import gradio as gr
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.settings import Settings
from bot.web.ui_agent import AgentHandlers

REPLY_FIELDS = {
    "session",
    "case_id",
    "procedure",
    "step",
    "reply",
    "citations",
    "escalated",
    "rails",
    "latency_ms",
    "missing_slots",
    "asks",
    "slots",
    "verified",
}
XSS = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'


@pytest.fixture
def web_app(shared_web_app: FastAPI) -> FastAPI:
    """Tests here only read their own sessions, so the module shares one app."""
    return shared_web_app


def open_session(client: TestClient) -> tuple[str, dict[str, str]]:
    answer = client.post("/api/v1/sessions", json={"consent": True})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    return body["session"], {"Authorization": f"Bearer {body['token']}"}


def say(client: TestClient, session: str, auth: dict[str, str], text: str) -> dict[str, object]:
    answer = client.post(f"/api/v1/sessions/{session}/messages", json={"text": text}, headers=auth)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_healthz_answers_ok(client: TestClient) -> None:
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json()["status"] == "ok"


def test_when_customer_writes_then_the_reply_has_the_chat_json_fields(client: TestClient) -> None:
    session, auth = open_session(client)
    reply = say(client, session, auth, "我买的蓝牙耳机坏了，想退货")
    assert set(reply) == REPLY_FIELDS
    assert reply["session"] == session
    assert reply["case_id"] in reply["reply"]  # accepting a case tells the customer its number
    assert reply["escalated"] is False


def test_when_customer_gives_a_phone_number_then_it_is_masked_in_reply_and_record(client: TestClient) -> None:
    session, auth = open_session(client)
    reply = say(client, session, auth, "耳机坏了要退货，我的手机号是13812345678")
    record = client.get(f"/api/v1/cases/{reply['case_id']}/record", params={"format": "md"}, headers=auth)
    assert record.status_code == 200
    assert "13812345678" not in json.dumps(reply, ensure_ascii=False)
    assert "13812345678" not in record.text


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        ({}, 401, "token_required"),
        ({"Authorization": "Bearer forged.token"}, 403, "wrong_session"),
        ({"Authorization": "Basic abc"}, 401, "token_required"),
    ],
)
def test_when_token_is_missing_or_forged_then_refused(client: TestClient, headers, status, code) -> None:
    session, _ = open_session(client)
    answer = client.post(f"/api/v1/sessions/{session}/messages", json={"text": "你好"}, headers=headers)
    assert answer.status_code == status
    assert answer.json()["error"]["code"] == code


def test_a_customer_token_only_reaches_its_own_session_and_case(client: TestClient) -> None:
    mine, my_auth = open_session(client)
    theirs, their_auth = open_session(client)
    their_reply = say(client, theirs, their_auth, "我要投诉你们的快递员态度很差")
    other = client.post(f"/api/v1/sessions/{theirs}/messages", json={"text": "你好"}, headers=my_auth)
    assert other.status_code == 403
    record = client.get(f"/api/v1/cases/{their_reply['case_id']}/record", headers=my_auth)
    assert record.status_code == 403
    assert mine != theirs


BAD_BODIES = [
    ("empty", {"json": {"text": ""}}, 422, "invalid_request"),
    ("blank", {"json": {"text": "   \n "}}, 422, "invalid_request"),
    ("huge", {"json": {"text": "退" * 2001}}, 422, "invalid_request"),
    ("control characters", {"json": {"text": "abc\x00\x01def"}}, 422, "invalid_request"),
    ("not text", {"json": {"text": 12345}}, 422, "invalid_request"),
    ("missing field", {"json": {"message": "hi"}}, 422, "invalid_request"),
    (
        "malformed json",
        {"content": b'{"text": "unterminated', "headers": {"content-type": "application/json"}},
        400,
        "malformed_json",
    ),
    (
        "binary",
        {"content": b"\xff\xfe\x00\x81binary", "headers": {"content-type": "application/json"}},
        400,
        "malformed_json",
    ),
    (
        "too large",
        {"content": b'{"text": "' + b"a" * 70000 + b'"}', "headers": {"content-type": "application/json"}},
        413,
        "body_too_large",
    ),
]


@pytest.mark.parametrize(("name", "request_kwargs", "status", "code"), BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_when_input_is_bad_then_a_clear_error_and_the_session_survives(
    client: TestClient, name: str, request_kwargs: dict, status: int, code: str
) -> None:
    session, auth = open_session(client)
    first = say(client, session, auth, "我买的耳机坏了")
    headers = {**auth, **request_kwargs.pop("headers", {})}
    answer = client.post(f"/api/v1/sessions/{session}/messages", headers=headers, **request_kwargs)
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert error["code"] == code and error["message"]
    again = say(client, session, auth, "订单号是 A20261120001")
    assert again["case_id"] == first["case_id"]


def test_when_streaming_then_events_arrive_in_order_and_deltas_make_the_reply(client: TestClient) -> None:
    session, auth = open_session(client)
    answer = client.post(f"/api/v1/sessions/{session}/messages/stream", json={"text": "耳机坏了想退货"}, headers=auth)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/event-stream")
    events = [
        (block.split("\n")[0].removeprefix("event: "), json.loads(block.split("\n")[1].removeprefix("data: ")))
        for block in answer.text.strip().split("\n\n")
    ]
    names = [name for name, _ in events]
    assert names[0] == "accepted" and names[-2:] == ["reply", "done"]
    reply = events[-2][1]
    assert set(reply) == REPLY_FIELDS
    assert "".join(data["text"] for name, data in events if name == "delta") == reply["reply"]


def test_when_stream_token_is_wrong_then_refused_before_streaming(client: TestClient) -> None:
    session, _ = open_session(client)
    answer = client.post(f"/api/v1/sessions/{session}/messages/stream", json={"text": "你好"})
    assert answer.status_code == 401


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_when_record_is_exported_then_customer_markup_is_escaped(client: TestClient, fmt: str) -> None:
    session, auth = open_session(client)
    reply = say(client, session, auth, f"耳机坏了 {XSS}")
    answer = client.get(f"/api/v1/cases/{reply['case_id']}/record", params={"format": fmt}, headers=auth)
    assert answer.status_code == 200
    assert reply["case_id"] in answer.text
    assert "<script>window.pwned" not in answer.text
    assert "<img src=x" not in answer.text
    assert "&lt;script&gt;" in answer.text


def test_when_record_format_is_unknown_then_422(client: TestClient) -> None:
    session, auth = open_session(client)
    reply = say(client, session, auth, "耳机坏了")
    answer = client.get(f"/api/v1/cases/{reply['case_id']}/record", params={"format": "pdf"}, headers=auth)
    assert answer.status_code == 422
    assert "format" in answer.json()["error"]["message"]


def test_openapi_documents_every_public_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/sessions",
        "/api/v1/sessions/{session_id}/messages",
        "/api/v1/sessions/{session_id}/messages/stream",
        "/api/v1/cases/{case_id}/record",
        "/healthz",
    ):
        assert path in paths, path
    assert "bearer" in json.dumps(paths["/api/v1/sessions/{session_id}/messages"]).lower()
    assert client.get("/docs").status_code == 200


def test_api_docs_page_loads_every_asset_from_this_server(client: TestClient) -> None:
    """A locked-down server cannot reach a CDN: every script, style and icon of /docs is ours."""
    page = client.get("/docs").text
    assets = re.findall(r"""(?:src|href)=['"]([^'"]+)['"]""", page) + re.findall(r"url: ?'([^']+)'", page)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets), assets
    for asset in assets:
        assert asset.startswith("/"), f"{asset} is not served by csbot"
        assert client.get(asset).status_code == 200, asset


def test_when_a_client_exceeds_its_budget_then_429_with_retry_after(web_settings: Settings) -> None:
    from bot.web.app import create_app

    strict = Settings(**{**web_settings.model_dump(), "rate_limit_per_minute": 2})
    with TestClient(create_app(strict), base_url="http://127.0.0.1") as limited:
        assert [limited.post("/api/v1/sessions", json={"consent": True}).status_code for _ in range(2)] == [201, 201]
        third = limited.post("/api/v1/sessions", json={"consent": True})
        assert third.status_code == 429
        assert int(third.headers["retry-after"]) >= 1
        assert third.json()["error"]["code"] == "rate_limited"
        assert limited.get("/healthz").status_code == 200  # only the public write endpoints are limited


def test_privacy_notice_is_served_for_companies_with_their_own_widget(client: TestClient) -> None:
    notice = client.get("/api/v1/privacy-notice").json()
    assert notice["version"] and notice["consent_label"]
    assert "保存三年" in notice["markdown"] and "删除" in notice["markdown"]


def test_when_something_unexpected_fails_then_500_without_echoing_the_error(web_settings: Settings) -> None:
    from bot.web.app import create_app

    app = create_app(web_settings)

    def broken() -> None:
        raise RuntimeError("customer said 13812345678")

    app.add_api_route("/api/v1/broken", broken)
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as plain:
        answer = plain.get("/api/v1/broken")
    assert answer.status_code == 500
    assert answer.json()["error"]["code"] == "internal"
    assert "13812345678" not in answer.text


def test_when_customer_consents_and_an_agent_ends_then_the_record_endpoint_shows_both(
    client: TestClient, web_app: FastAPI
) -> None:
    created = client.post("/api/v1/sessions", json={"consent": True}).json()
    session, auth = created["session"], {"Authorization": f"Bearer {created['token']}"}
    case_id = say(client, session, auth, "耳机坏了要退货")["case_id"]
    assert session in [row.session for row in web_app.state.ctx.queue.open_rows()]
    web_app.state.ctx.users.add("ender-agent", "agent", "a long test password")
    AgentHandlers(web_app.state.ctx).close(session, "", gr.Request(username="ender-agent"))
    version = client.get("/api/v1/privacy-notice").json()["version"]
    renewed = client.post(f"/api/v1/sessions/{session}/token", headers=auth).json()["token"]  # ending revoked it
    auth = {"Authorization": f"Bearer {renewed}"}
    for fmt in ("md", "html"):
        answer = client.get(f"/api/v1/cases/{case_id}/record", params={"format": fmt}, headers=auth)
        assert answer.status_code == 200, answer.text
        assert f"顾客已阅读并同意个人信息处理告知（版本 {version}，渠道 企业自有界面（API））" in answer.text
        assert "坐席 ender-agent 结束会话" in answer.text
    assert session not in [row.session for row in web_app.state.ctx.queue.open_rows()]


def test_when_the_only_message_was_blocked_then_the_conversation_is_still_in_the_agents_queue(
    client: TestClient, web_app: FastAPI
) -> None:
    created = client.post("/api/v1/sessions", json={"consent": True}).json()
    session, auth = created["session"], {"Authorization": f"Bearer {created['token']}"}
    reply = say(client, session, auth, f"耳机坏了 {XSS}")
    assert any(rail["verdict"] == "block" for rail in reply["rails"])  # an input rail stopped it
    rows = {row.session: row for row in web_app.state.ctx.queue.open_rows()}
    assert session in rows and rows[session].turns == 1
