"""Issue 12 item 2: bodies are counted as they arrive (chunked too) on every route, not trusted from Content-Length."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from bot.web.bodylimit import BodyLimit

MiB = 1024 * 1024


def chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        piece = min(size, total - sent)
        sent += piece
        yield b"x" * piece


@pytest.mark.parametrize(
    "path", ["/api/v1/sessions", "/api/v1/sessions/abc/messages", "/login", "/widget/gradio_api/queue/join"]
)
def test_when_a_chunked_body_is_too_large_then_413_before_it_is_all_read(live_server: str, path: str) -> None:
    kind = "application/x-www-form-urlencoded" if path == "/login" else "application/json"
    answer = httpx.post(f"{live_server}{path}", content=chunks(8 * MiB), timeout=30, headers={"content-type": kind})
    assert answer.status_code == 413, answer.text[:200]
    assert answer.json()["error"]["code"] == "body_too_large"


def test_when_content_length_lies_small_then_the_counted_bytes_still_decide() -> None:
    received: list[int] = []

    async def app(scope, receive, send) -> None:  # a route that reads everything it is given
        while True:
            message = await receive()
            received.append(len(message.get("body", b"")))
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    limited = BodyLimit(app, api_bytes=1000, other_bytes=1000)
    transport = httpx.ASGITransport(app=limited)

    async def run() -> httpx.Response:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as plain:
            return await plain.post("/api/v1/x", content=b"y" * 5000, headers={"content-length": "10"})

    import asyncio

    answer = asyncio.run(run())
    assert answer.status_code == 413
    assert sum(received) <= 1000


def test_when_a_small_body_arrives_then_it_passes(client) -> None:
    assert client.post("/api/v1/sessions", json={"consent": True}).status_code == 201
