"""The records console's timeline speaks as the exported record does: local time, Chinese kinds and
interventions (issue 15: "Timestamps are raw ISO in UTC; guardrail interventions are in English")."""

from __future__ import annotations

from typing import Any

from bot.web.views import timeline_rows


def record(kind: str, created_at: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"id": 7, "created_at": created_at, "actor": "customer", "kind": kind, "body": body}


def test_a_record_stored_in_utc_is_shown_on_the_record_timezone_clock() -> None:
    [row] = timeline_rows([record("turn", "2026-12-04T08:35:52+00:00", {})], "Asia/Shanghai")
    assert row[1] == "2026年12月04日 16:35:52"
    [row] = timeline_rows([record("turn", "2026-12-04T08:35:52+00:00", {})], "UTC")
    assert row[1] == "2026年12月04日 08:35:52"


def test_kinds_and_interventions_are_named_in_chinese() -> None:
    body = {
        "input_flags": [{"rule": "injection", "action": "block"}],
        "verdicts": [{"rule": "disclaimer", "verdict": "repaired"}, {"rule": "pii_leak", "verdict": "pass"}],
    }
    [row] = timeline_rows([record("take", "2026-12-04T08:35:52+00:00", body)], "Asia/Shanghai")
    assert row[3] == "坐席接手"
    fired = row[-1]
    assert "已拦截输入" in fired and "已修正回复" in fired
    assert "block" not in fired and "repaired" not in fired and "pii_leak" not in fired
    assert not any(ch.isascii() and ch.isalpha() for ch in fired)


def test_a_kind_the_table_does_not_know_is_shown_as_stored() -> None:
    [row] = timeline_rows([record("future_kind", "not a time", {})], "Asia/Shanghai")
    assert row[3] == "future_kind"
    assert row[1] == "not a time"


def test_escalation_reasons_are_worded_in_chinese_and_an_agents_words_kept() -> None:
    from bot.records.record_text import escalation_reason_zh

    assert escalation_reason_zh("identity_exhausted") == "验证码多次输入错误"
    assert escalation_reason_zh("no_progress") == "多轮未取得进展"
    assert escalation_reason_zh("顾客要求人工，[姓名1]来电") == "顾客要求人工，[姓名1]来电"
    named = escalation_reason_zh("escalation_legal_action")
    assert named != "escalation_legal_action" and any("\u4e00" <= ch <= "\u9fff" for ch in named)
