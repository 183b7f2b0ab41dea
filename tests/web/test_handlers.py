"""The pages' event handlers, called directly over the real engine (no browser)."""

from __future__ import annotations

from pathlib import Path

import gradio as gr
import pytest
from fastapi import FastAPI

from bot.types import Turn
from bot.web.privacy_notice import privacy_notice
from bot.web.ui_agent import AgentHandlers
from bot.web.ui_customer import WidgetHandlers
from bot.web.ui_qa import QaHandlers, report_frame
from bot.web.ui_records import RecordsHandlers
from bot.web.views import citation_text

PHONE = "13812345678"
SMALL_SET = """\
id: handler-smoke
description: a return is accepted with a case number
turns:
  - user: 耳机不想要了，想七天无理由退货
    expect:
      must_contain: [案件编号]
"""


def staff(web_app: FastAPI, role: str) -> gr.Request:
    web_app.state.ctx.users.add(f"{role}-user", role, "a long test password")
    return gr.Request(username=f"{role}-user")


def opened_case(web_app: FastAPI, text: str = f"耳机坏了要退货，手机{PHONE}") -> tuple[str, str]:
    bot = web_app.state.ctx.bot
    session = bot.new_session()
    return session, bot.handle(Turn(session, text)).case_id


class TestWidget:
    """``consent`` → ``(session, token, notice, chat_box, consent_hint, hint, *view)``, ``view`` being
    ``(chat, status, badge, download, rating, state)``;
    ``send`` → ``(box, hint, token, *view)``."""

    def test_when_consent_is_not_given_then_no_session_opens_and_the_page_says_why(self, web_app: FastAPI) -> None:
        shown = WidgetHandlers(web_app.state.ctx).consent(False)
        assert shown[0] is None and "请先勾选" in shown[4]
        assert web_app.state.ctx.bot.records.cases() == []

    def test_when_customer_sends_a_phone_number_then_the_chat_shows_it_masked(self, web_app: FastAPI) -> None:
        widget = WidgetHandlers(web_app.state.ctx)
        session, token = widget.consent(True)[:2]
        assert web_app.state.ctx.tokens.session_of(token) == session
        assert web_app.state.ctx.consents.of(session)["channel"] == "widget"
        assert web_app.state.ctx.bot.records.for_session(session)[0]["body"]["channel"] == "widget"
        cleared, notice, _, chat, status, *_ = widget.send(session, token, f"耳机坏了要退货，我的手机{PHONE}")
        assert cleared == "" and notice == ""
        assert PHONE not in str(chat)
        assert "[手机号" in chat[0]["content"]
        assert "案件编号" in status

    @pytest.mark.parametrize(("text", "said"), [("", "请输入"), ("   ", "请输入"), ("a\x00b", "无法识别")])
    def test_when_message_is_bad_then_an_inline_notice_and_nothing_recorded(self, web_app, text, said) -> None:
        widget = WidgetHandlers(web_app.state.ctx)
        session, token = widget.consent(True)[:2]
        box, notice, *_ = widget.send(session, token, text)
        assert said in notice
        assert box == gr.update()  # what the customer typed stays in the box
        assert [row["kind"] for row in web_app.state.ctx.bot.records.for_session(session)] == ["consent"]

    def test_when_a_message_is_too_long_then_it_is_cut_and_the_customer_told(self, web_app: FastAPI) -> None:
        widget = WidgetHandlers(web_app.state.ctx)
        session, token = widget.consent(True)[:2]
        _, notice, *_ = widget.send(session, token, "耳机坏了" + "x" * 2001)
        assert "2000" in notice
        assert len(web_app.state.ctx.bot.records.for_session(session)[-1]["body"]["masked_text"]) == 2000

    def test_when_customer_asks_for_a_human_then_the_case_is_escalated(self, web_app: FastAPI) -> None:
        widget = WidgetHandlers(web_app.state.ctx)
        session, token = widget.consent(True)[:2]
        widget.send(session, token, "快递把我的包裹弄丢了")
        notice, _, _, status, badge, *_ = widget.escalate(session, token)
        assert "人工" in notice and "人工" in status and "正在为您转接" in badge
        assert web_app.state.ctx.bot.case_view(session).escalated

    def test_a_stored_session_resumes_and_a_foreign_or_forged_one_does_not(self, web_app: FastAPI) -> None:
        import json

        widget = WidgetHandlers(web_app.state.ctx)
        session, token = widget.consent(True)[:2]
        widget.send(session, token, "快递把我的包裹弄丢了")
        resumed = widget.resume(json.dumps({"session": session, "token": token}))
        assert resumed[0] == session and "包裹弄丢" in resumed[6][0]["content"]
        other_token = widget.consent(True)[1]
        for stored in (
            json.dumps({"session": session, "token": other_token}),
            "{bad json",
            "[]",
            json.dumps({"session": session, "token": "forged"}),
        ):
            assert widget.resume(stored)[0] is None
            assert 'data-forget="1"' in widget.resume(stored)[-1]

    def test_the_satisfaction_answer_is_stored_with_the_case(self, web_app: FastAPI) -> None:
        widget = WidgetHandlers(web_app.state.ctx)
        session, token = widget.consent(True)[:2]
        widget.send(session, token, "快递把我的包裹弄丢了")
        assert "请先选择" in widget.rate(session, token, "excellent")[0]
        assert "感谢" in widget.rate(session, token, "neutral")[0]
        rows = web_app.state.ctx.bot.records.for_session(session)
        assert (rows[-1]["kind"], rows[-1]["body"]["rating"]) == ("satisfaction", "neutral")
        assert web_app.state.ctx.bot.records.verify().ok


