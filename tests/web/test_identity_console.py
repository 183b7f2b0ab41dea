"""Issue 10 item 3 in the web app: the customer REST API verifies identity by the one-time code, and
the agent console (copilot side panel) shows the code the demo sender "sent", for the demo only."""

from __future__ import annotations

import json
import re

import gradio as gr
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.web.ui_agent import AgentHandlers

PANEL = 6  # conversation, checklist, flags, draft, grounds, placeholders, side panel, …


def say(client: TestClient, session: str, auth: dict[str, str], text: str) -> dict[str, object]:
    answer = client.post(f"/api/v1/sessions/{session}/messages", json={"text": text}, headers=auth)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_the_agent_console_shows_the_demo_code_and_the_rest_reply_says_verified(
    web_app: FastAPI, client: TestClient
) -> None:
    opened = client.post("/api/v1/sessions", json={"consent": True}).json()
    session, auth = opened["session"], {"Authorization": f"Bearer {opened['token']}"}
    say(client, session, auth, "我要删除你们保存的我的个人信息")
    sent = say(client, session, auth, "注册手机号 13812345678")
    assert sent["step"] == "investigate" and sent["verified"] == []
    assert "13812345678" not in json.dumps(sent, ensure_ascii=False)

    web_app.state.ctx.users.add("agent-otp", "agent", "a long test password")
    shown = AgentHandlers(web_app.state.ctx).open(session, gr.Request(username="agent-otp"))
    panel = shown[PANEL]
    found = re.search(r"验证码已发送至 \[手机号1\]: (\d{6})", panel)
    assert found is not None, panel
    assert "仅演示" in panel and "13812345678" not in panel

    wrong = say(client, session, auth, f"{(int(found.group(1)) + 1) % 1_000_000:06d}")
    assert wrong["verified"] == [] and "还可以再试4次" in str(wrong["reply"])
    verified = say(client, session, auth, f"验证码 {found.group(1)}")
    assert verified["step"] == "resolve" and verified["verified"] == ["identity"]
    assert found.group(1) not in json.dumps(verified, ensure_ascii=False)
    record = client.get(f"/api/v1/cases/{verified['case_id']}/record", params={"format": "md"}, headers=auth)
    assert record.status_code == 200
    assert "验证码已核对" in record.text and found.group(1) not in record.text and "13812345678" not in record.text


def test_a_case_without_a_code_shows_no_demo_section(web_app: FastAPI, client: TestClient) -> None:
    opened = client.post("/api/v1/sessions", json={"consent": True}).json()
    session, auth = opened["session"], {"Authorization": f"Bearer {opened['token']}"}
    say(client, session, auth, "耳机坏了想退货")
    web_app.state.ctx.users.add("agent-otp2", "agent", "a long test password")
    panel = AgentHandlers(web_app.state.ctx).open(session, gr.Request(username="agent-otp2"))[PANEL]
    assert "演示短信" not in panel and "验证码已发送" not in panel
