"""LLM-assisted understanding against a real local OpenAI-compatible server: the LLM's facts fill what
the word lists miss, a fact the customer did not say is dropped, any endpoint failure leaves exactly
the deterministic conversation, and the endpoint never sees personal data."""

from __future__ import annotations

import itertools
import json
from datetime import date
from typing import Any

import pytest

from bot.service import CsBot
from bot.settings import Settings
from bot.types import Reply, Turn
from bot.understand.assisted import FactReader, ReaderConfig
from tests.audit.planted import ID_CARD, NAME, PHONE, leaked
from tests.support.fake_openai import Failure, FakeOpenAI, Slow

NOTHING = dict.fromkeys(
    ("order_no", "purchase_date", "receipt_date", "amount", "product", "remedy_wanted", "defect", "offer_reply")
)
_RUNS = itertools.count()
OPENING = "我在你们店买的那台煮蛋器，三百八拿下的，现在一开就跳闸"  # a product not in products.yaml


@pytest.fixture(autouse=True)
def same_case_number(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every run's case gets the same number, so the template drafter picks the same wording in each
    (its variant is a hash of the case number) and two runs' replies can be compared word for word."""
    monkeypatch.setattr("bot.engine.new_case_id", lambda now: "CS20261204-0000000001")


def facts(**values: Any) -> str:
    """An answer inside the extractor's schema: every key present, the unnamed ones null."""
    return json.dumps({**NOTHING, **values}, ensure_ascii=False)


def _talk(settings: Settings, messages: tuple[str, ...]) -> tuple[list[Reply], list[dict[str, Any]]]:
    """One session on its own records database (each run's case has the same number)."""
    database = settings.home / f"records-{next(_RUNS)}.db"
    bot = CsBot(settings.model_copy(update={"db_url": f"sqlite:///{database.resolve()}"}))
    try:
        session = bot.new_session()
        replies = [bot.handle(Turn(session, text)) for text in messages]
        bodies = [row["body"] for row in bot.records.for_session(session) if row["kind"] == "turn"]
        return replies, bodies
    finally:
        bot.close()


def _seen(reply: Reply) -> dict[str, object]:
    """What the customer gets, less what differs between two runs (the session, the timing)."""
    shown = reply.to_json()
    for key in ("session", "latency_ms"):
        shown.pop(key)
    return shown


def test_the_llm_fills_facts_the_word_lists_miss_and_what_the_customer_did_not_say_is_dropped(
    llm_facts_settings: Settings, fake_openai: FakeOpenAI
) -> None:
    words_only, _ = _talk(llm_facts_settings.model_copy(update={"llm_facts": False}), (OPENING,))
    assert "amount" not in words_only[0].slots and "product" not in words_only[0].slots  # the word lists miss them
    fake_openai.queue(facts(order_no="A99887766", amount=380, product="煮蛋器", defect="一开就跳闸"))
    replies, bodies = _talk(llm_facts_settings, (OPENING,))
    slots = replies[0].slots
    assert slots["amount"] == 380 and slots["product"] == "煮蛋器"  # 三百八 and 煮蛋器 are in the message
    assert "order_no" not in slots  # A99887766 was never said
    assert bodies[0]["llm_facts"] == {
        "kept": {"amount": "380", "product": "煮蛋器", "defect": "一开就跳闸"},
        "dropped": {"order_no": "not_in_text"},
        "fallback": None,
    }
    assert "A99887766" not in json.dumps(bodies, ensure_ascii=False)  # a dropped value is not recorded either
    request = fake_openai.structured[0]
    assert request["response_format"]["type"] == "json_schema" and request["model"] == "fake-model"
    assert request["messages"][-1] == {"role": "user", "content": OPENING}
    assert fake_openai.unexpected == 0


def test_an_invented_order_number_and_amount_are_dropped_and_the_conversation_is_the_deterministic_one(
    llm_facts_settings: Settings, fake_openai: FakeOpenAI
) -> None:
    opening = "台灯用了两天就不亮了，想退"
    words_only, _ = _talk(llm_facts_settings.model_copy(update={"llm_facts": False}), (opening,))
    fake_openai.queue(facts(order_no="20261101123", amount=299, remedy_wanted="退货"))
    replies, bodies = _talk(llm_facts_settings, (opening,))
    assert bodies[0]["llm_facts"]["dropped"] == {"order_no": "not_in_text", "amount": "not_in_text"}
    assert bodies[0]["llm_facts"]["kept"] == {"remedy_wanted": "退货"}  # 想退: the words say it
    assert _seen(replies[0]) == _seen(words_only[0])


def test_a_fact_the_word_lists_read_wins_over_the_llms(llm_facts_settings: Settings, fake_openai: FakeOpenAI) -> None:
    opening = "订单号 A20241120，台灯坏了。上次那个单子是 B20241121 已经处理了"
    fake_openai.queue(facts(order_no="B20241121"))
    replies, bodies = _talk(llm_facts_settings, (opening,))
    assert bodies[0]["llm_facts"]["kept"] == {"order_no": "B20241121"}  # said, so it passes the check …
    assert replies[0].slots["order_no"] == "A20241120"  # … but the deterministic reading stands


def test_a_fact_given_earlier_is_never_replaced_by_the_llms(
    llm_facts_settings: Settings, fake_openai: FakeOpenAI
) -> None:
    fake_openai.queue(facts(), facts(amount=12))
    replies, _ = _talk(llm_facts_settings, ("台灯坏了，花了99元", "用了12天就坏了"))
    assert replies[1].slots["amount"] == 99


FAILURES: dict[str, Any] = {
    "http-500": Failure(500, "upstream failure"),
    "garbage": "<html>Bad Gateway</html>",
    "outside-the-schema": json.dumps({"order_no": "A20241120", "amount": "三百八"}, ensure_ascii=False),
    "timeout": Slow(5.0, facts(amount=380)),
}


@pytest.mark.parametrize("failure", list(FAILURES), ids=list(FAILURES))
def test_when_the_endpoint_fails_the_conversation_goes_on_exactly_as_without_an_llm(
    llm_facts_settings: Settings, fake_openai: FakeOpenAI, failure: str
) -> None:
    messages = (OPENING, "订单号 A20241120，11月20日收到的")
    settings = llm_facts_settings.model_copy(update={"llm_facts_timeout_s": 0.5})
    words_only, _ = _talk(settings.model_copy(update={"llm_facts": False}), messages)
    fake_openai.queue(*[FAILURES[failure]] * len(messages))
    replies, bodies = _talk(settings, messages)
    assert [_seen(r) for r in replies] == [_seen(r) for r in words_only]
    for body in bodies:
        assert body["llm_facts"]["kept"] == {} and body["llm_facts"]["fallback"].startswith("llm_error")
    assert "upstream failure" not in json.dumps(bodies, ensure_ascii=False)  # the reason names no endpoint text
    assert len(fake_openai.structured) == len(messages)


def test_when_nothing_listens_the_conversation_goes_on(llm_facts_settings: Settings) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/v1"
    replies, bodies = _talk(llm_facts_settings.model_copy(update={"llm_base_url": closed}), (OPENING,))
    assert replies[0].reply and bodies[0]["llm_facts"]["fallback"] == "llm_error: ConnectError"


def test_the_endpoint_sees_only_masked_text(llm_facts_settings: Settings, fake_openai: FakeOpenAI) -> None:
    messages = (f"我叫{NAME}，手机{PHONE}，买的台灯坏了", f"身份证{ID_CARD}，订单号 A20241120")
    fake_openai.queue(facts(), facts(order_no="A20241120"))
    bot = CsBot(llm_facts_settings)
    session = bot.new_session()
    replies = [bot.handle(Turn(session, text)) for text in messages]
    assert len(fake_openai.structured) == 2 and len(bot.llm_requests) == 2
    assert leaked(b"\n".join(fake_openai.raw_bodies)) == [] and leaked("\n".join(bot.llm_requests)) == []
    sent = json.dumps(fake_openai.structured, ensure_ascii=False)
    assert "[手机号1]" in sent and "[身份证" in sent  # masked, not dropped
    assert replies[1].slots["order_no"] == "A20241120"
    bot.close()


def test_without_an_endpoint_or_with_the_setting_off_no_fact_request_is_made(
    bot_settings: Settings, llm_facts_settings: Settings, fake_openai: FakeOpenAI
) -> None:
    for settings in (bot_settings, llm_facts_settings.model_copy(update={"llm_facts": False})):
        bot = CsBot(settings)
        assert bot.fact_reader is None
        bot.close()
        replies, bodies = _talk(settings, (OPENING,))
        assert replies[0].reply and "llm_facts" not in bodies[0]
    assert fake_openai.requests == []


def test_an_empty_message_is_not_sent(llm_facts_settings: Settings, fake_openai: FakeOpenAI) -> None:
    replies, bodies = _talk(llm_facts_settings, ("", "🙂🙂"))
    assert all(r.reply for r in replies) and fake_openai.requests == []
    assert all("llm_facts" not in body for body in bodies)


def test_a_server_error_is_retried_but_a_timeout_is_not(fake_openai: FakeOpenAI) -> None:
    reader = FactReader(ReaderConfig(fake_openai.base_url, "test-key", "fake-model", timeout_s=0.3, max_retries=1))
    fake_openai.queue(Failure(503), facts(amount=380))
    assert reader.read("三百八拿下的", date(2026, 12, 4)).facts == {"amount": 380}
    fake_openai.queue(Slow(2.0, facts(amount=380)), facts(amount=380))
    assert reader.read("三百八拿下的", date(2026, 12, 4)).error == "llm_error: ReadTimeout"
    assert len(fake_openai.structured) == 3  # 503 + its retry, then the one that timed out
    reader.close()
