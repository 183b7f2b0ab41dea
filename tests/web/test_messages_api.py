"""Issue 15, the contract: ``GET /api/v1/sessions/{id}/messages?after=SEQ`` and its SSE stream, over real HTTP.

A uvicorn server on 127.0.0.1 (``live_server``) and httpx: the customer's token reads the
conversation (customer, bot and agent messages, masked), an agent's reply shows up without the
customer writing again, and while an agent owns the case the bot no longer answers.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI

pytestmark = pytest.mark.slow

PHONE = "13812345678"


def open_session(base: str) -> tuple[str, dict[str, str]]:
    created = httpx.post(f"{base}/api/v1/sessions", json={"consent": True}).json()
    return created["session"], {"Authorization": f"Bearer {created['token']}"}


def say(base: str, session: str, auth: dict[str, str], text: str) -> dict:
    answer = httpx.post(f"{base}/api/v1/sessions/{session}/messages", json={"text": text}, headers=auth, timeout=120)
    assert answer.status_code == 200, answer.text
    return answer.json()


def messages(base: str, session: str, auth: dict[str, str], after: int = 0) -> dict:
    answer = httpx.get(f"{base}/api/v1/sessions/{session}/messages", params={"after": after}, headers=auth)
    assert answer.status_code == 200, answer.text
    return answer.json()


def events(lines: Iterator[str]) -> Iterator[tuple[str, dict]]:
    """(event, data) pairs from a text/event-stream."""
    name, data = "message", ""
    for line in lines:
        if line.startswith("event: "):
            name = line.removeprefix("event: ")
        elif line.startswith("data: "):
            data = line.removeprefix("data: ")
        elif line == "" and data:
            yield name, json.loads(data)
            name, data = "message", ""


def test_messages_after_seq_carry_customer_bot_and_agent_lines_masked(live_server: str, web_app: FastAPI) -> None:
    session, auth = open_session(live_server)
    reply = say(live_server, session, auth, f"耳机坏了想退货，我的手机 {PHONE}")
    whole = messages(live_server, session, auth)
    assert [m["actor"] for m in whole["messages"]] == ["customer", "bot"]
    assert [m["seq"] for m in whole["messages"]] == [1, 2]
    assert whole["last_seq"] == 2 and whole["agent"] == "bot" and whole["closed"] is False
    assert PHONE not in json.dumps(whole) and "[手机号" in whole["messages"][0]["text"]
    assert whole["messages"][1]["text"] == web_app.state.ctx.bot.case_view(session).transcript[1]["text"]
    assert reply["reply"].startswith(whole["messages"][1]["text"][:10])
    assert all(m["time"][:4].isdigit() and "T" in m["time"] for m in whole["messages"])

    web_app.state.ctx.bot.agent_send(session, "agent-li", "您好，我是客服小李，已经在帮您核实订单。")
    new = messages(live_server, session, auth, after=whole["last_seq"])
    assert [(m["seq"], m["actor"]) for m in new["messages"]] == [(3, "agent")]
    assert "客服小李" in new["messages"][0]["text"]
    assert new["agent"] == "agent"
    assert messages(live_server, session, auth, after=3)["messages"] == []


def test_a_wrong_or_missing_token_reads_nothing(live_server: str) -> None:
    session, auth = open_session(live_server)
    say(live_server, session, auth, "快递把我的包裹弄丢了")
    _, stranger = open_session(live_server)
    url = f"{live_server}/api/v1/sessions/{session}/messages"
    assert httpx.get(url).status_code == 401
    assert httpx.get(url, headers={"Authorization": "Bearer forged"}).status_code == 403
    assert httpx.get(url, headers=stranger).status_code == 403
    assert httpx.get(url + "/stream", headers=stranger).status_code == 403
    assert httpx.get(url, params={"after": -1}, headers=auth).status_code == 422


def test_while_an_agent_owns_the_case_the_bot_only_acknowledges_and_drafts_for_the_agent(
    live_server: str, web_app: FastAPI
) -> None:
    bot = web_app.state.ctx.bot
    session, auth = open_session(live_server)
    say(live_server, session, auth, "你们的快递员态度很差，我要投诉")
    bot.escalate(session, "顾客要求人工", "customer")
    assert messages(live_server, session, auth)["agent"] == "waiting"
    held = say(live_server, session, auth, "订单号是 A20261120001，什么时候有人处理？")
    assert "人工客服会尽快回复" in held["reply"]
    record = bot.records.for_session(session)[-1]
    assert record["kind"] == "held" and "A20261120001" in record["body"]["masked_text"]
    suggestion = bot.suggest(session)  # the copilot's draft, for the agent only
    assert suggestion.reply and "人工客服会尽快回复" not in suggestion.reply
    bot.agent_send(session, "agent-li", "您好，我来处理您的投诉。")
    assert messages(live_server, session, auth)["agent"] == "agent"
    assert "人工客服会尽快回复" in say(live_server, session, auth, "好的谢谢")["reply"]
    web_app.state.ctx.queue.close(session, "agent-li", "已处理")
    renewed = httpx.post(f"{live_server}/api/v1/sessions/{session}/token", headers=auth).json()["token"]
    auth = {"Authorization": f"Bearer {renewed}"}
    after_end = messages(live_server, session, auth)
    assert after_end["agent"] == "bot" and after_end["closed"] is True
    again = say(live_server, session, auth, "我还想问一下退货的运费谁出")
    assert "人工客服会尽快回复" not in again["reply"]  # the agent ended it: the bot answers again
    assert messages(live_server, session, auth)["closed"] is False


def test_the_stream_sends_what_is_there_then_what_arrives_and_ends_by_itself(
    live_server: str, web_app: FastAPI
) -> None:
    session, auth = open_session(live_server)
    say(live_server, session, auth, "我买的电水壶漏水")
    seen: list[tuple[str, dict]] = []
    opened = threading.Event()

    def watch() -> None:
        url = f"{live_server}/api/v1/sessions/{session}/messages/stream"
        with httpx.stream("GET", url, params={"after": 1, "timeout": 8}, headers=auth, timeout=60) as answer:
            assert answer.headers["content-type"].startswith("text/event-stream")
            for event in events(answer.iter_lines()):
                seen.append(event)
                if event[0] == "status":
                    opened.set()

    watcher = threading.Thread(target=watch)
    watcher.start()
    assert opened.wait(60), "the stream never started"
    web_app.state.ctx.bot.agent_send(session, "agent-li", "您好，请提供一下订单号。")
    watcher.join(60)
    assert not watcher.is_alive(), "the stream did not end after its timeout"
    kinds = [name for name, _ in seen]
    assert kinds[-1] == "timeout"
    sent = [data for name, data in seen if name == "message"]
    assert [(m["seq"], m["actor"]) for m in sent] == [(2, "bot"), (3, "agent")]
    assert "订单号" in sent[-1]["text"]
    assert ("status", {"agent": "agent", "closed": False, "last_seq": 3}) in seen


def test_last_event_id_resumes_the_stream(live_server: str) -> None:
    session, auth = open_session(live_server)
    say(live_server, session, auth, "我买的电水壶漏水")
    url = f"{live_server}/api/v1/sessions/{session}/messages/stream"
    with httpx.stream("GET", url, params={"timeout": 1}, headers={**auth, "Last-Event-ID": "1"}, timeout=60) as answer:
        sent = [data for name, data in events(answer.iter_lines()) if name == "message"]
    assert [m["seq"] for m in sent] == [2]
