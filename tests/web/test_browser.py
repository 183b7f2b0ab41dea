"""The app in a real headless chromium: customer to written record, agent edit-and-send, QA run, XSS.

Few and robust on purpose (slow on 2 cores): each test is one user's whole task, and waits on what
the page shows rather than on time.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from tests.fixtures.web import STAFF_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# A 7-day return, from first message to the written record (the engine asks for each missing fact).
COMPLAINT = (
    "我在你们店买的蓝牙耳机不想要了，想七天无理由退货",
    "订单号是 A20261120001",
    "11月25日收到的，商品没拆封，包装完好",
    "我要退货退款",
    "好的，同意这个方案",
)
XSS = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'
SMALL_SET = """\
id: web-qa-smoke
description: a customer opens a return; the bot accepts and gives a case number
turns:
  - user: 耳机不想要了，想退货
    expect:
      step: accept
"""


def new_page(browser, **options):
    context = browser.new_context(accept_downloads=True, locale="zh-CN", **options)
    context.set_default_timeout(60_000)
    return context.new_page()


def start_widget(page, base: str) -> None:
    page.goto(f"{base}/widget/")
    page.get_by_text("个人信息处理告知").wait_for()
    page.locator("#consent input[type=checkbox]").check()
    page.locator("#start").click()
    page.locator("#message textarea").wait_for()


def say(page, text: str) -> None:
    """Type one message and wait until the bot's answer to it is on the page and the box is clear."""
    bots = page.locator("#conversation [data-testid=bot]").count()
    box = page.locator("#message textarea")
    box.fill(text)
    page.wait_for_function("t => document.querySelector('#message textarea').value === t", arg=text)
    page.locator("#send").click()
    page.wait_for_function(
        "n => document.querySelectorAll('#conversation [data-testid=bot]').length > n"
        " && document.querySelector('#message textarea').value === ''",
        arg=bots,
        timeout=120_000,
    )


def log_in(page, base: str, web_app, role: str, target: str) -> None:
    web_app.state.ctx.users.add(f"{role}-user", role, STAFF_PASSWORD)
    page.goto(f"{base}{target}")
    page.fill("input[name=username]", f"{role}-user")
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{target}")


def customer_case(base: str, text: str) -> tuple[str, str]:
    created = httpx.post(f"{base}/api/v1/sessions", json={"consent": True}).json()
    auth = {"Authorization": f"Bearer {created['token']}"}
    reply = httpx.post(
        f"{base}/api/v1/sessions/{created['session']}/messages", json={"text": text}, headers=auth, timeout=120
    ).json()
    return created["session"], reply["case_id"]


def test_customer_goes_through_a_complaint_to_the_written_record(browser, live_server: str, tmp_path: Path) -> None:
    page = new_page(browser, viewport={"width": 390, "height": 844})
    start_widget(page, live_server)
    for text in COMPLAINT:
        say(page, text)
    page.locator("#status").get_by_text("书面记录").first.wait_for()
    with page.expect_download() as download:
        page.locator("#download a").click()
    saved = tmp_path / "record.html"
    download.value.save_as(saved)
    record = saved.read_text(encoding="utf-8")
    case_id = page.locator("#status code").inner_text()
    assert case_id and case_id in record
    assert "书面记录" in record


def test_agent_accepts_an_edited_draft_and_the_record_names_them(browser, live_server: str, web_app) -> None:
    session, case_id = customer_case(live_server, "你们的快递员把我的包裹弄坏了，我要投诉")
    page = new_page(browser)
    log_in(page, live_server, web_app, "agent", "/agent/")
    page.locator("#queue label", has_text=case_id).click()
    # a function, not an expression string: the page's CSP forbids eval
    page.wait_for_function("() => document.querySelector('#draft textarea').value.length > 0")
    edited = page.locator("#draft textarea").input_value() + "（坐席补充：我们会在24小时内联系快递公司核实。）"
    page.locator("#draft textarea").fill(edited)
    page.locator("#send").click()
    page.locator("#notice").get_by_text("已发送").wait_for()
    page.locator("#conversation").get_by_text("坐席补充").wait_for()
    sent = [r for r in web_app.state.ctx.bot.records.for_case(case_id) if r["body"].get("agent_id") == "agent-user"]
    assert sent and "坐席补充" in sent[-1]["body"]["reply"]
    assert sent[-1]["session"] == session


def test_qa_user_runs_a_small_dialogue_set(browser, live_server: str, web_app, tmp_path: Path) -> None:
    dialogue = tmp_path / "web-qa-smoke.yaml"
    dialogue.write_text(SMALL_SET, encoding="utf-8")
    page = new_page(browser)
    log_in(page, live_server, web_app, "qa", "/qa/")
    page.locator("input[type=file][accept='.yaml, .yml']").set_input_files(str(dialogue))
    page.locator("#sets").get_by_text("uploads/web-qa-smoke.yaml").wait_for()
    page.locator("#run").click()
    summary = page.locator("#summary table")
    summary.wait_for(timeout=300_000)
    assert "对话数" in summary.inner_text()
    page.frame_locator("#report iframe").get_by_text("web-qa-smoke").first.wait_for()


def test_a_customers_xss_payload_shows_as_text_everywhere_and_runs_nowhere(browser, live_server: str, web_app) -> None:
    customer = new_page(browser, viewport={"width": 390, "height": 844})
    start_widget(customer, live_server)
    say(customer, f"耳机坏了 {XSS}")
    customer.locator("#conversation").get_by_text("<script>window.pwned=2</script>", exact=False).wait_for()
    agent = new_page(browser)
    log_in(agent, live_server, web_app, "agent", "/agent/")
    agent.locator("#queue label").first.click()
    agent.locator("#conversation").get_by_text("onerror=", exact=False).wait_for()
    qa = new_page(browser)
    log_in(qa, live_server, web_app, "qa", "/records/")
    case_id = customer.locator("#status code").inner_text()
    expect(qa.locator("#cases")).to_contain_text(case_id)
    qa.locator("#case input").click()
    qa.get_by_role("option", name=case_id).click()
    expect(qa.locator("#timeline")).to_contain_text("<script>window.pwned=2</script>", timeout=60_000)
    for page in (customer, agent, qa):
        assert page.evaluate("window.pwned") is None
        assert page.locator("img[src=x]").count() == 0


def test_api_docs_render_with_no_request_leaving_the_server(browser, live_server: str) -> None:
    """Swagger UI draws the endpoints from local assets only (a locked-down server reaches no CDN)."""
    page = new_page(browser)
    foreign: list[str] = []
    page.on("request", lambda request: foreign.append(request.url) if not request.url.startswith(live_server) else None)
    page.goto(f"{live_server}/docs")
    page.get_by_text("Agent End", exact=True).first.wait_for()  # the summary of POST .../end
    assert foreign == []
