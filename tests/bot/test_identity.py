"""Issue 10 item 3: identity for personal-information requests is checked for real, by a one-time code
sent through a pluggable sender, or handed to a human; never taken on the customer's word.

End to end through the pipeline with the real stores (SQLite records, vault, code store) and the demo
sender; the HTTP sender against a local HTTP server the test starts.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bot.identity import CODE_MARK, CodeStore, HttpSender, Recipient, SendError, demo_outbox
from bot.service import CsBot
from bot.settings import Settings
from bot.types import Turn
from tests.fixtures.bot import Chat

PHONE = "13812345678"
OPENING = "我想查阅一下你们收集了我哪些个人信息"


def sent_codes(c: Chat) -> list[str]:
    return [message.code for message in demo_outbox(c.bot.parts.engine.identity, c.last.case_id)]


def a_wrong_code(right: str) -> str:
    return f"{(int(right) + 1) % 1_000_000:06d}"


def code_sent(c: Chat) -> str:
    """Open a personal-information request and give a phone number: the code the demo "sent"."""
    c.user(OPENING)
    c.expect(procedure="personal_information", step="investigate", missing=["identity_contact"])
    c.user(f"我的注册手机号是{PHONE}")
    c.expect(step="investigate", says=["验证码已发送至您提供的手机号", "[手机号1]"], escalated=False)
    codes = sent_codes(c)
    assert len(codes) == 1 and re.fullmatch(r"\d{6}", codes[0])
    return codes[0]


def appears(code: str, blob: str) -> bool:
    """The code as a number of its own (not six digits inside a hash or a timestamp's fraction)."""
    return re.search(rf"(?<![0-9a-fA-F.]){code}(?![0-9a-fA-F])", blob) is not None


def records_text(bot: CsBot, session: str) -> str:
    return json.dumps(bot.records.for_session(session), ensure_ascii=False, default=str)


def test_the_right_code_verifies_identity_and_the_request_goes_on(chat: Callable[[], Chat]) -> None:
    c = chat()
    code = code_sent(c)
    assert "identity" not in c.last.verified
    c.user(f"验证码是{code}")
    reply = c.expect(step="resolve", says=["验证码核对无误", "提供查阅"], verified=("identity",))
    state = c.bot.records.load_case(c.session).state  # type: ignore[union-attr]
    assert state["verified"]["identity"]["by"] == "code"
    assert datetime.fromisoformat(state["verified"]["identity"]["at"]) <= datetime.now(UTC)
    assert state["slots"]["identity"] == "验证码已核对"
    c.user("好的")
    c.expect(step="record", verified=("identity",))
    assert PHONE not in reply.reply and code not in reply.reply
    # the code reached neither the chained record (masked text, reply, draft, state) nor the replies
    rows = c.bot.records.for_session(c.session)
    assert not appears(code, records_text(c.bot, c.session))
    assert any(row["body"].get("masked_text") == f"验证码是{CODE_MARK}" for row in rows)
    assert all(not appears(code, r.reply) for r in c.replies)
    assert c.bot.records.verify().ok
    # the demo outbox names the phone by its placeholder; the vault recorded who read the number and why
    assert demo_outbox(c.bot.parts.engine.identity, reply.case_id)[0].recipient == "[手机号1]"
    reveals = c.bot.parts.vault.reveals(reply.case_id)
    assert [(r["actor"], r["placeholder"]) for r in reveals] == [("csbot-identity", "[手机号1]")]


def test_the_code_is_stored_only_as_a_keyed_hash_one_per_case(csbot: CsBot, bot_settings: Settings) -> None:
    c = Chat(csbot)
    code = code_sent(c)
    stored = (bot_settings.home / "identity.db").read_bytes()
    assert code.encode() not in stored
    c.user("没收到，麻烦重发一下")
    c.expect(step="investigate", says="新的验证码已发送")
    first, second = sent_codes(c)
    assert first == code and second != first
    c.user(first)  # the replaced code no longer works
    c.expect(step="investigate", says="验证码不正确，您还可以再试4次")
    c.user(f"新的是 {second[:3]} {second[3:]}")  # typed with a space, as codes often are
    c.expect(step="resolve", verified=("identity",))
    assert c.bot.records.for_session(c.session)[-1]["body"]["masked_text"] == f"新的是 {CODE_MARK}"


def test_a_corrected_number_gets_a_new_code_and_the_old_one_stops_working(chat: Callable[[], Chat]) -> None:
    c = chat()
    first = code_sent(c)
    c.user("不好意思号码输错了，是13900001111")
    c.expect(step="investigate", says="新的验证码已发送至[手机号2]")
    outbox = demo_outbox(c.bot.parts.engine.identity, c.last.case_id)
    assert [m.recipient for m in outbox] == ["[手机号1]", "[手机号2]"]
    c.user(first)
    c.expect(step="investigate", says="还可以再试4次")
    c.user(outbox[1].code)
    c.expect(step="resolve", verified=("identity",))
    assert c.bot.records.load_case(c.session).state["slots"]["identity_contact"] == "[手机号2]"  # type: ignore[union-attr]


def test_wrong_codes_say_the_tries_left_then_a_human_takes_over(chat: Callable[[], Chat]) -> None:
    c = chat()
    code = code_sent(c)
    wrong = a_wrong_code(code)
    for left in (4, 3, 2, 1):
        c.user(wrong)
        c.expect(step="investigate", says=f"还可以再试{left}次", escalated=False)
    c.user(wrong)
    reply = c.expect(step="investigate", escalated=True, says=["连续输错5次", "人工客服"])
    assert c.bot.records.load_case(c.session).state["escalation_reason"] == "identity_exhausted"  # type: ignore[union-attr]
    c.user(code)  # the right code after the last try verifies nothing
    c.expect(step="investigate", escalated=True)
    assert "identity" not in c.last.verified and reply.verified == ()
    case_id = c.bot.records.load_case(c.session).state["case_id"]  # type: ignore[union-attr]
    assert "转人工（验证码多次输入错误）" in c.bot.records.export(case_id, "md")  # the record says why, in Chinese
    assert not appears(code, records_text(c.bot, c.session)) and not appears(wrong, records_text(c.bot, c.session))


def test_an_expired_code_hands_the_case_to_a_human(chat: Callable[[], Chat]) -> None:
    c = chat()
    code = code_sent(c)
    identity = c.bot.parts.engine.identity
    identity.clock = lambda: datetime.now(UTC) + timedelta(minutes=11)  # the code lives 10 minutes
    c.user(code)
    c.expect(step="investigate", escalated=True, says=["有效期", "人工客服"])
    assert "identity" not in c.last.verified
    assert c.bot.records.load_case(c.session).state["escalation_reason"] == "identity_expired"  # type: ignore[union-attr]


@pytest.mark.parametrize("said", ["我没有手机，也没有邮箱", "不想提供手机号"])
def test_no_contact_to_send_a_code_to_goes_to_a_human(chat: Callable[[], Chat], said: str) -> None:
    c = chat()
    c.user(OPENING)
    c.user(said)
    c.expect(step="investigate", escalated=True, says="人工客服")
    assert c.bot.records.load_case(c.session).state["escalation_reason"] == "identity_no_contact"  # type: ignore[union-attr]
    assert sent_codes(c) == []


def test_claims_and_an_id_number_verify_nothing_and_after_two_asks_a_human_takes_over(
    chat: Callable[[], Chat],
) -> None:
    c = chat()
    c.user("把我在你们这的个人信息全删了")
    c.user("我已经在App里验证过了，身份证截图也发过了")
    c.expect(step="investigate", says="手机号或邮箱", escalated=False)
    c.user("身份证号 110105199001011234，我就是本人")  # not an address a code can go to
    c.expect(step="investigate", escalated=True, says="人工客服")
    assert sent_codes(c) == [] and all("identity" not in r.verified for r in c.replies)
    assert not any(r.step in ("resolve", "record") for r in c.replies)


def test_a_code_typed_while_an_agent_holds_the_case_is_not_kept(csbot: CsBot) -> None:
    c = Chat(csbot)
    code = code_sent(c)
    csbot.take_case(c.session, "agent-1")
    c.user(f"验证码{code}")
    held = csbot.records.for_session(c.session)[-1]
    assert held["kind"] == "held" and held["body"]["masked_text"] == f"验证码{CODE_MARK}"
    assert not appears(code, records_text(csbot, c.session))


def test_the_code_never_reaches_the_llm(llm_settings: Settings, fake_openai: Any) -> None:
    bot = CsBot(llm_settings)
    try:
        c = Chat(bot)
        code = code_sent(c)
        c.user(f"验证码 {code}")
        c.expect(step="resolve", verified=("identity",))
        assert fake_openai.requests, "the LLM drafter was asked"
        assert not any(appears(code, json.dumps(body, ensure_ascii=False)) for body in fake_openai.requests)
        assert not any(PHONE in json.dumps(body, ensure_ascii=False) for body in fake_openai.requests)
    finally:
        bot.close()


def test_the_code_store_counts_tries_and_expiry(tmp_path: Path) -> None:
    store = CodeStore(f"sqlite:///{tmp_path / 'codes.db'}", b"k" * 32, digits=6, ttl=timedelta(minutes=10), attempts=2)
    now = datetime.now(UTC)
    issued = store.issue("CS1", "[手机号1]", now)
    assert store.check("CS2", issued.code, now).result.value == "none"  # another case's code
    assert store.check("CS1", a_wrong_code(issued.code), now).left == 1
    assert store.check("CS1", a_wrong_code(issued.code), now).result.value == "exhausted"
    assert store.check("CS1", issued.code, now).result.value == "none"  # used up
    again = store.issue("CS1", "[手机号1]", now)
    assert again.sends == 2
    assert store.check("CS1", again.code, now + timedelta(minutes=10)).result.value == "expired"


# --- the HTTP sender: a company's gateway, here a local HTTP server ---------------------------------


class Gateway:
    """A local SMS gateway: records each JSON body it is sent and answers with ``status``."""

    def __init__(self, status: int = 200) -> None:
        self.status, self.received = status, []  # type: ignore[var-annotated]
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                gateway.received.append((self.headers.get("Authorization"), json.loads(self.rfile.read(length))))
                self.send_response(gateway.status)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/sms"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    server = Gateway()
    yield server
    server.stop()


def test_the_http_sender_posts_the_message_to_the_gateway(gateway: Gateway) -> None:
    HttpSender(gateway.url, token="t0ken").send("CS1", Recipient("phone", PHONE, "[手机号1]"), "验证码123456", "123456")
    assert gateway.received == [("Bearer t0ken", {"channel": "sms", "to": PHONE, "text": "验证码123456"})]
    gateway.status = 503
    with pytest.raises(SendError) as refused:
        HttpSender(gateway.url).send("CS1", Recipient("email", "a@example.com", "[邮箱1]"), "x", "123456")
    assert "503" in str(refused.value) and "a@example.com" not in str(refused.value)


def test_a_conversation_verified_through_an_http_gateway(bot_settings: Settings, gateway: Gateway) -> None:
    settings = bot_settings.model_copy(update={"identity_sender": "http", "identity_sender_url": gateway.url})
    bot = CsBot(settings)
    try:
        c = Chat(bot)
        c.user(OPENING)
        c.user(f"手机号 {PHONE}")
        c.expect(step="investigate", says="验证码已发送")
        [(_, body)] = gateway.received
        assert body["to"] == PHONE and body["channel"] == "sms"
        code = re.search(r"\d{6}", body["text"]).group(0)  # type: ignore[union-attr]
        assert demo_outbox(bot.parts.engine.identity, c.last.case_id) == []  # nothing shown in the console
        c.user(code)
        c.expect(step="resolve", verified=("identity",))
        gateway.status = 500
        other = Chat(bot)
        other.user(OPENING)
        other.user("手机号 13900001111")
        other.expect(step="investigate", escalated=True, says=["发送不出去", "人工客服"])
    finally:
        bot.close()


def test_without_a_sender_identity_goes_to_a_human(bot_settings: Settings) -> None:
    bot = CsBot(bot_settings.model_copy(update={"identity_sender": "none"}))
    try:
        c = Chat(bot)
        c.user(OPENING)
        c.expect(step="investigate", escalated=True, says="人工客服")
        assert bot.records.load_case(c.session).state["escalation_reason"] == "identity_no_sender"  # type: ignore[union-attr]
    finally:
        bot.close()


def test_a_http_sender_without_a_url_is_refused_with_how_to_fix(bot_settings: Settings) -> None:
    bot = CsBot(bot_settings.model_copy(update={"identity_sender": "http"}))
    try:
        with pytest.raises(ValueError, match="CSBOT_IDENTITY_SENDER_URL"):
            bot.handle(Turn(bot.new_session(), OPENING))
    finally:
        bot.close()


@pytest.mark.postgres
def test_the_code_store_works_on_postgresql(postgres_url: str) -> None:
    from sqlalchemy import create_engine, text

    url = postgres_url
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text("DELETE FROM identity_codes WHERE case_id = 'CS-PG-1'") if _has_codes(engine) else text("SELECT 1")
        )
    engine.dispose()
    store = CodeStore(url, b"k" * 32, digits=6, ttl=timedelta(minutes=10), attempts=2)
    try:
        now = datetime.now(UTC)
        first = store.issue("CS-PG-1", "[手机号1]", now)
        second = store.issue("CS-PG-1", "[手机号1]", now)  # replaces the first: one code per case
        assert second.sends == 2 and store.recipient("CS-PG-1") == "[手机号1]"
        if first.code != second.code:
            assert store.check("CS-PG-1", first.code, now).left == 1
        assert store.check("CS-PG-1", second.code, now).result.value == "right"
        assert store.status("CS-PG-1") == "verified"
    finally:
        store.close()


def _has_codes(engine: Any) -> bool:
    from sqlalchemy import inspect

    return "identity_codes" in inspect(engine).get_table_names()
