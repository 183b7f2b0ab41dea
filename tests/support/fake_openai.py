"""A real local HTTP server speaking the OpenAI chat-completions protocol, for testing the LLM drafter
and the LLM fact extractor.

It answers ``POST /v1/chat/completions`` from a queue of prepared answers, with or without SSE
streaming, records every request body, and fails loudly when the queue is empty: the request gets
HTTP 500 and ``unexpected`` counts it, so a test that drafts more than it prepared cannot pass
silently. A structured-output request (``response_format``) must be shaped as the API wants it
(``json_schema`` with a name and a schema object), or it gets HTTP 400 as from a real server; the
answer is whatever was queued, so a test can send back JSON outside the schema. ``Slow`` answers
after a delay, for timeouts. It listens on 127.0.0.1 on an ephemeral port and stops when the test is done.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Failure:
    """Queue this instead of a text to make the endpoint answer with an HTTP error."""

    status: int = 500
    message: str = "upstream failure"


@dataclass(frozen=True)
class Slow:
    """Queue this to answer only after ``seconds`` (a client with a shorter timeout gives up first)."""

    seconds: float
    answer: str = "{}"


def response_format_error(body: dict[str, Any]) -> str | None:
    """What a real endpoint would refuse in a request's ``response_format``, or None."""
    shape = body.get("response_format")
    if shape is None or shape.get("type") in ("text", "json_object"):
        return None
    if shape.get("type") != "json_schema":
        return f"unknown response_format type {shape.get('type')!r}"
    spec = shape.get("json_schema") or {}
    if not spec.get("name") or not isinstance(spec.get("schema"), dict):
        return "response_format.json_schema needs a name and a schema object"
    if spec.get("strict") and set(spec["schema"].get("required", ())) != set(spec["schema"].get("properties", {})):
        return "strict json_schema: every property must be required"
    return None


@dataclass
class FakeOpenAI:
    answers: deque[str | Failure | Slow] = field(default_factory=deque)
    requests: list[dict[str, Any]] = field(default_factory=list)
    raw_bodies: list[bytes] = field(default_factory=list)
    unexpected: int = 0
    released: threading.Event = field(default_factory=threading.Event)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def queue(self, *answers: str | Failure | Slow) -> None:
        self.answers.extend(answers)

    @property
    def structured(self) -> list[dict[str, Any]]:
        """The requests that asked for structured output (the fact extractor's)."""
        return [body for body in self.requests if "response_format" in body]

    def start(self) -> FakeOpenAI:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                fake.raw_bodies.append(raw)
                body = json.loads(raw or b"{}")
                fake.requests.append(body)
                if not self.path.endswith("/chat/completions"):
                    self._json(404, {"error": {"message": f"no route {self.path}"}})
                    return
                refused = response_format_error(body)
                if refused is not None:
                    self._json(400, {"error": {"message": refused, "type": "invalid_request_error"}})
                    return
                if not fake.answers:
                    fake.unexpected += 1
                    self._json(500, {"error": {"message": "fake_openai: answer queue is empty"}})
                    return
                answer = fake.answers.popleft()
                if isinstance(answer, Slow):
                    fake.released.wait(answer.seconds)
                    answer = answer.answer
                if isinstance(answer, Failure):
                    self._json(answer.status, {"error": {"message": answer.message, "type": "server_error"}})
                elif body.get("stream"):
                    self._stream(body, answer)
                else:
                    self._json(200, _completion(body, answer))

            def _json(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client gave up waiting (a Slow answer): what it would have got does not matter

            def _stream(self, body: dict[str, Any], answer: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                pieces = [answer[i : i + 8] for i in range(0, len(answer), 8)] or [""]
                for index, piece in enumerate(pieces):
                    delta = {"role": "assistant", "content": piece} if index == 0 else {"content": piece}
                    self._event(_chunk(body, delta, None))
                self._event(_chunk(body, {}, "stop"))
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

            def _event(self, payload: dict[str, Any]) -> None:
                self.wfile.write(b"data: " + json.dumps(payload, ensure_ascii=False).encode() + b"\n\n")
                self.wfile.flush()

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-openai", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.released.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


def _completion(body: dict[str, Any], text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "fake"),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunk(body: dict[str, Any], delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": body.get("model", "fake"),
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
