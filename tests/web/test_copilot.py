"""Issue 15, the agent copilot's handlers over the real engine (no browser): checked send with confirm,
regenerate, the workspace panels, queue filters, macros, citations, ownership and notes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import gradio as gr
import pytest
from fastapi import FastAPI

from bot.orders import DEMO_FILE, SqliteOrders
from bot.types import Turn
from bot.web import workspace
from bot.web.queue import QueueFilter
from bot.web.ui_agent import AgentHandlers

DEMO_ORDERS = Path(__file__).parents[2] / "bot" / "orders" / "demo" / "orders.csv"
SHOWN = 9  # conversation, checklist, flags, draft, grounds, placeholders, side panel, owner, notes


def staff(web_app: FastAPI, name: str = "agent-user") -> gr.Request:
    web_app.state.ctx.users.add(name, "agent", "a long test password")
    return gr.Request(username=name)


def opened(web_app: FastAPI, text: str) -> tuple[str, str]:
    bot = web_app.state.ctx.bot
    session = bot.new_session()
    return session, bot.handle(Turn(session, text)).case_id


@pytest.fixture
def copilot(web_app: FastAPI) -> AgentHandlers:
    return AgentHandlers(web_app.state.ctx)


def test_send_with_an_objection_shows_it_in_chinese_and_sends_nothing_until_confirmed(
    web_app: FastAPI, copilot: AgentHandlers
) -> None:
    session, case_id = opened(web_app, "我是李娜，耳机坏了要退货，订单号 A20261120001")
    agent = staff(web_app)
    typed = "李女士您好，我们已收到您的退货申请。"
    before = len(web_app.state.ctx.bot.records.for_case(case_id))
    *_, _notice, check, confirm, pending = copilot.send(session, typed, agent)
    assert len(web_app.state.ctx.bot.records.for_case(case_id)) == before  # nothing sent yet
    assert confirm["visible"] is True and pending == typed
    assert "个人信息" in check and "“李”" in check and "姓名" in check
    assert not any(word in check for word in ("masked", "repaired", "fallback", "name×"))
    shown = copilot.send_anyway(session, pending, typed, agent)
    sent = web_app.state.ctx.bot.records.for_case(case_id)[-1]
    assert sent["actor"] == "agent" and sent["body"]["agent_id"] == "agent-user"
    reply = sent["body"]["reply"]
    assert reply.endswith("女士您好，我们已收到您的退货申请。") and "[已删除]" not in reply
    assert shown[3] == gr.update(value="")  # the draft box is cleared after sending
    assert "已发送" in shown[SHOWN] and shown[SHOWN + 2]["visible"] is False


def test_text_edited_after_the_check_is_checked_again_before_it_goes(web_app: FastAPI, copilot: AgentHandlers) -> None:
    session, case_id = opened(web_app, "我是李娜，耳机坏了要退货，订单号 A20261120001")
    agent = staff(web_app)
    *_, pending = copilot.send(session, "李女士您好，我们已收到您的退货申请。", agent)
    before = len(web_app.state.ctx.bot.records.for_case(case_id))
    *_, check, _confirm, again = copilot.send_anyway(session, pending, "Hello, we got it", agent)
    assert len(web_app.state.ctx.bot.records.for_case(case_id)) == before
    assert "语言" in check and again == "Hello, we got it"


def test_the_bots_flags_are_chinese(web_app: FastAPI, copilot: AgentHandlers) -> None:
    session, _ = opened(web_app, "买的耳机有质量问题，根据消费者权益保护法我要退货")
    flags = copilot.open(session)[2]
    assert "检查结果" in flags
    assert not any(word in flags for word in ("repaired", "disclaimer", "explains", "appended", "missing"))


def test_regenerate_gives_a_different_draft(web_app: FastAPI, copilot: AgentHandlers) -> None:
    session, _ = opened(web_app, "我是李娜，耳机坏了要退货，订单号 A20261120001")
    first = copilot.open(session)
    again = copilot.regenerate(session, first[SHOWN + 1], first[SHOWN])
    assert again[SHOWN] != first[SHOWN] and again[3]["value"] == again[SHOWN]
    assert again[SHOWN + 1] > first[SHOWN + 1]


def test_the_panel_shows_the_order_earlier_cases_by_customer_key_and_sla(web_app: FastAPI, web_settings) -> None:
    SqliteOrders(web_settings.home / DEMO_FILE).load_csv(DEMO_ORDERS)
    bot = web_app.state.ctx.bot
    bot.parts.engine.orders = SqliteOrders(web_settings.home / DEMO_FILE)  # loaded after the app opened
    _earlier, earlier_id = opened(web_app, "上次买的冰箱不制冷，我的手机13800138000")
    _other, other_id = opened(web_app, "我的台灯坏了，电话13900139000")
    session, _ = opened(web_app, "电热水壶坏了要退货，订单号 DD2026112233445，手机 138 0013 8000")
    text = workspace.panel(bot, session, bot.case_view(session))
    assert "电热水壶" in text and "129" in text and "2026-11-27" in text
    assert earlier_id in text and other_id not in text
    assert "13800138000" not in text
    assert "时限" in text and "剩余" in text
    later = datetime.now(UTC) + timedelta(days=30)
    late = workspace.sla_lines(
        bot.parts.engine.procedures[bot.case_view(session).procedure],
        bot.case_view(session).step,
        bot.records.for_session(session),
        later,
    )
    assert any("已超时" in line for line in late)


def test_queue_search_and_filters(web_app: FastAPI, copilot: AgentHandlers) -> None:
    lamp, _ = opened(web_app, "我的台灯坏了，要退货")
    rude, _ = opened(web_app, "快递员态度很差，我要投诉")
    bot, queue = web_app.state.ctx.bot, web_app.state.ctx.queue
    bot.escalate(rude, "顾客要求主管回电", "agent-user")
    assert [r.session for r in queue.matching(QueueFilter(text="台灯"))] == [lamp]
    assert [r.session for r in queue.matching(QueueFilter(escalated_only=True))] == [rude]
    step = bot.case_view(lamp).step
    assert lamp in [r.session for r in queue.matching(QueueFilter(step=step))]
    bot.take_case(lamp, "agent-user")
    assert [r.session for r in queue.matching(QueueFilter(owner="mine", me="agent-user"))] == [lamp]
    assert [r.session for r in queue.matching(QueueFilter(owner="unassigned"))] == [rude]
    choices = copilot.refresh_queue("台灯", "", False, "all", staff(web_app))["choices"]
    assert [value for _, value in choices] == [lamp]


def test_macros_and_citations_insert_into_the_draft(copilot: AgentHandlers) -> None:
    title, text = workspace.macros()[0]
    assert copilot.insert_macro("您好。", title) == f"您好。\n{text}"
    with pytest.raises(gr.Error):
        copilot.insert_macro("您好。", None)
    cited = copilot.insert_ground("可以退货。", "statute|中华人民共和国消费者权益保护法|24", "s")
    assert cited == "可以退货。依据《中华人民共和国消费者权益保护法》第24条。"


def test_take_release_and_notes_through_the_handlers(web_app: FastAPI, copilot: AgentHandlers) -> None:
    session, _ = opened(web_app, "我的台灯坏了，要退货")
    me, other = staff(web_app), staff(web_app, "agent-two")
    owner, _ = copilot.take(session, me)
    assert "agent-user" in owner and "（我）" in owner
    with pytest.raises(gr.Error):
        copilot.release(session, other)
    owner, _ = copilot.release(session, me)
    assert "未分配" in owner
    notes, box, _ = copilot.add_note(session, "顾客说周末在家 <b>x</b>", me)
    assert "周末在家" in notes and "<b>" not in notes and box == ""
    with pytest.raises(gr.Error):
        copilot.add_note(session, " ", me)


def test_the_api_checks_an_agents_text_and_records_ownership_and_notes(client, login) -> None:
    created = client.post("/api/v1/sessions", json={"consent": True}).json()
    auth = {"Authorization": f"Bearer {created['token']}"}
    session = created["session"]
    client.post(f"/api/v1/sessions/{session}/messages", json={"text": "我是李娜，耳机坏了要退货"}, headers=auth)
    agent = login("agent")
    checked = agent.post(f"/api/v1/agent/sessions/{session}/check", json={"text": "Hello, we got it"}).json()
    assert checked["clean"] is False
    language = [o for o in checked["objections"] if o["rule"] == "language"]
    assert language and language[0]["rule_zh"] == "语言" and "中文" in language[0]["reasons_zh"][0]
    assert agent.post(f"/api/v1/agent/sessions/{session}/take").json()["owner"] == "agent-user"
    assert agent.post(f"/api/v1/agent/sessions/{session}/notes", json={"text": "  "}).status_code == 422
    assert agent.post(f"/api/v1/agent/sessions/{session}/notes", json={"text": "已电话联系"}).json()["noted"]
    assert agent.post(f"/api/v1/agent/sessions/{session}/release").json()["owner"] is None
    assert client.post(f"/api/v1/agent/sessions/{session}/take", headers=auth).status_code in (401, 403)
