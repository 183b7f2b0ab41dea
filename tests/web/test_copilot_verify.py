"""Issue 10 item 3: an agent confirms stated facts as verified in the copilot, over real HTTP (the app's
test client) and through the copilot's handlers. The confirmation is a ``verify`` record in the hash
chain (who, what, when); from the next turn the reply lists the facts in ``verified`` and states them
under 经客服核对, and the written record shows who checked what and when."""

from __future__ import annotations

from typing import Any

import gradio as gr
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.records.bodies import EVENT_KINDS, read_body
from bot.types import Turn
from bot.web.ui_agent import AgentHandlers


def customer(client: TestClient) -> tuple[str, dict[str, str]]:
    created = client.post("/api/v1/sessions", json={"consent": True}).json()
    return created["session"], {"Authorization": f"Bearer {created['token']}"}


def say(client: TestClient, session: str, auth: dict[str, str], text: str) -> dict[str, Any]:
    answer = client.post(f"/api/v1/sessions/{session}/messages", json={"text": text}, headers=auth)
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_an_agents_confirmation_is_recorded_and_the_next_reply_states_the_facts_as_checked(
    client: TestClient, login: Any, web_app: FastAPI
) -> None:
    session, auth = customer(client)
    first = say(client, session, auth, "电热水壶漏水了，订单号 DD2026112233445，11月27日收到的")
    assert first["step"] == "investigate" and first["verified"] == []
    agent = login("agent")
    answer = agent.post(f"/api/v1/agent/sessions/{session}/verify", json={"facts": ["order_no", "receipt_date"]})
    assert answer.status_code == 200, answer.text
    verified = answer.json()["verified"]
    assert set(verified) == {"order_no", "receipt_date"}
    assert {stamp["by"] for stamp in verified.values()} == {"agent-user"}
    assert {stamp["how"] for stamp in verified.values()} == {"agent"} and all(s["at"] for s in verified.values())

    bot = web_app.state.ctx.bot
    case_id = first["case_id"]
    event = bot.records.for_case(case_id)[-1]
    assert event["kind"] == "verify" and "verify" in EVENT_KINDS and event["actor"] == "agent"
    body = read_body(event["kind"], event["body"])
    assert body.agent_id == "agent-user"  # type: ignore[union-attr]
    facts = {fact["key"]: fact for fact in body.facts or []}  # type: ignore[union-attr]
    assert facts["order_no"]["value"] == "DD2026112233445" and facts["receipt_date"]["label"] == "收货日期"

    offer = say(client, session, auth, "有视频")
    assert offer["step"] == "resolve"
    assert {"order_no", "receipt_date"} <= set(offer["verified"])
    assert "经客服核对" in offer["reply"]
    assert "经系统核对" not in offer["reply"]  # no order system answered: nobody may claim it did

    record = client.get(f"/api/v1/cases/{case_id}/record", headers=auth).text
    assert "坐席 agent-user 核对确认：订单号 DD2026112233445、收货日期 2026-11-27" in record
    assert "DD2026112233445（经客服核对：agent-user，" in record
    assert "问题表现" in record and "问题表现：电热水壶漏水（经" not in record  # a stated fact carries no mark
    assert login("qa").get("/api/v1/records/verify").json()["ok"] is True  # the chain still verifies


def test_the_investigation_completes_on_a_value_the_agent_checked(client: TestClient, login: Any) -> None:
    session, auth = customer(client)
    first = say(client, session, auth, "热水壶漏水了，11月27日收到的，有视频")
    assert first["step"] == "investigate" and "order_no" in first["missing_slots"]
    agent = login("agent")
    answer = agent.post(
        f"/api/v1/agent/sessions/{session}/verify",
        json={"facts": ["receipt_date"], "values": {"order_no": "DD2026112233445"}},  # from the receipt photo
    )
    assert answer.status_code == 200, answer.text
    moved = say(client, session, auth, "好的")
    assert moved["step"] == "resolve" and moved["slots"]["order_no"] == "DD2026112233445"
    assert {"order_no", "receipt_date"} <= set(moved["verified"]) and "经客服核对" in moved["reply"]


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ({"facts": ["identity"]}, "不能核对"),
        ({"facts": ["purchase_date"]}, "还没有值"),
        ({"facts": [], "values": {"receipt_date": "上周三"}}, "年-月-日"),
        ({"facts": [], "values": {"receipt_date": "2099-01-01"}}, "不能晚于今天"),
        ({"facts": [], "values": {"amount": "很多"}}, "数字"),
        ({"facts": []}, "至少选择一项"),
    ],
)
def test_a_confirmation_that_cannot_be_recorded_says_why_in_chinese_and_records_nothing(
    client: TestClient, login: Any, web_app: FastAPI, payload: dict[str, Any], words: str
) -> None:
    session, auth = customer(client)
    case_id = say(client, session, auth, "电热水壶漏水了，订单号 DD2026112233445")["case_id"]
    before = len(web_app.state.ctx.bot.records.for_case(case_id))
    answer = login("agent").post(f"/api/v1/agent/sessions/{session}/verify", json=payload)
    assert answer.status_code == 422 and words in answer.json()["error"]["message"], answer.text
    assert len(web_app.state.ctx.bot.records.for_case(case_id)) == before


def test_only_staff_with_the_copilot_role_may_confirm(client: TestClient, login: Any) -> None:
    session, auth = customer(client)
    say(client, session, auth, "电热水壶漏水了，订单号 DD2026112233445")
    route = f"/api/v1/agent/sessions/{session}/verify"
    assert client.post(route, json={"facts": ["order_no"]}, headers=auth).status_code in (401, 403)
    assert login("qa").post(route, json={"facts": ["order_no"]}).status_code == 403
    assert login("agent").post("/api/v1/agent/sessions/nope/verify", json={"facts": ["order_no"]}).status_code == 404


def test_a_later_stated_value_does_not_replace_a_checked_one(web_app: FastAPI) -> None:
    bot = web_app.state.ctx.bot
    session = bot.new_session()
    bot.handle(Turn(session, "电热水壶漏水了，订单号 DD2026112233445，11月27日收到的"))
    bot.verify_facts(session, "agent-user", ["receipt_date"])
    bot.handle(Turn(session, "好像是11月29日收到的"))
    assert bot.case_view(session).slots["receipt_date"] == "2026-11-27"


def test_the_copilot_panel_confirms_facts_and_shows_who_checked_them(web_app: FastAPI) -> None:
    web_app.state.ctx.users.add("agent-user", "agent", "a long test password")
    copilot, me = AgentHandlers(web_app.state.ctx), gr.Request(username="agent-user")
    bot = web_app.state.ctx.bot
    session = bot.new_session()
    bot.handle(Turn(session, "电热水壶漏水了，订单号 DD2026112233445"))
    choices, entries, shown = copilot.verify_choices(session)
    assert ("订单号：DD2026112233445", "order_no") in choices["choices"] and "暂无" in shown
    assert ("购买日期", "purchase_date") in entries["choices"]
    with pytest.raises(gr.Error, match="年-月-日"):
        copilot.verify(session, [], "purchase_date", "上个月", me)
    choices, _entries, shown, box, notice = copilot.verify(session, ["order_no"], "purchase_date", "2026-11-25", me)
    assert "经客服核对：agent-user" in shown and "购买日期：2026-11-25" in shown and box == "" and "已记录" in notice
    assert ("订单号：DD2026112233445（已核对）", "order_no") in choices["choices"]
    assert bot.case_view(session).verified["purchase_date"]["by"] == "agent-user"
