"""Records search (issue 15): by case number, product, order number, procedure name and the date a
case was opened; a bad date is a Chinese message, never a crash. In a real browser a click on a row
opens the case."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import gradio as gr
import pytest
from fastapi import FastAPI
from playwright.sync_api import expect

from bot.types import Turn
from bot.web.ui_records import RecordsHandlers
from tests.web.test_browser import log_in, new_page

HEADPHONES = ("我买的蓝牙耳机坏了，左耳没声音，想退货", "订单号 DD2026112012345，三天前收到的")
FRIDGE = ("冰箱不想要了，想七天无理由退货", "订单号 DD2026119876543，没拆封")


def open_case(web_app: FastAPI, *messages: str) -> str:
    bot = web_app.state.ctx.bot
    session = bot.new_session()
    return [bot.handle(Turn(session, text)).case_id for text in messages][-1]


@pytest.fixture
def two_cases(web_app: FastAPI) -> tuple[str, str]:
    return open_case(web_app, *HEADPHONES), open_case(web_app, *FRIDGE)


def found(records: RecordsHandlers, query: str, opened_from: str = "", opened_to: str = "") -> list[str]:
    rows, _ = records.search(query, opened_from, opened_to)
    return [row[0] for row in rows]


def test_search_by_product_order_number_procedure_name_and_several_words(
    web_app: FastAPI, two_cases: tuple[str, str]
) -> None:
    headphones, fridge = two_cases
    records = RecordsHandlers(web_app.state.ctx)
    assert found(records, "耳机") == [headphones]
    assert found(records, "DD2026119876543") == [fridge]
    assert found(records, "dd2026112012345") == [headphones]  # case does not matter
    procedures = web_app.state.ctx.bot.parts.engine.procedures
    state = web_app.state.ctx.bot.records.case_state(fridge)
    assert found(records, procedures[state["procedure"]].name) == [fridge]
    assert found(records, "耳机 DD2026119876543") == []  # every word must match the same case
    assert sorted(found(records, "")) == sorted(two_cases)
    rows, _ = records.search("DD2026112012345")
    assert rows[0][5] == "DD2026112012345" and "耳机" in rows[0][6]


def test_search_by_the_local_date_a_case_was_opened(web_app: FastAPI, two_cases: tuple[str, str]) -> None:
    records = RecordsHandlers(web_app.state.ctx)
    listing = web_app.state.ctx.bot.records.case_listings()[0]
    day = datetime.fromisoformat(listing.opened_at).astimezone(ZoneInfo("Asia/Shanghai")).date()
    assert sorted(found(records, "", day.isoformat(), day.isoformat())) == sorted(two_cases)
    assert sorted(found(records, "", day.isoformat().replace("-", "/"))) == sorted(two_cases)
    assert found(records, "", (day + timedelta(days=1)).isoformat()) == []
    assert found(records, "", "", (day - timedelta(days=1)).isoformat()) == []


@pytest.mark.parametrize(
    ("opened_from", "opened_to", "message"),
    [("12月1日", "", "起始日期「12月1日」无法识别"), ("2026-12-05", "2026-12-01", "起始日期晚于截止日期")],
)
def test_a_date_the_console_cannot_read_is_a_chinese_message(
    web_app: FastAPI, opened_from: str, opened_to: str, message: str
) -> None:
    with pytest.raises(gr.Error, match=message):
        RecordsHandlers(web_app.state.ctx).search("", opened_from, opened_to)


@pytest.mark.browser
@pytest.mark.slow
def test_in_the_browser_search_by_order_number_and_a_click_on_the_row_opens_the_case(
    browser, live_server: str, web_app: FastAPI, two_cases: tuple[str, str]
) -> None:
    headphones, fridge = two_cases
    page = new_page(browser)
    log_in(page, live_server, web_app, "qa", "/records/")
    expect(page.locator("#cases")).to_contain_text(fridge)
    page.locator("#query textarea, #query input").first.fill("DD2026112012345")
    page.locator("#search").click()
    expect(page.locator("#cases")).not_to_contain_text(fridge)
    expect(page.locator("#cases")).to_contain_text("DD2026112012345")
    page.locator("#cases [role=gridcell]", has_text="DD2026112012345").first.click()
    expect(page.locator("#case input")).to_have_value(headphones)
    expect(page.locator("#timeline")).to_contain_text("左耳没声音", timeout=60_000)
    page.locator("#opened-from textarea, #opened-from input").first.fill("2020-13-01")
    page.locator("#search").click()
    expect(page.get_by_text("无法识别").first).to_be_visible()
    expect(page.locator("#query textarea, #query input").first).to_be_enabled()  # the page still works
