"""The REST API with planted personal data: error bodies, replies, the agent's escalation and the
server logs hold none of it, whatever shape the bad request has."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.audit.planted import BANK_CARD, EMAIL, ID_CARD, MESSAGES, NAME, PHONE, leaked

PLANTED_TEXT = f"我叫{NAME}，手机{PHONE}，身份证{ID_CARD}，卡号{BANK_CARD}，邮箱{EMAIL}"


def _open(client: TestClient) -> tuple[str, dict[str, str]]:
    body = client.post("/api/v1/sessions", json={"consent": True}).json()
    return body["session"], {"Authorization": f"Bearer {body['token']}"}


@pytest.mark.parametrize(
    "content",
    [
        json.dumps({"text": PLANTED_TEXT + "\x00\x07"}),  # control characters
        json.dumps({"text": PLANTED_TEXT * 400}),  # too long
        json.dumps({"text": [PLANTED_TEXT]}),  # wrong type
        json.dumps({"message": PLANTED_TEXT}),  # wrong field
        '{"text": "' + PLANTED_TEXT + '", ',  # malformed JSON
        PLANTED_TEXT,  # not JSON at all
    ],
    ids=["control-chars", "too-long", "wrong-type", "wrong-field", "malformed-json", "plain-text"],
)
def test_when_a_bad_request_carries_personal_data_then_the_error_body_and_logs_hold_none(
    client: TestClient, caplog: pytest.LogCaptureFixture, content: str
) -> None:
    session, headers = _open(client)
    with caplog.at_level(logging.DEBUG):
        answer = client.post(
            f"/api/v1/sessions/{session}/messages",
            content=content.encode(),
            headers={**headers, "Content-Type": "application/json"},
        )
    assert 400 <= answer.status_code < 500 and "error" in answer.json(), answer.text
    assert leaked(answer.text + caplog.text) == []


def test_when_a_session_plants_personal_data_over_http_then_replies_and_logs_hold_none(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    session, headers = _open(client)
    texts = [m.decode("utf-8", errors="replace") if isinstance(m, bytes) else m for m in MESSAGES]
    with caplog.at_level(logging.DEBUG):
        answers = [
            client.post(f"/api/v1/sessions/{session}/messages", json={"text": t}, headers=headers) for t in texts if t
        ]
    assert all(a.status_code in (200, 422) for a in answers) and any(a.status_code == 200 for a in answers)
    assert leaked("\n".join(a.text for a in answers) + caplog.text) == []


def test_when_an_agent_sends_personal_data_then_the_api_answers_and_logs_hold_none(
    client: TestClient, login: Callable[[str], TestClient], caplog: pytest.LogCaptureFixture
) -> None:
    session, headers = _open(client)
    client.post(f"/api/v1/sessions/{session}/messages", json={"text": f"台灯坏了，我叫{NAME}"}, headers=headers)
    agent = login("agent")
    with caplog.at_level(logging.DEBUG):
        sent = agent.post(f"/api/v1/agent/sessions/{session}/send", json={"text": f"{NAME}您好，{PLANTED_TEXT}"})
        escalated = agent.post(f"/api/v1/agent/sessions/{session}/escalate", json={"reason": PLANTED_TEXT})
    assert sent.status_code == 200 and escalated.status_code == 200, sent.text
    assert sent.json()["reply"] == f"{NAME}您好，{PLANTED_TEXT}"  # sent as typed: checked, not rewritten
    assert leaked(json.dumps({**sent.json(), "reply": ""}, ensure_ascii=False) + escalated.text + caplog.text) == []
