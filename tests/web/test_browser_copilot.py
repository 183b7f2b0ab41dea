"""Issue 15, the agent copilot in a real headless chromium: the agent's words are checked, shown what a
rail objects to and sent as typed; shortcuts, regenerate, macros, ownership, notes, the side panel, search."""

from __future__ import annotations

import pytest

from bot.orders import DEMO_FILE, SqliteOrders
from tests.web.test_browser import customer_case, log_in, new_page
from tests.web.test_copilot import DEMO_ORDERS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DRAFT_FILLED = "() => document.querySelector('#draft textarea').value.length > 0"


def draft_value(page) -> str:
    return page.locator("#draft textarea").input_value()


def test_agent_is_shown_the_objection_in_chinese_and_sends_the_text_as_typed(browser, live_server, web_app) -> None:
    session, case_id = customer_case(live_server, "我是李娜，耳机坏了要退货，订单号 A20261120001")
    page = new_page(browser)
    log_in(page, live_server, web_app, "agent", "/agent/")
    page.locator("#queue label", has_text=case_id).click()
    page.wait_for_function(DRAFT_FILLED)
    first = draft_value(page)
    page.locator("#draft textarea").click()
    page.keyboard.press("Alt+r")  # 重新生成 by its shortcut: another wording
    page.wait_for_function(
        "(old) => { const v = document.querySelector('#draft textarea').value; return v.length > 0 && v !== old; }",
        arg=first,
    )
    typed = "李女士您好，我们已收到您的退货申请。"
    page.locator("#draft textarea").fill(typed)
    page.keyboard.press("Control+Enter")  # 发送 by its shortcut: the checks run first
    check = page.locator("#check")
    check.get_by_text("个人信息").wait_for()
    assert "“李”" in check.inner_text() and "姓名" in check.inner_text()
    assert "masked" not in check.inner_text()
    page.locator("#send-anyway").click()
    page.locator("#notice").get_by_text("按您的原文发送").wait_for()
    page.locator("#conversation").get_by_text("女士您好，我们已收到您的退货申请").wait_for()
    page.wait_for_function("() => document.querySelector('#draft textarea').value === ''")
    sent = web_app.state.ctx.bot.records.for_session(session)[-1]
    assert sent["actor"] == "agent" and "[已删除]" not in sent["body"]["reply"]
    assert "Ctrl+Enter" in page.locator("#shortcuts").inner_text()


def test_agent_takes_a_case_notes_it_inserts_a_macro_and_sees_the_order(
    browser, live_server, web_app, web_settings
) -> None:
    SqliteOrders(web_settings.home / DEMO_FILE).load_csv(DEMO_ORDERS)
    web_app.state.ctx.bot.parts.engine.orders = SqliteOrders(web_settings.home / DEMO_FILE)
    customer_case(live_server, "我的台灯坏了，要退货")
    session, case_id = customer_case(live_server, "电热水壶坏了要退货，订单号 DD2026112233445")
    page = new_page(browser)
    log_in(page, live_server, web_app, "agent", "/agent/")
    page.locator("#queue-search textarea").fill("电热水壶")
    page.locator("#queue-search textarea").press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#queue label').length === 1")
    page.locator("#queue label", has_text=case_id).click()
    page.wait_for_function(DRAFT_FILLED)
    page.locator("#customer-panel").get_by_text("电热水壶").wait_for()
    assert "时限" in page.locator("#customer-panel").inner_text()
    page.locator("#take").click()
    page.locator("#owner").get_by_text("agent-user").wait_for()
    assert web_app.state.ctx.bot.case_owner(session) == "agent-user"
    page.locator("#note textarea").fill("顾客说周末在家，可上门取件")
    page.locator("#add-note").click()
    page.locator("#notes").get_by_text("周末在家").wait_for()
    page.locator("#draft textarea").fill("")
    page.locator("#macro input").click()
    page.get_by_role("option", name="请提供照片").click()
    page.locator("#insert-macro").click()
    page.wait_for_function("() => document.querySelector('#draft textarea').value.includes('照片或短视频')")
    assert not any("周末在家" in str(line["text"]) for line in web_app.state.ctx.bot.case_view(session).transcript)
