"""The LLM drafter with planted personal data: request bodies, the fallback notes recorded after an
endpoint failure (HTTP 500, garbage, a timeout, nothing listening) and the logs hold none of it."""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from bot.drafting import DrafterConfigError
from bot.service import CsBot
from bot.settings import Settings
from bot.types import Turn
from tests.audit.planted import API_KEY, BANK_CARD, EMAIL, ID_CARD, MESSAGES, NAME, PHONE, leaked
from tests.support.fake_openai import Failure, FakeOpenAI

SECRETS = (API_KEY,)


class BrokenEndpoint:
    """A local endpoint that answers every request with garbage, or not before the client gives up."""

    def __init__(self, mode: str) -> None:
        release = self.release = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if mode == "slow":
                    release.wait(5)
                    return
                data = f"<html>garbage {NAME} {PHONE}</html>\x00\xff".encode(errors="replace")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def _closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/v1"


def _run_session(bot: CsBot) -> tuple[str, list[str]]:
    session = bot.new_session()
    replies = [bot.handle(Turn(session, m)).to_json() for m in MESSAGES]  # type: ignore[arg-type]
    rows = [json.dumps(row, ensure_ascii=False) for row in bot.records.for_session(session)]
    return json.dumps(replies, ensure_ascii=False), rows


@pytest.fixture
def keyed(llm_settings: Settings) -> Settings:
    return llm_settings.model_copy(update={"llm_api_key": API_KEY, "llm_timeout_s": 0.5})


def test_when_the_llm_answers_then_its_requests_hold_no_personal_data(
    keyed: Settings, fake_openai: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    fake_openai.queue(*["您好，我们已记录您的问题，会尽快核实处理。"] * len(MESSAGES))
    bot = CsBot(keyed)
    with caplog.at_level(logging.DEBUG):
        replies, rows = _run_session(bot)
    bodies = b"\n".join(fake_openai.raw_bodies)
    assert fake_openai.requests and leaked(bodies) == []
    assert leaked("\n".join(bot.llm_requests)) == []
    assert any("[手机号" in json.dumps(r, ensure_ascii=False) for r in fake_openai.requests)  # masked, not dropped
    assert leaked(replies + "\n".join(rows) + caplog.text) == []
    assert leaked(caplog.text + "\n".join(rows), SECRETS) == []
    bot.close()


def test_when_the_llm_writes_personal_data_then_neither_reply_nor_record_holds_it(
    keyed: Settings, fake_openai: FakeOpenAI
) -> None:
    hostile = f"好的{NAME}先生，已登记手机{PHONE}、身份证{ID_CARD}、卡号{BANK_CARD}，回执发到{EMAIL}。"
    fake_openai.queue(*[hostile] * len(MESSAGES))
    bot = CsBot(keyed)
    replies, rows = _run_session(bot)
    assert leaked(replies) == [] and leaked("\n".join(rows)) == []
    bot.close()


@pytest.mark.parametrize(
    "failure",
    [Failure(500, f"internal error while handling {NAME} {PHONE} {ID_CARD}"), Failure(400, f"bad request: {EMAIL}")],
    ids=["500-echoing", "400-echoing"],
)
def test_when_the_endpoint_fails_then_the_recorded_reason_holds_no_personal_data(
    keyed: Settings, fake_openai: FakeOpenAI, caplog: pytest.LogCaptureFixture, failure: Failure
) -> None:
    fake_openai.queue(*[failure] * len(MESSAGES))
    bot = CsBot(keyed)
    with caplog.at_level(logging.DEBUG):
        replies, rows = _run_session(bot)
    assert all("llm->template" in row for row in rows if '"drafter": "llm' in row)
    assert any("llm_error" in row for row in rows)
    assert leaked(replies + "\n".join(rows) + caplog.text) == []
    assert leaked(caplog.text + "\n".join(rows), SECRETS) == []
    bot.close()


@pytest.fixture(params=["garbage", "slow", "closed"])
def broken_url(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "closed":
        yield _closed_port_url()
        return
    endpoint = BrokenEndpoint(request.param)
    yield endpoint.base_url
    endpoint.stop()


def test_when_the_endpoint_is_broken_then_nothing_recorded_or_logged_holds_personal_data(
    keyed: Settings, broken_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    bot = CsBot(keyed.model_copy(update={"llm_base_url": broken_url}))
    with caplog.at_level(logging.DEBUG):
        replies, rows = _run_session(bot)
    assert any("llm_error" in row for row in rows)
    assert leaked(replies + "\n".join(rows) + caplog.text) == []
    assert leaked(caplog.text + "\n".join(rows), SECRETS) == []
    bot.close()


@pytest.mark.parametrize("missing", ["llm_base_url", "llm_api_key"])
def test_when_the_llm_is_misconfigured_then_the_error_names_no_secret(keyed: Settings, missing: str) -> None:
    with pytest.raises(DrafterConfigError) as raised:
        CsBot(keyed.model_copy(update={missing: None}))
    assert leaked(str(raised.value) + repr(raised.value), SECRETS) == []


def test_when_an_llm_reads_facts_then_its_requests_records_and_logs_hold_no_personal_data(
    llm_facts_settings: Settings, fake_openai: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    """The fact extractor (bot/understand/assisted.py) gets masked text only, and personal data it
    makes up (a phone number as the order number, a name in the product) fails the check and is not kept."""
    keys = ("order_no", "purchase_date", "receipt_date", "amount", "product", "remedy_wanted", "defect", "offer_reply")
    hostile = {**dict.fromkeys(keys), "order_no": PHONE, "product": f"{NAME}的台灯", "defect": f"身份证{ID_CARD}"}
    fake_openai.queue(*[json.dumps(hostile, ensure_ascii=False)] * len(MESSAGES))
    bot = CsBot(llm_facts_settings.model_copy(update={"llm_api_key": API_KEY}))
    with caplog.at_level(logging.DEBUG):
        replies, rows = _run_session(bot)
    assert fake_openai.structured and leaked(b"\n".join(fake_openai.raw_bodies)) == []
    assert leaked("\n".join(bot.llm_requests)) == []
    dropped = [json.loads(row)["body"].get("llm_facts", {}).get("dropped", {}) for row in rows]
    assert {"order_no": "not_in_text", "product": "not_in_text", "defect": "not_in_text"} in dropped
    assert leaked(replies + "\n".join(rows) + caplog.text) == []
    assert leaked(caplog.text + "\n".join(rows), SECRETS) == []
    bot.close()
