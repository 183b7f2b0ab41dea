"""Issue 12 item 1: no customer session (and so no message) without an explicit consent."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient


@pytest.mark.parametrize("body", [None, {}, {"consent": False}])
def test_when_consent_is_missing_or_false_then_400_and_nothing_is_stored(
    client: TestClient, web_app: FastAPI, body: dict | None
) -> None:
    before = len(web_app.state.ctx.bot.records.cases())
    answer = client.post("/api/v1/sessions", json=body) if body is not None else client.post("/api/v1/sessions")
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert error["code"] == "consent_required"
    assert "同意" in error["message"] and "consent" in error["message"]
    assert "token" not in answer.json()
    assert len(web_app.state.ctx.bot.records.cases()) == before


def test_when_consent_is_true_then_a_token_and_a_consent_with_the_notice_version(
    client: TestClient, web_app: FastAPI
) -> None:
    answer = client.post("/api/v1/sessions", json={"consent": True})
    assert answer.status_code == 201
    consent = web_app.state.ctx.consents.of(answer.json()["session"])
    version = client.get("/api/v1/privacy-notice").json()["version"]
    assert consent is not None and consent["notice_version"] == version and consent["channel"] == "api"


def test_when_consent_is_not_a_real_boolean_then_it_is_refused(client: TestClient) -> None:
    answer = client.post("/api/v1/sessions", json={"consent": "yes"})
    assert answer.status_code in (400, 422)
    assert "token" not in answer.json()
