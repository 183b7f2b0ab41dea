"""Issue 12 item 6: a Content-Security-Policy on every page, framing only from the widget's sites, Origin checks."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from bot.settings import Settings

SHOP = "https://shop.example.com"


@pytest.fixture
def web_settings(web_settings: Settings) -> Settings:
    return Settings(**{**web_settings.model_dump(), "widget_origins": SHOP})


def policy(answer) -> dict[str, str]:
    header = answer.headers.get("content-security-policy", "")
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


@pytest.mark.parametrize(
    "path", ["/", "/login", "/docs", "/widget/", "/api/v1/privacy-notice", "/healthz", "/no/such/page"]
)
def test_every_answer_carries_a_content_security_policy(client: TestClient, path: str) -> None:
    answer = client.get(path)
    rules = policy(answer)
    assert "default-src" in rules and "object-src" in rules and "frame-ancestors" in rules, answer.headers
    assert "img-src" in rules and "http:" not in rules["img-src"] and "*" not in rules["img-src"]


def test_only_the_widget_may_be_framed_and_only_by_the_listed_sites(
    client: TestClient, login: Callable[[str], TestClient]
) -> None:
    assert SHOP in policy(client.get("/widget/"))["frame-ancestors"]
    for path in ("/", "/login"):
        assert policy(client.get(path))["frame-ancestors"] == "frame-ancestors 'none'"
    agent_page = login("agent").get("/agent/")
    assert agent_page.status_code == 200
    assert policy(agent_page)["frame-ancestors"] == "frame-ancestors 'none'"


def test_when_a_staff_action_comes_from_a_foreign_origin_then_refused(login: Callable[[str], TestClient]) -> None:
    agent = login("agent")
    body = {"data": [], "fn_index": 0, "session_hash": "abc"}
    foreign = agent.post("/agent/gradio_api/queue/join", json=body, headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 403
    assert foreign.json()["error"]["code"] == "foreign_origin"
    own = agent.post("/agent/gradio_api/queue/join", json=body, headers={"Origin": "http://127.0.0.1"})
    assert own.status_code != 403
