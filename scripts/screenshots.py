"""Take the README screenshots (widget, copilot, records console, QA report) from the running app, so they stay current.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Starts the app on 127.0.0.1 with a temporary CSBOT_HOME (the installation's index when there is
one, else a small temporary index), plays a complaint in the widget on a phone-sized page, opens
it in the copilot as an agent and in the records console, runs two shipped dialogue sets in the QA
console, and saves PNGs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.settings import Settings, load_settings  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
COMPLAINT = ("我上周买的蓝牙耳机左耳没声音，想退货，我的手机 13812345678", "订单号是 A20261120001，11月25日收到的")
PASSWORD = "screenshots only 1"
QA_SETS = ("general_complaint/", "service_complaint/")


def app_settings(home: Path) -> Settings:
    """A temporary home that reads the installation's index (or a small one built now)."""
    from eval.index_setup import DEFAULT_INDEX_LAWS, resolve_index

    installed = load_settings()
    index = resolve_index(installed, None, home / "build", DEFAULT_INDEX_LAWS)
    (home / "index").symlink_to(index.resolve(), target_is_directory=True)
    return Settings(**{**installed.model_dump(), "home": home, "db_url": None, "vault_db_url": None})


def serve(settings: Settings) -> tuple[str, object, threading.Thread]:
    import uvicorn

    from bot.web.app import create_app

    app = create_app(settings)
    for role in ("agent", "qa"):
        app.state.ctx.users.add(f"demo-{role}", role, PASSWORD)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not (server.started and server.servers):
        time.sleep(0.1)
    return f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}", server, thread


def login(page, base: str, role: str, target: str) -> None:
    page.goto(f"{base}/login?next={target}")
    page.fill("input[name=username]", f"demo-{role}")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{target}")


def say(page, text: str) -> None:
    """Send one message and wait until the reply is shown and the box is clear."""
    bots = page.locator("#conversation [data-testid=bot]").count()
    page.locator("#message textarea").fill(text)
    page.wait_for_function("t => document.querySelector('#message textarea').value === t", arg=text)
    page.click("#send")
    page.wait_for_function(
        "n => document.querySelectorAll('#conversation [data-testid=bot]').length > n"
        " && document.querySelector('#message textarea').value === ''",
        arg=bots,
        timeout=120_000,
    )


def widget(browser, base: str, out: Path) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page.goto(f"{base}/widget/")
    page.get_by_text("个人信息处理告知").wait_for()
    page.wait_for_timeout(500)
    page.screenshot(path=str(out / "widget-notice.png"))
    page.locator("#consent input").check()
    page.click("#start")
    for text in COMPLAINT:
        say(page, text)
    page.wait_for_timeout(500)
    page.screenshot(path=str(out / "widget.png"))
    page.close()


def copilot(browser, base: str, out: Path) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    login(page, base, "agent", "/agent/")
    page.locator("#queue label").first.click()
    page.locator("#draft textarea").wait_for()
    page.wait_for_function("() => document.querySelector('#draft textarea').value.length > 0")
    page.locator("#take").click()
    page.locator("#owner").get_by_text("agent").first.wait_for()
    page.locator("#grounds label").first.click()
    page.locator("#ground-text").get_by_text("《").first.wait_for()
    page.wait_for_timeout(500)
    page.screenshot(path=str(out / "copilot.png"), full_page=True)
    page.close()


def qa_report(browser, base: str, out: Path) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    login(page, base, "qa", "/qa/")
    for name in QA_SETS:
        page.locator("#sets input").click()
        page.get_by_role("option", name=name, exact=True).click()
    page.click("#run")
    page.locator("#summary table").wait_for(timeout=600_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(out / "qa-report.png"), full_page=True)
    page.close()


def records(browser, base: str, out: Path) -> None:
    """The records console as QA staff meet it: the cases found, one opened, the chain verified."""
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    login(page, base, "qa", "/records/")
    cell = page.locator("#cases [role=gridcell]", has_text="A20261120001").first
    cell.wait_for()
    cell.click()
    from playwright.sync_api import expect

    expect(page.locator("#timeline")).to_contain_text("耳机", timeout=60_000)
    page.click("#verify")
    expect(page.locator("#verdict")).to_contain_text("哈希链", timeout=60_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(out / "records.png"), full_page=True)
    page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=("widget", "copilot", "records", "qa"),
        default=("widget", "copilot", "records", "qa"),
        help="retake only these (the copilot still needs the widget's conversation, kept aside)",
    )
    args = parser.parse_args()
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    args.out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="csbot-screenshots-"))
    from playwright.sync_api import sync_playwright

    base, server, thread = serve(app_settings(home))
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
            aside = home / "aside"
            aside.mkdir()
            widget(browser, base, args.out if "widget" in args.only else aside)
            if "copilot" in args.only:
                copilot(browser, base, args.out)
            if "records" in args.only:
                records(browser, base, args.out)
            if "qa" in args.only:
                qa_report(browser, base, args.out)
            browser.close()
    finally:
        server.should_exit = True  # type: ignore[attr-defined]
        thread.join(timeout=30)
        shutil.rmtree(home, ignore_errors=True)
    taken = {
        "widget": ("widget-notice", "widget"),
        "copilot": ("copilot",),
        "records": ("records",),
        "qa": ("qa-report",),
    }
    for name in (name for part in args.only for name in taken[part]):
        shrink(args.out / f"{name}.png")
        print(args.out / f"{name}.png")


def shrink(path: Path) -> None:
    """256 colours are plenty for a UI screenshot and keep the PNGs in the repository small."""
    from PIL import Image

    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


if __name__ == "__main__":
    main()
