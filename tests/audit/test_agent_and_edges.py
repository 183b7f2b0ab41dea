"""Personal data typed by an agent (an edited reply, an escalation reason) and a number cut by the
input-length limit: none of it reaches the records or the cases table in clear (the agent's reply
itself goes out as the agent typed it: the output rails check an agent's text, they do not rewrite it)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from bot.service import CsBot
from bot.settings import Settings
from bot.stages import MAX_INPUT_CHARS
from bot.types import Turn
from tests.audit.planted import BANK_CARD, EMAIL, ID_CARD, NAME, PHONE, leaked

AGENT_TEXT = f"{NAME}您好，已按您的手机{PHONE}和身份证{ID_CARD}登记，退款打到卡{BANK_CARD}，回执发{EMAIL}。"


def _database(settings: Settings) -> str:
    with sqlite3.connect(settings.home / "records.db") as connection:
        rows = [*connection.execute("SELECT * FROM records"), *connection.execute("SELECT * FROM cases")]
    return json.dumps(rows, ensure_ascii=False)


def test_when_an_agent_writes_personal_data_then_reply_and_records_hold_none(
    csbot: CsBot, bot_settings: Settings
) -> None:
    session = csbot.new_session()
    csbot.handle(Turn(session, f"我买的台灯坏了，我叫{NAME}"))  # the name then comes back without a cue
    reply = csbot.agent_send(session, "agent-1", AGENT_TEXT)
    assert reply.reply == AGENT_TEXT  # sent as typed: the rails check an agent's text, the agent decides
    assert leaked(json.dumps({**reply.to_json(), "reply": ""}, ensure_ascii=False)) == []
    assert leaked(_database(bot_settings)) == []


def test_when_an_agent_escalates_with_personal_data_in_the_reason_then_records_hold_none(
    csbot: CsBot, bot_settings: Settings
) -> None:
    session = csbot.new_session()
    csbot.handle(Turn(session, "我买的台灯坏了"))
    reply = csbot.escalate(session, f"客户{NAME}要求主管回电{PHONE}", "agent")
    assert reply.escalated
    view = csbot.case_view(session)
    assert view.escalation_reason and "[手机号" in view.escalation_reason  # kept, but masked
    assert leaked(json.dumps(reply.to_json(), ensure_ascii=False) + repr(view)) == []
    assert leaked(_database(bot_settings)) == []


@pytest.mark.parametrize("value", [PHONE, ID_CARD, BANK_CARD], ids=["phone", "id-card", "bank-card"])
@pytest.mark.parametrize("kept", [7, 10])
def test_when_the_length_limit_cuts_a_number_then_no_part_of_it_is_recorded(
    csbot: CsBot, bot_settings: Settings, value: str, kept: int
) -> None:
    """A number cut at the limit is no longer recognisable, so its surviving digits must not stay either."""
    text = "退" * (MAX_INPUT_CHARS - kept) + value + "，谢谢"
    csbot.handle(Turn(csbot.new_session(), text))
    assert leaked(_database(bot_settings), (value[:kept],)) == []
