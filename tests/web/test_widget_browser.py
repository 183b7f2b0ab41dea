"""Issue 15, the customer widget in a real headless chromium, on a desktop and on a phone (390x844).

Each test is one customer's task and waits on what the page shows, never on time.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import expect

from bot.web.schemas import MAX_MESSAGE_CHARS
from tests.web.test_browser import new_page, say, start_widget

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = [pytest.param(PHONE, id="phone"), pytest.param(DESKTOP, id="desktop")]


def session_of(page) -> str:
    page.wait_for_function("() => document.querySelector('#widget-state')?.dataset.session")
    return page.locator("#widget-state").get_attribute("data-session")


def bubbles(page, kind: str = "bot") -> int:
    return page.locator(f"#conversation [data-testid={kind}]").count()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_empty_message_and_missing_consent_are_explained_inline_and_the_chat_stays_usable(
    browser, live_server: str, viewport: dict
) -> None:
    page = new_page(browser, viewport=viewport)
    page.goto(f"{live_server}/widget/")
    page.locator("#start").click()
    expect(page.locator("#consent-hint")).to_contain_text("请先勾选")
    assert page.locator(".toast-body, [data-testid=toast-body]").count() == 0  # no red "Error" pill
    page.locator("#consent input[type=checkbox]").check()
    page.locator("#start").click()
    page.locator("#message textarea").wait_for()
    page.locator("#send").click()
    expect(page.locator("#hint")).to_contain_text("请输入您的问题")
    assert page.locator(".toast-body, [data-testid=toast-body]").count() == 0
    assert page.get_by_text("Error", exact=True).count() == 0
    say(page, "我买的电水壶漏水，想换一个")  # the same box still sends
    expect(page.locator("#hint")).to_have_text("")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_reload_resumes_the_same_conversation(browser, live_server: str, viewport: dict) -> None:
    page = new_page(browser, viewport=viewport)
    start_widget(page, live_server)
    say(page, "我买的电水壶漏水，想换一个")
    session = session_of(page)
    case_id = page.locator("#status code").inner_text()
    page.reload()
    expect(page.locator("#status code")).to_have_text(case_id)
    expect(page.locator("#conversation")).to_contain_text("电水壶漏水")
    assert session_of(page) == session
    assert not page.locator("#notice").is_visible()
    say(page, "订单号是 A20261120001")
    assert bubbles(page, "user") == 2


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_enter_sends_and_shift_enter_adds_a_line(browser, live_server: str, viewport: dict) -> None:
    page = new_page(browser, viewport=viewport)
    start_widget(page, live_server)
    box = page.locator("#message textarea")
    box.click()
    box.type("我买的电水壶漏水")
    box.press("Shift+Enter")
    box.type("订单号是 A20261120001")
    assert page.evaluate("() => document.querySelector('#message textarea').value") == (
        "我买的电水壶漏水\n订单号是 A20261120001"
    )
    assert bubbles(page, "user") == 0
    box.press("Enter")
    page.locator("#conversation [data-testid=user]").first.wait_for()
    expect(page.locator("#conversation [data-testid=user]").first).to_contain_text("A20261120001")
    expect(box).to_have_value("")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_paste_over_the_limit_is_cut_with_a_notice(browser, live_server: str, web_app: FastAPI, viewport) -> None:
    page = new_page(browser, viewport=viewport)
    start_widget(page, live_server)
    long_text = "我买的电水壶漏水。" + "详细情况" * 1250  # 5,009 characters
    say(page, long_text)
    expect(page.locator("#hint")).to_contain_text(f"超过 {MAX_MESSAGE_CHARS} 字")
    stored = web_app.state.ctx.bot.records.for_session(session_of(page))[-1]["body"]["masked_text"]
    assert len(stored) == MAX_MESSAGE_CHARS


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_an_agent_reply_arrives_live_and_the_bot_stops_answering(
    browser, live_server: str, web_app: FastAPI, viewport: dict
) -> None:
    bot = web_app.state.ctx.bot
    page = new_page(browser, viewport=viewport)
    start_widget(page, live_server)
    say(page, "你们的快递员态度很差，我要投诉")
    page.locator("#human").click()
    expect(page.locator("#agent-badge")).to_contain_text("正在为您转接人工客服")
    session = session_of(page)
    bot.agent_send(session, "agent-li", "您好，我是人工客服小李，已经看到您的投诉。")
    expect(page.locator("#conversation")).to_contain_text("小李", timeout=30_000)  # no customer message needed
    expect(page.locator("#agent-badge")).to_contain_text("人工客服已接入")
    say(page, "好的，请尽快处理")
    expect(page.locator("#conversation [data-testid=bot]").last).to_contain_text("人工客服会尽快回复")
    assert bot.records.for_session(session)[-1]["kind"] == "held"
    badge, last = page.locator("#agent-badge").bounding_box(), page.locator("#conversation").bounding_box()
    assert badge["y"] + badge["height"] <= last["y"]  # the badge sits above the messages, never over them


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_at_the_close_the_customer_rates_the_service_and_downloads_the_transcript(
    browser, live_server: str, web_app: FastAPI, viewport: dict, tmp_path: Path
) -> None:
    ctx = web_app.state.ctx
    page = new_page(browser, viewport=viewport)
    start_widget(page, live_server)
    say(page, "Hi, the blender I bought from your shop is broken")
    expect(page.locator("#hint")).to_contain_text("available in Chinese only")
    say(page, "我买的搅拌机坏了")
    session = session_of(page)
    ctx.queue.close(session, "agent-li", "已处理")  # the agent ends the conversation
    page.locator("#rating").wait_for(timeout=30_000)
    page.locator("#rating label", has_text="满意").first.click()
    expect(page.locator("#hint")).to_contain_text("感谢您的评价")
    expect(page.locator("#rating-box")).to_be_hidden()
    rated = [row for row in ctx.bot.records.for_session(session) if row["kind"] == "satisfaction"]
    assert [row["body"]["rating"] for row in rated] == ["satisfied"]
    assert "顾客满意度评价：满意" in ctx.bot.records.export(ctx.bot.case_view(session).case_id, "md")
    page.locator("#transcript").click()
    with page.expect_download() as download:
        page.locator("#transcript-link").click()
    saved = tmp_path / "transcript.txt"
    download.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert "搅拌机坏了" in text and ctx.bot.case_view(session).case_id in text
