"""Issue 12 item 7: the widget's own 书面记录 download goes through CSBOT_HOME and an authorised route.

Not through Gradio's file cache in the system temp dir: one-time, bound to the widget's session.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.web.ui_customer import WidgetHandlers

COMPLAINT = (
    "我在你们店买的蓝牙耳机不想要了，想七天无理由退货",
    "订单号是 A20261120001",
    "11月25日收到的，商品没拆封，包装完好",
    "我要退货退款",
    "好的，同意这个方案",
)


def temp_entries() -> set[Path]:
    return set(Path(tempfile.gettempdir()).iterdir())


def widget_to_record(web_app: FastAPI) -> tuple[WidgetHandlers, str, str]:
    """Drive the widget's handlers to the written-record step; returns handlers, session and the download link."""
    handlers = WidgetHandlers(web_app.state.ctx)
    session, token = handlers.consent(True)[:2]
    assert session
    download: dict = {}
    for text in COMPLAINT:
        download = handlers.send(session, token, text)[6]
    assert download.get("visible") is True, "the widget never reached the written record"
    return handlers, session, str(download["value"])


def link_of(html: str) -> str:
    return html.split('href="')[1].split('"')[0].replace("&amp;", "&")


def test_a_record_download_writes_nothing_to_the_temp_dir_and_is_fetched_once(
    client: TestClient, web_app: FastAPI
) -> None:
    before = temp_entries()
    _, session, html = widget_to_record(web_app)
    assert {p for p in temp_entries() - before if "csbot" in p.name or "gradio" in p.name} == set()
    link = link_of(html)
    assert link.startswith("/exports/") and "gradio_api/file" not in link
    export_id = link.split("/exports/")[1].split("?")[0]
    found = web_app.state.ctx.settings.home / "exports" / export_id
    assert found.is_file()
    first = client.get(link)
    assert first.status_code == 200
    case_id = web_app.state.ctx.bot.case_view(session).case_id
    assert case_id in first.text and "书面记录" in first.text
    assert "attachment" in first.headers["content-disposition"]
    assert not found.exists()  # removed after the download
    assert client.get(link).status_code == 404


def test_another_sessions_token_or_no_key_cannot_fetch_a_widget_record(client: TestClient, web_app: FastAPI) -> None:
    _, _, html = widget_to_record(web_app)
    link = link_of(html)
    bare = link.split("?")[0]
    assert client.get(bare).status_code == 401  # the id alone opens nothing
    assert client.get(bare + "?key=guess").status_code == 403
    other = client.post("/api/v1/sessions", json={"consent": True}).json()
    stranger = {"Authorization": f"Bearer {other['token']}"}
    assert client.get(bare, headers=stranger).status_code == 403
    assert client.get(link, headers=stranger).status_code == 403  # a wrong token is refused, key or not
    assert client.get(link).status_code == 200  # still there for its own session


def test_the_sessions_own_token_fetches_it(client: TestClient, web_app: FastAPI) -> None:
    _, session, html = widget_to_record(web_app)
    token = web_app.state.ctx.tokens.issue(session)
    bare = link_of(html).split("?")[0]
    assert client.get(bare, headers={"Authorization": f"Bearer {token}"}).status_code == 200
