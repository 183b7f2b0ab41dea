"""The QA console in a real chromium set to English (issue 15): no Gradio English strings where we
can replace them (upload drop zone, error pill title), labelled runs in a run history, the report
frame, and two runs compared side by side."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.web.test_browser import SMALL_SET, log_in, new_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_qa_console_in_an_english_browser_speaks_chinese_and_compares_labelled_runs(
    browser, live_server: str, web_app, tmp_path: Path
) -> None:
    dialogue = tmp_path / "web-qa-smoke.yaml"
    dialogue.write_text(SMALL_SET, encoding="utf-8")
    page = new_page(browser)
    page.context.set_extra_http_headers({"Accept-Language": "en-US"})
    page = page.context.new_page()
    page.add_init_script(
        "Object.defineProperty(navigator, 'language', {get: () => 'en-US'});"
        "Object.defineProperty(navigator, 'languages', {get: () => ['en-US']});"
    )
    log_in(page, live_server, web_app, "qa", "/qa/")
    expect(page.locator("#run")).to_be_visible()
    assert page.evaluate("navigator.language") == "en-US"
    assert "Drop File Here" not in page.locator("body").inner_text()

    page.locator("#compare").click()  # nothing chosen: a Chinese message, titled in Chinese
    toast = page.get_by_text("请选择两次评测结果进行比较。")
    expect(toast.first).to_be_visible()
    shown = "e => getComputedStyle(e, '::before').content + '|' + getComputedStyle(e).fontSize"
    title = page.locator("[data-testid=toast-body] .toast-title").first
    assert title.evaluate(shown) == '"操作未完成"|0px'  # Gradio's "Error" is rendered as our words
    pill = page.locator("#comparison [data-testid=status-tracker] span.error").first
    assert pill.evaluate(shown) == '"未完成"|0px'

    page.locator("input[type=file][accept='.yaml, .yml']").set_input_files(str(dialogue))
    page.locator("#sets").get_by_text("uploads/web-qa-smoke.yaml").wait_for()
    for label in ("基线", "第二次"):
        page.locator("#label textarea, #label input").first.fill(label)
        page.locator("#run").click()
        expect(page.locator("#history")).to_contain_text(label, timeout=300_000)
    expect(page.locator("#summary table")).to_contain_text("对话数")
    frame = page.locator("#report iframe")
    assert frame.bounding_box()["height"] >= 480  # the report is read in place, not through a slit
    page.frame_locator("#report iframe").get_by_text("web-qa-smoke").first.wait_for()

    expect(page.locator("#run-b input")).to_have_value(re.compile("第二次"))  # the latest run is B already
    page.locator("#run-a input").click()
    page.locator("[role=option]:visible", has_text="基线").click()
    page.locator("#compare").click()
    expect(page.locator("#comparison")).to_contain_text("A = 基线")
    expect(page.locator("#side-by-side")).to_contain_text("web-qa-smoke（")
    expect(page.locator("#side-by-side")).to_contain_text("耳机不想要了，想退货")
    page.screenshot(path=str(tmp_path / "qa.png"), full_page=True)
