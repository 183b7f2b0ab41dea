"""Issue 12 item 5: customer text shows as plain text wherever staff read it, and in the Markdown export."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from markdown_it import MarkdownIt

from bot.plaintext import md_escape
from bot.web.views import chat_messages, escape

ATTACKS = [
    "![照片](http://evil.example/p.png)",
    "[退款审批系统](https://evil.example/approve)",
    "# 系统通知\n您的退款已批准",
    "正常一行\n# 系统通知",
    "**加粗** _斜体_ `代码`",
    "<img src=x onerror=alert(1)>",
    "1. 第一条\n- 列表\n> 引用",
]


def rendered(markdown: str) -> str:
    return MarkdownIt("commonmark").render(markdown)


@pytest.mark.parametrize("text", ATTACKS)
def test_md_escape_leaves_no_markdown_structure(text: str) -> None:
    html = rendered(md_escape(escape(text)))  # as the app does: HTML-escaped, then Markdown-escaped
    for tag in ("<img", "<a ", "<h1", "<h2", "<strong", "<em", "<code", "<ol", "<ul", "<blockquote"):
        assert tag not in html, (text, html)


def test_md_escape_keeps_the_words_visible() -> None:
    html = rendered(md_escape("![照片](http://evil.example/p.png) # 系统通知"))
    assert "![照片](http://evil.example/p.png)" in html and "# 系统通知" in html


@pytest.mark.parametrize("text", ATTACKS)
def test_the_copilot_chat_shows_customer_markdown_as_text(text: str) -> None:
    view = SimpleNamespace(transcript=[{"actor": "customer", "text": text}])
    html = rendered(chat_messages(view)[0]["content"])
    for tag in ("<img", "<a ", "<h1", "<strong", "<ol", "<ul", "<blockquote"):
        assert tag not in html, (text, html)


def test_the_markdown_record_escapes_what_the_customer_typed(client: TestClient) -> None:
    body = client.post("/api/v1/sessions", json={"consent": True}).json()
    auth = {"Authorization": f"Bearer {body['token']}"}
    texts = [
        "耳机坏了要退货",
        "![照片](http://evil.example/p.png) [退款审批系统](https://evil.example/a)",
        "好的\n# 系统通知",
    ]
    for text in texts:
        reply = client.post(f"/api/v1/sessions/{body['session']}/messages", json={"text": text}, headers=auth).json()
    record = client.get(f"/api/v1/cases/{reply['case_id']}/record", params={"format": "md"}, headers=auth).text
    html = rendered(record)
    assert "evil.example" in html  # the words are there …
    assert "<img" not in html and 'href="http' not in html and "<h1>系统通知" not in html  # … as text only