class TestCopilot:
    def test_when_agent_reveals_with_a_reason_then_the_value_comes_back_and_the_vault_records_it(
        self, web_app: FastAPI
    ) -> None:
        from guardrails.pii.vault import open_vault

        session, case_id = opened_case(web_app)
        copilot = AgentHandlers(web_app.state.ctx)
        placeholder = copilot._show(session, None)[5]["choices"][0]
        value = copilot.reveal(session, placeholder, "回拨顾客确认地址", staff(web_app, "agent"))
        assert value == PHONE
        audit = open_vault(web_app.state.ctx.settings.vault_config).reveals(case_id)
        assert [(row["actor"], row["reason"]) for row in audit] == [("agent-user", "回拨顾客确认地址")]

    @pytest.mark.parametrize(("role", "reason", "complaint"), [("agent", " ", "原因"), ("qa", "审计", "坐席")])
    def test_when_reason_is_missing_or_role_is_wrong_then_no_reveal(self, web_app, role, reason, complaint) -> None:
        session, _ = opened_case(web_app)
        copilot = AgentHandlers(web_app.state.ctx)
        placeholder = copilot._show(session, None)[5]["choices"][0]
        with pytest.raises(gr.Error, match=complaint):
            copilot.reveal(session, placeholder, reason, staff(web_app, role))

    def test_when_agent_ends_a_conversation_then_it_leaves_the_queue(self, web_app: FastAPI) -> None:
        kept, _ = opened_case(web_app, "快递员态度很差，我要投诉")
        ended, _ = opened_case(web_app)
        copilot = AgentHandlers(web_app.state.ctx)
        queue, notice = copilot.close(ended, "  顾客表示问题已解决  ", staff(web_app, "agent"))
        assert [value for _, value in queue["choices"]] == [kept]
        assert "结束" in notice
        ended_record = web_app.state.ctx.bot.records.for_session(ended)[-1]
        assert (ended_record["kind"], ended_record["body"]["agent_id"]) == ("end", "agent-user")
        assert ended_record["body"]["reason"] == "顾客表示问题已解决"
        copilot.close(ended, "", staff(web_app, "agent"))  # a second click ends nothing twice
        assert [row["kind"] for row in web_app.state.ctx.bot.records.for_session(ended)].count("end") == 1

    def test_escalated_conversations_come_first_in_the_queue(self, web_app: FastAPI) -> None:
        first, _ = opened_case(web_app, "快递员态度很差，我要投诉")
        second, _ = opened_case(web_app)
        web_app.state.ctx.bot.escalate(first, "顾客要求主管回电", "agent-user")
        rows = web_app.state.ctx.queue.open_rows()
        assert [row.session for row in rows] == [first, second]
        assert rows[0].label().startswith("【已升级】")

    def test_when_agent_accepts_the_draft_unedited_then_exactly_that_text_is_sent(self, web_app: FastAPI) -> None:
        session, case_id = opened_case(web_app)
        copilot = AgentHandlers(web_app.state.ctx)
        suggested = copilot.open(session)[9]  # after the 9 shown parts
        copilot.accept(session, suggested, staff(web_app, "agent"))
        last = web_app.state.ctx.bot.records.for_case(case_id)[-1]
        assert (last["actor"], last["body"]["reply"]) == ("agent", suggested)

    def test_when_agent_sends_an_edited_draft_then_it_passes_the_output_rails_and_names_the_agent(
        self, web_app: FastAPI
    ) -> None:
        session, case_id = opened_case(web_app)
        copilot = AgentHandlers(web_app.state.ctx)
        draft = copilot.open(session)[3]["value"]
        answer = copilot.send(session, draft + "（坐席已核对）", staff(web_app, "agent"))
        notice = answer[-4]  # then the check panel, its confirm row and the pending text
        assert "已发送" in notice
        rows = web_app.state.ctx.bot.records.for_case(case_id)
        assert rows[-1]["actor"] == "agent" and rows[-1]["body"]["agent_id"] == "agent-user"
        assert rows[-1]["body"]["verdicts"], "the agent's text went through the output rails"


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("statute|消费者权益保护法|25", "七日内退货"),
        ("statute|合同法|94", "未找到"),
        ("policy|privacy|3.2", "保存三年"),
    ],
)
def test_a_citation_opens_the_article_or_policy_text(key: str, expected: str) -> None:
    assert expected in citation_text(key)


