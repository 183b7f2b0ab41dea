"""Issue 10 item 3 in a real headless chromium: the agent ticks a stated fact in the copilot's 核对事实
panel, confirms it, and sees who checked it; the case holds it as verified under the agent's account."""

from __future__ import annotations

import pytest

from tests.web.test_browser import customer_case, log_in, new_page
from tests.web.test_browser_copilot import DRAFT_FILLED

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_agent_confirms_a_stated_fact_in_the_copilot(browser, live_server, web_app) -> None:
    session, case_id = customer_case(live_server, "电热水壶漏水了，订单号 DD2026112233445")
    page = new_page(browser)
    log_in(page, live_server, web_app, "agent", "/agent/")
    page.locator("#queue label", has_text=case_id).click()
    page.wait_for_function(DRAFT_FILLED)
    page.get_by_text("核对事实（记入书面记录）").click()
    page.locator("#verified").get_by_text("暂无").wait_for()
    page.locator("#verify-facts label", has_text="订单号：DD2026112233445").click()
    page.locator("#verify").click()
    page.locator("#verified").get_by_text("经客服核对：agent-user").wait_for()
    page.locator("#verify-facts label", has_text="（已核对）").wait_for()
    stamp = web_app.state.ctx.bot.case_view(session).verified["order_no"]
    assert stamp["by"] == "agent-user" and stamp["how"] == "agent"
