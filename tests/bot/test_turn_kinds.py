"""Every kind of turn runs through ``bot.pipeline`` and returns its own trace; nothing grows per session;
the agents' queue and the case lookup are indexed queries, not scans over every case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from bot.records import RecordStore
from bot.records.migrations import OPEN_CASES_INDEX
from bot.records.store import open_cases_query
from bot.service import CsBot
from bot.types import Turn


def _sizes(bot: CsBot) -> dict[str, int]:
    """How many entries each container the bot (and its session locks) holds."""
    found = {}
    for owner, prefix in ((bot, ""), (bot._sessions, "sessions.")):
        for name, value in vars(owner).items():
            if hasattr(value, "__len__") and not isinstance(value, str | bytes):
                found[prefix + name] = len(value)
    return found


def test_many_sessions_leave_nothing_behind_in_the_bot(csbot: CsBot) -> None:
    csbot.handle(Turn(csbot.new_session(), "我买的台灯坏了"))  # opens the parts
    before = _sizes(csbot)
    for _ in range(10):
        session = csbot.new_session()
        csbot.handle(Turn(session, "我买的台灯坏了"))
        csbot.suggest(session)
        csbot.agent_send(session, "agent-1", "您好，我来处理。")
        csbot.escalate(session, "顾客要求人工")
    assert _sizes(csbot) == before
    assert not hasattr(csbot, "last_trace")


def test_a_turn_returns_its_own_trace(csbot: CsBot) -> None:
    session = csbot.new_session()
    traced = csbot.trace_turn(Turn(session, "我买的台灯坏了，电话13800138000"))
    assert traced.reply.session == session and traced.reply.procedure == "quality_defect"
    assert traced.trace.masked_input is not None and "[手机号1]" in traced.trace.masked_input.text
    assert traced.trace.step_before == "accept" and traced.trace.step_after == traced.reply.step
    assert {"mask", "input_rails", "engine", "draft", "output_rails", "record"} <= set(traced.trace.stage_ms)
    assert csbot.handle(Turn(session, "订单号 A20241120")).case_id == traced.reply.case_id


def test_an_agent_turn_and_a_hand_over_return_their_trace(csbot: CsBot) -> None:
    session = csbot.new_session()
    csbot.handle(Turn(session, "我买的台灯坏了"))
    traced = csbot.trace_turn(Turn(session, "您好，我是人工客服。", "agent", "agent-9"))
    assert traced.trace.draft is not None and traced.trace.draft.drafter == "agent"
    assert traced.trace.verdicts and traced.reply.reply.startswith("您好，我是人工客服。")
    kinds = [row["kind"] for row in csbot.records.for_session(session)]
    assert kinds == ["turn", "agent"]
    assert csbot.escalate(session, "顾客要求人工").escalated
    assert [row["kind"] for row in csbot.records.for_session(session)][-1] == "escalation"


def _case(store: RecordStore, session: str, step: str, turns: int, escalated: bool = False) -> None:
    state = {
        "case_id": f"CS-{session}",
        "session": session,
        "procedure": "quality_defect",
        "step": step,
        "turns": turns,
        "escalated": escalated,
    }
    store.append(session=session, case_id=state["case_id"], actor="customer", kind="turn", body={}, case_state=state)


def _fill(store: RecordStore) -> None:
    _case(store, "talking", "investigate", 2)
    _case(store, "consent-only", "accept", 0)
    _case(store, "handed-over", "investigate", 1, escalated=True)
    _case(store, "closed", "record", 4)
    _case(store, "newer", "triage", 1)


def _check_queue(store: RecordStore) -> None:
    assert [case.session for case in store.open_cases()] == ["handed-over", "newer", "talking"]
    assert store.case_exists("CS-closed") and store.case_exists("CS-consent-only")
    assert not store.case_exists("CS-nobody") and not store.case_exists("")


def test_open_cases_and_case_exists(tmp_path: Path) -> None:
    store = RecordStore(f"sqlite:///{tmp_path / 'records.db'}")
    _fill(store)
    _check_queue(store)
    store.close()


def test_the_queue_query_reads_the_open_cases_index_on_sqlite(tmp_path: Path) -> None:
    store = RecordStore(f"sqlite:///{tmp_path / 'records.db'}")
    _fill(store)
    compiled = open_cases_query().compile(store.engine, compile_kwargs={"literal_binds": True})
    with store.engine.connect() as connection:
        plan = " ".join(str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))
        lookup = " ".join(
            str(row[-1])
            for row in connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT case_id FROM cases WHERE case_id = 'CS-closed'"
            )
        )
    assert OPEN_CASES_INDEX in plan, plan
    assert "SCAN cases" not in lookup, lookup  # the primary key, not a scan
    store.close()


@pytest.mark.postgres
def test_open_cases_and_its_index_on_postgresql(postgres_url: str) -> None:
    url = postgres_url
    engine = create_engine(url)
    with engine.begin() as connection:
        for table in ("records", "chain_head", "cases", "migrations", "idempotency"):
            connection.execute(text(f"DROP TABLE IF EXISTS {table} CASCADE"))
    engine.dispose()
    store = RecordStore(url)
    indexes: list[dict[str, Any]] = inspect(store.engine).get_indexes("cases")
    assert OPEN_CASES_INDEX in {index["name"] for index in indexes}
    _fill(store)
    _check_queue(store)
    assert store.verify().ok
    store.close()
