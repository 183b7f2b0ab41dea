"""Consent and "end conversation" are case events in the hash-chained written record: they appear in
the chain, the chain still verifies, the 书面记录 shows them, and a typed reason is masked."""

from __future__ import annotations

import pytest

from bot.service import CsBot
from bot.types import Turn

PHONE = "13912345678"
CONSENT_LINE = "顾客已阅读并同意个人信息处理告知（版本 2026-11-01，渠道 网页咨询窗口）"


def _case_with_events(csbot: CsBot, reason: str | None = None) -> tuple[str, str]:
    session = csbot.new_session()
    csbot.record_consent(session, "2026-11-01", "widget")
    case_id = csbot.handle(Turn(session, "耳机坏了要退货")).case_id
    csbot.end_conversation(session, "agent-li", reason)
    return session, case_id


def test_when_consent_and_end_are_recorded_then_they_are_records_of_the_case_and_the_chain_verifies(
    csbot: CsBot,
) -> None:
    session, case_id = _case_with_events(csbot, "顾客已满意")
    rows = csbot.records.for_case(case_id)
    assert [(row["kind"], row["actor"]) for row in rows] == [
        ("consent", "customer"),
        ("turn", "customer"),
        ("end", "agent"),
    ]
    assert rows[0]["body"]["notice_version"] == "2026-11-01" and rows[0]["body"]["channel"] == "widget"
    assert rows[2]["body"]["agent_id"] == "agent-li" and rows[2]["body"]["reason"] == "顾客已满意"
    assert {row["session"] for row in rows} == {session}
    assert csbot.records.verify().ok


def test_when_consent_comes_before_any_message_then_the_first_turn_continues_the_same_case(csbot: CsBot) -> None:
    session = csbot.new_session()
    csbot.record_consent(session, "v1", "api")
    first = csbot.handle(Turn(session, "耳机坏了要退货"))
    assert [row["case_id"] for row in csbot.records.for_session(session)] == [first.case_id] * 2
    assert csbot.case_view(session).turns == 1


@pytest.mark.parametrize(
    ("fmt", "end_line"),
    [("md", "坐席 agent-li 结束会话（原因：顾客已满意）"), ("html", "坐席 agent-li 结束会话（原因：顾客已满意）")],
)
def test_the_written_record_shows_consent_and_end_in_the_timeline(csbot: CsBot, fmt: str, end_line: str) -> None:
    _, case_id = _case_with_events(csbot, "顾客已满意")
    text = csbot.records.export(case_id, fmt)  # type: ignore[arg-type]
    timeline = text.split("步骤时间线", 1)[1].split("案件事实", 1)[0]
    assert CONSENT_LINE in timeline and end_line in timeline
    assert timeline.index(CONSENT_LINE) < timeline.index("受理") < timeline.index(end_line)
    assert "agent-li" in text.split("当事人", 1)[1].split("\n", 1)[0]  # the agent is named among the parties


def test_when_the_system_ends_a_conversation_then_the_record_says_so(csbot: CsBot) -> None:
    session = csbot.new_session()
    case_id = csbot.handle(Turn(session, "耳机坏了要退货")).case_id
    csbot.end_conversation(session, "system")
    row = csbot.records.for_case(case_id)[-1]
    assert (row["kind"], row["actor"], "reason" in row["body"]) == ("end", "system", False)
    assert "系统结束会话" in csbot.records.export(case_id, "md")


def test_when_the_end_reason_holds_personal_data_then_it_is_masked_in_record_and_export(csbot: CsBot) -> None:
    _, case_id = _case_with_events(csbot, f"顾客留了电话{PHONE}，要求回电后结束")
    row = csbot.records.for_case(case_id)[-1]
    assert PHONE not in row["body"]["reason"] and "回电后结束" in row["body"]["reason"]
    for fmt in ("md", "html"):
        assert PHONE not in csbot.records.export(case_id, fmt)  # type: ignore[arg-type]
    assert all(PHONE not in str(record["body"]) for record in csbot.records.dump())


def test_after_the_end_the_copilot_still_sees_the_last_exchange_rails(csbot: CsBot) -> None:
    session, _ = _case_with_events(csbot)
    assert csbot.case_view(session).last_rails  # the end record has no rails; the view skips it


@pytest.mark.parametrize(
    ("notice_version", "channel"),
    [("", "widget"), ("v1", ""), ("v1\n<script>", "widget"), ("v" * 41, "widget"), ("v1", "x" * 17), (None, "api")],
)
def test_when_consent_fields_are_unusable_then_a_clear_error_and_nothing_recorded(
    csbot: CsBot, notice_version: object, channel: str
) -> None:
    session = csbot.new_session()
    with pytest.raises(ValueError, match="printable characters"):
        csbot.record_consent(session, notice_version, channel)  # type: ignore[arg-type]
    assert csbot.records.for_session(session) == []


@pytest.mark.parametrize(("actor", "reason"), [("", None), ("a\tb", None), ("agent-li", "x" * 501), ("agent-li", 7)])
def test_when_end_fields_are_unusable_then_a_clear_error_and_nothing_recorded(
    csbot: CsBot, actor: str, reason: object
) -> None:
    session = csbot.new_session()
    csbot.handle(Turn(session, "耳机坏了要退货"))
    with pytest.raises(ValueError):
        csbot.end_conversation(session, actor, reason)  # type: ignore[arg-type]
    assert [row["kind"] for row in csbot.records.for_session(session)] == ["turn"]


def test_records_stay_insert_only_and_chained_with_erasure_consent_and_end_mixed(csbot: CsBot) -> None:
    session, case_id = _case_with_events(csbot)
    csbot.erase_personal_data(session)
    kinds = [row["kind"] for row in csbot.records.for_case(case_id)]
    assert kinds == ["consent", "turn", "end", "erasure"]
    assert csbot.records.verify().ok
    assert "已删除个人信息" in csbot.records.export(case_id, "md")
