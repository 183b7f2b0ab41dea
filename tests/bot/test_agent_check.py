"""Issue 15: an agent's text is checked by the output rails, never rewritten; drafts for escalated cases;
ownership and internal notes as case records."""

from __future__ import annotations

import json

import pytest

from bot.ownership import case_owner
from bot.service import CsBot
from bot.types import Turn

COMPLAINT = "我是李娜，耳机坏了要退货，订单号 A20261120001，手机13812345678"


def _opened(csbot: CsBot, text: str = COMPLAINT) -> str:
    session = csbot.new_session()
    csbot.handle(Turn(session, text))
    return session


def test_a_name_the_agent_typed_is_an_objection_with_its_span_and_the_text_goes_out_as_typed(csbot: CsBot) -> None:
    session = _opened(csbot)
    typed = "李女士您好，我们已收到您的退货申请。"
    check = csbot.check_agent_text(session, typed)
    personal = [o for o in check.objections if o.rule == "personal_data"]
    assert personal and personal[0].span == "李" and typed[personal[0].start : personal[0].end] == "李"
    sent = csbot.agent_send(session, "agent-1", typed)
    assert sent.reply == typed
    record = csbot.records.for_session(session)[-1]
    assert record["body"]["reply"].endswith("女士您好，我们已收到您的退货申请。")
    assert "李女士" not in json.dumps(record, ensure_ascii=False)  # kept masked, like any text a person typed
    assert not record["body"]["changed_by_rails"]


def test_a_missing_element_is_an_objection_with_a_suggestion_and_nothing_is_appended(csbot: CsBot) -> None:
    session = _opened(csbot)
    typed = "您好，我们正在核实，请稍候。"
    check = csbot.check_agent_text(session, typed)
    missing = [o for o in check.objections if o.rule == "required_elements"]
    assert missing and missing[0].span == "" and "A20261120001" in missing[0].suggestion
    assert csbot.agent_send(session, "agent-1", typed).reply == typed
    assert csbot.records.for_session(session)[-1]["body"]["reply"] == typed


def test_clean_agent_text_has_no_objections(csbot: CsBot) -> None:
    session = _opened(csbot)
    typed = "您好，我这边记下了：订单号 A20261120001，问题是耳机坏了，您希望退货。"
    assert csbot.check_agent_text(session, typed).clean


def test_a_fake_citation_and_an_english_reply_are_objections_too(csbot: CsBot) -> None:
    session = _opened(csbot)
    fake = csbot.check_agent_text(session, "根据《消费者权益保护法》第九百条可以退。")
    assert any(o.rule == "citations" and "第九百条" in o.span for o in fake.objections)
    english = csbot.check_agent_text(session, "Hello, we got it")
    assert any(
        o.rule == "language" and o.verdict == "blocked" and o.span == "Hello, we got it" for o in english.objections
    )


def test_an_escalated_cases_draft_answers_the_customer_not_the_holding_line(csbot: CsBot) -> None:
    session = _opened(csbot)
    csbot.escalate(session, "顾客要求主管回电", "agent-1")
    draft = csbot.suggest(session).reply
    assert "人工客服专员" not in draft  # every 'escalated_waiting' holding line says so
    assert "A20261120001" in draft  # the case facts
    assert csbot.suggest(session, variant=1).reply != draft  # another wording on request


def test_take_release_and_end_set_the_owner_in_the_records(csbot: CsBot) -> None:
    session = _opened(csbot)
    case_id = csbot.case_view(session).case_id
    assert csbot.case_owner(session) is None and case_owner(csbot.records, case_id) is None
    csbot.take_case(session, "agent-1")
    assert case_owner(csbot.records, case_id) == "agent-1"
    csbot.take_case(session, "agent-2")  # taken over
    assert csbot.case_owner(session) == "agent-2"
    csbot.release_case(session, "agent-1")  # not theirs: nothing happens
    assert csbot.case_owner(session) == "agent-2"
    csbot.release_case(session, "agent-2")
    assert csbot.case_owner(session) is None
    csbot.take_case(session, "agent-1")
    csbot.end_conversation(session, "agent-1")
    assert csbot.case_owner(session) is None
    kinds = [row["kind"] for row in csbot.records.for_session(session)]
    assert kinds.count("take") == 3 and kinds.count("release") == 1
    assert csbot.records.verify().ok


def test_an_internal_note_is_recorded_masked_and_never_in_the_transcript(csbot: CsBot) -> None:
    session = _opened(csbot)
    csbot.add_note(session, "agent-1", "顾客来电补充：新号码13912345678，下午方便")
    note = csbot.records.for_session(session)[-1]
    assert note["kind"] == "note" and note["body"]["agent_id"] == "agent-1"
    assert "13912345678" not in json.dumps(note, ensure_ascii=False) and "下午方便" in note["body"]["note"]
    assert all("下午方便" not in str(line["text"]) for line in csbot.case_view(session).transcript)
    case_id = csbot.case_view(session).case_id
    assert all("下午方便" not in csbot.records.export(case_id, fmt) for fmt in ("md", "html"))  # the customer's copy
    with pytest.raises(ValueError):
        csbot.add_note(session, "agent-1", "  ")


def test_with_an_llm_drafter_regenerate_alternates_with_the_template_drafter(llm_settings, fake_openai) -> None:
    bot = CsBot(llm_settings)
    try:
        session = bot.new_session()
        fake_openai.queue("您好，这是模型写的草稿，请提供收货日期。", "您好，这是模型写的草稿，请提供收货日期。")
        bot.handle(Turn(session, "耳机坏了要退货，订单号 A20261120001"))
        llm_draft = bot.suggest(session, variant=0).reply
        other = bot.suggest(session, variant=1).reply
        assert "模型写的草稿" in llm_draft and "模型写的草稿" not in other and "A20261120001" in other
    finally:
        bot.close()