def test_privacy_notice_tells_what_why_how_long_and_how_to_exercise_rights() -> None:
    notice = privacy_notice()
    for words in ("对话内容会被记录", "保存三年", "查阅、复制", "删除", "申请"):
        assert words in notice.markdown
    assert notice.consent_label


def test_records_console_searches_verifies_and_exports(web_app: FastAPI) -> None:
    _, case_id = opened_case(web_app)
    records = RecordsHandlers(web_app.state.ctx)
    rows, _ = records.search(case_id[-6:])
    assert [row[0] for row in rows] == [case_id]
    assert records.search("no such thing")[0] == []
    timeline = records.timeline(case_id)
    assert timeline and PHONE not in str(timeline)
    assert records.verify().startswith("✅")
    link = records.export(case_id, "md")["value"]
    exported = records.shelf.get(link.split("/exports/")[1].split('"')[0]).path.read_text(encoding="utf-8")
    assert case_id in exported and PHONE not in exported


def test_qa_console_runs_an_uploaded_set_and_compares_two_runs(web_app: FastAPI, tmp_path: Path) -> None:
    dialogue = tmp_path / "handler-smoke.yaml"
    dialogue.write_text(SMALL_SET, encoding="utf-8")
    qa = QaHandlers(web_app.state.ctx)
    qa.upload([str(dialogue)])
    ticks: list[tuple[float, str]] = []
    first = qa.run(["uploads/handler-smoke.yaml"], "基线", lambda share, desc="": ticks.append((share, desc)))
    assert "| 通过 | 1 |" in first[0]
    assert ticks[-1] == (1.0, "已完成 1/1：handler-smoke") and ticks[0][0] == 0.0  # progress, dialogue by dialogue
    second = qa.run(["uploads/handler-smoke.yaml"], "改动之后")
    runs = qa.saved_runs()
    assert len(runs) == 2 and second[5]["value"] == runs[0]
    assert [row[2] for row in qa.history()] == ["改动之后", "基线"]  # the run history, newest first, labelled
    assert qa.run_choices()[0] == (f"{runs[0]} · 改动之后", runs[0])
    comparison, rows = qa.compare(runs[1], runs[0])
    lines = {line.split()[0]: line.split() for line in comparison.splitlines() if line.strip()}
    assert lines["passed"][1:] == ["1", "1", "same"]  # the same set, the same outcome
    assert "regressed dialogues" not in comparison  # latency may differ between runs; dialogues may not
    assert "A = 基线" in comparison and "B = 改动之后" in comparison
    assert rows[0][0] == "handler-smoke（通过/通过）" and rows[0][2] == "耳机不想要了，想七天无理由退货"
    assert all(reply.startswith("【") and "案件编号" in reply for reply in rows[0][3:5])  # both runs' replies
    changed = qa.compare(runs[1], runs[0], True)[1]  # templates rotate wording per case: may differ
    assert all(row in rows for row in changed)


def test_qa_console_refuses_files_that_are_not_dialogue_sets(web_app: FastAPI, tmp_path: Path) -> None:
    payload = tmp_path / "evil.html"
    payload.write_text("<script>alert(1)</script>", encoding="utf-8")
    with pytest.raises(gr.Error, match="yaml"):
        QaHandlers(web_app.state.ctx).upload([str(payload)])
    with pytest.raises(gr.Error, match="不是评测对话集"):
        QaHandlers(web_app.state.ctx).run(["../../etc/passwd"])


def test_the_report_is_framed_so_none_of_its_scripts_run() -> None:
    frame = report_frame('<p>ok</p><script>alert("x")</script>')
    assert frame.startswith('<iframe sandbox=""')
    assert "<script>" not in frame and "&lt;script&gt;" in frame
