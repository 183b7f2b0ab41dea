"""The LLM drafter against a real local OpenAI-compatible server: good drafts, hostile drafts, failures."""

from __future__ import annotations

import json

import pytest

from bot.drafting import DrafterConfigError, make_drafter
from bot.drafting.llm import estimate_tokens
from bot.service import CsBot
from bot.settings import Settings
from bot.types import Turn
from tests.support.fake_openai import Failure, FakeOpenAI

OPENING = "我的手机号是13912345678，买的台灯坏了，开不了机"
PHONE = "13912345678"


def _rows(bot: CsBot, case_id: str) -> list[dict]:
    return bot.records.for_case(case_id)


def test_a_good_draft_is_streamed_and_used(llm_settings: Settings, fake_openai: FakeOpenAI) -> None:
    good = "您好，非常抱歉给您带来不便，已为您受理。经初步处理，此事由本店负责处理。请提供订单号和收货日期。"
    fake_openai.queue(good)
    bot = CsBot(llm_settings)
    reply = bot.handle(Turn("s1", OPENING))
    assert reply.reply.startswith("您好，非常抱歉")
    assert reply.case_id in reply.reply  # the case-number element was added by the rails
    body = fake_openai.requests[0]
    assert body["stream"] is True and body["model"] == "fake-model"
    record = _rows(bot, reply.case_id)[-1]["body"]
    assert record["drafter"] == "llm" and record["draft"]["text"] == good
    bot.close()


def test_the_endpoint_only_ever_sees_masked_text(llm_settings: Settings, fake_openai: FakeOpenAI) -> None:
    fake_openai.queue("您好，已受理，由本店负责处理。请提供订单号。", "好的，已记录订单号，请问收货日期？")
    bot = CsBot(llm_settings)
    bot.handle(Turn("s1", OPENING))
    bot.handle(Turn("s1", "身份证 11010519491231002X，订单号 A20241120"))
    assert len(bot.llm_requests) == 2 and len(fake_openai.raw_bodies) == 2
    for body in [*bot.llm_requests, *(raw.decode() for raw in fake_openai.raw_bodies)]:
        assert PHONE not in body and "11010519491231002X" not in body
    assert "[手机号1]" in json.dumps(fake_openai.requests[1], ensure_ascii=False)
    bot.close()


@pytest.mark.parametrize(
    ("draft", "rule", "gone"),
    [
        ("您好，已受理，由本店负责处理。我们的专员会打 13800138000 联系您。", "personal_data", "13800138000"),
        ("您好，已受理，由本店负责处理。依《消费者权益保护法》第九十九条可要求十倍赔偿。", "citations", "第九十九条"),
        ("您好，已受理，由本店负责处理。根据《合同法》第一百零七条，我们会承担违约责任。", "citations", "合同法"),
        ("您好，已受理，由本店负责处理。我们马上给您全额退款并赔偿500元。", "commitments", "马上给您全额退款"),
        ("您好，已受理，由本店负责处理。本活动最终解释权归本公司所有。", "forbidden_phrasing", "最终解释权"),
        ("Hello, we have received your complaint and will refund you tomorrow.", "language", "Hello"),
    ],
    ids=["unmasked-phone", "invented-article", "repealed-law", "early-promise", "forbidden-phrase", "english"],
)
def test_a_hostile_draft_is_caught_and_recorded(
    llm_settings: Settings, fake_openai: FakeOpenAI, draft: str, rule: str, gone: str
) -> None:
    fake_openai.queue(draft)
    bot = CsBot(llm_settings)
    reply = bot.handle(Turn("s1", OPENING))
    verdicts = {item["rule"]: item["verdict"] for item in reply.rails}
    assert verdicts[rule] in ("repaired", "blocked"), reply.rails
    assert gone not in reply.reply
    record = _rows(bot, reply.case_id)[-1]["body"]
    recorded = {v["rule"]: v for v in record["verdicts"]}
    assert recorded[rule]["verdict"] == verdicts[rule] and recorded[rule]["reasons"]
    assert record["changed_by_rails"] is True
    assert "13800138000" not in json.dumps(record, ensure_ascii=False)  # drafts are masked before recording
    bot.close()


def test_when_the_endpoint_fails_then_the_template_draft_stands_in(
    llm_settings: Settings, fake_openai: FakeOpenAI
) -> None:
    fake_openai.queue(Failure(503, "overloaded"))
    bot = CsBot(llm_settings)
    reply = bot.handle(Turn("s1", OPENING))
    assert reply.case_id in reply.reply and reply.step == "investigate"
    record = _rows(bot, reply.case_id)[-1]["body"]
    assert record["drafter"] == "llm->template"
    assert any("llm_error" in note for note in record["draft"]["notes"])
    bot.close()


def test_when_the_answer_queue_is_empty_then_the_fake_fails_loudly(
    llm_settings: Settings, fake_openai: FakeOpenAI
) -> None:
    bot = CsBot(llm_settings)
    reply = bot.handle(Turn("s1", OPENING))
    assert fake_openai.unexpected == 1
    assert _rows(bot, reply.case_id)[-1]["body"]["drafter"] == "llm->template"
    bot.close()


@pytest.mark.parametrize("missing", ["llm_base_url", "llm_api_key"])
def test_when_the_endpoint_is_not_configured_then_the_error_says_how_to_fix_it(
    llm_settings: Settings, missing: str
) -> None:
    with pytest.raises(DrafterConfigError, match=r"CSBOT_LLM_BASE_URL.*CSBOT_LLM_API_KEY.*CSBOT_DRAFTER=template"):
        CsBot(llm_settings.model_copy(update={missing: None}))


def test_an_unknown_drafter_name_is_refused(bot_settings: Settings) -> None:
    with pytest.raises(DrafterConfigError, match="unknown drafter"):
        make_drafter(bot_settings, "gpt")


@pytest.mark.parametrize(("text", "tokens"), [("", 0), ("你好", 2), ("abcd", 1), ("abcde", 2), ("退货abcd", 3)])
def test_tokens_are_estimated_from_characters(text: str, tokens: int) -> None:
    assert estimate_tokens(text) == tokens


def test_the_prompt_is_trimmed_to_the_token_budget(llm_settings: Settings, fake_openai: FakeOpenAI) -> None:
    fake_openai.queue(*["您好，已记录，由本店负责处理，请继续提供信息。"] * 5)
    bot = CsBot(llm_settings.model_copy(update={"llm_max_prompt_tokens": 900}))
    for text in ["我买的台灯坏了", "订单号 A20241120", "三天前收到", "有照片", "还有视频"]:
        bot.handle(Turn("s1", text))
    sizes = [sum(estimate_tokens(m["content"]) for m in body["messages"]) for body in fake_openai.requests]
    assert len(sizes) == 5 and max(sizes) <= 900
    assert len(fake_openai.requests[-1]["messages"]) < 2 + 2 * 4  # system + 4 exchanges + message: some dropped
    bot.close()
