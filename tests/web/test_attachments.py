"""Issue 15: customers' photos and short videos, over real HTTP and in the widget (chromium).

Type by magic bytes, size capped per type, the file under CSBOT_HOME and only its id, masked name,
type, size and SHA-256 in the hash-chained record; the agent and the record list it.
"""

from __future__ import annotations

import hashlib
import io
import json
import stat
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from PIL import Image
from playwright.sync_api import expect

from bot.web.attachments import config
from tests.web.test_browser import log_in, new_page, say, start_widget
from tests.web.test_messages_api import messages, open_session
from tests.web.test_messages_api import say as api_say

pytestmark = pytest.mark.slow

MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def upload(base: str, session: str, auth: dict[str, str], name: str, data: bytes, claimed: str) -> httpx.Response:
    return httpx.post(
        f"{base}/api/v1/sessions/{session}/attachments", files={"file": (name, data, claimed)}, headers=auth, timeout=60
    )


def test_an_image_is_stored_beside_the_records_and_only_its_fingerprint_is_chained(
    live_server: str, web_app: FastAPI
) -> None:
    ctx = web_app.state.ctx
    session, auth = open_session(live_server)
    api_say(live_server, session, auth, "我买的电水壶漏水")
    data = png_bytes()
    answer = upload(live_server, session, auth, "漏水照片 13812345678.png", data, "image/png")
    assert answer.status_code == 201, answer.text
    sent = answer.json()
    assert sent["media_type"] == "image/png" and sent["size"] == len(data)
    assert sent["sha256"] == hashlib.sha256(data).hexdigest()
    assert "13812345678" not in sent["name"]  # a name is text a person typed: masked like any
    case_id = ctx.bot.case_view(session).case_id
    stored = ctx.settings.home / "attachments" / case_id / sent["file_id"]
    assert stored.read_bytes() == data
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    record = ctx.bot.records.for_session(session)[-1]
    assert record["kind"] == "attachment"
    assert set(record["body"]) >= {"file_id", "name", "media_type", "size", "sha256"}
    assert "13812345678" not in json.dumps(record, ensure_ascii=False, default=str)
    assert ctx.bot.records.verify().ok
    listed = messages(live_server, session, auth)["messages"][-1]
    assert listed["actor"] == "customer" and "[附件]" in listed["text"] and "图片" in listed["text"]
    assert "[附件]" in ctx.bot.case_view(session).transcript[-1]["text"]  # what the copilot's chat shows
    assert sent["sha256"] in ctx.bot.records.export(case_id, "md")  # listed in the written record
    back = httpx.get(f"{live_server}/api/v1/sessions/{session}/attachments/{sent['file_id']}", headers=auth)
    assert back.status_code == 200 and back.content == data
    assert back.headers["content-type"] == "image/png" and back.headers["x-content-type-options"] == "nosniff"
    _, stranger = open_session(live_server)
    assert (
        httpx.get(
            f"{live_server}/api/v1/sessions/{session}/attachments/{sent['file_id']}", headers=stranger
        ).status_code
        == 403
    )
    assert httpx.get(f"{live_server}/api/v1/cases/{case_id}/attachments/{sent['file_id']}").status_code == 401


def test_a_video_is_taken_and_a_disguised_or_oversized_file_is_refused(live_server: str, web_app: FastAPI) -> None:
    session, auth = open_session(live_server)
    api_say(live_server, session, auth, "我买的电水壶漏水")
    assert upload(live_server, session, auth, "clip.mp4", MP4_HEAD + b"\x00" * 4096, "video/mp4").status_code == 201
    script = upload(live_server, session, auth, "photo.png", b"<script>alert(1)</script>", "image/png")
    assert script.status_code == 415 and "只能发送" in script.json()["error"]["message"]
    limit = int(config()["types"]["image/png"]["max_bytes"])
    big = upload(live_server, session, auth, "big.png", png_bytes() + b"\x00" * limit, "image/png")
    assert big.status_code == 413 and "最大" in big.json()["error"]["message"]
    kinds = [row["kind"] for row in web_app.state.ctx.bot.records.for_session(session)]
    assert kinds.count("attachment") == 1


@pytest.mark.browser
@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 900}], ids=["phone", "desktop"]
)
def test_a_customer_sends_a_photo_from_the_widget_and_the_agent_sees_it(
    browser, live_server: str, web_app: FastAPI, viewport: dict, tmp_path: Path
) -> None:
    page = new_page(browser, viewport=viewport)
    start_widget(page, live_server)
    say(page, "我买的电水壶漏水，想换一个")
    fake = tmp_path / "not-a-photo.png"
    fake.write_text("<html>not an image</html>", encoding="utf-8")
    page.locator("#attach-input").set_input_files(str(fake))
    expect(page.locator("#attach-hint")).to_contain_text("只能发送")
    photo = tmp_path / "leak.png"
    photo.write_bytes(png_bytes())
    page.locator("#attach-input").set_input_files(str(photo))
    expect(page.locator("#attach-hint")).to_contain_text("已发送")
    expect(page.locator("#conversation")).to_contain_text("[附件] leak.png", timeout=30_000)
    agent = new_page(browser)
    log_in(agent, live_server, web_app, "agent", "/agent/")
    agent.locator("#queue label").first.click()
    expect(agent.locator("#conversation")).to_contain_text("[附件] leak.png")
