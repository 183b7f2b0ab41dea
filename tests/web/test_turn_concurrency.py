"""Issue 13: many messages at once on one session are all answered and recorded (never a 500), the
streaming endpoint acknowledges only recorded turns, and an ``Idempotency-Key`` replays the reply."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import pytest

from bot.records import CaseConflict

if TYPE_CHECKING:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

TEXTS = [
    "耳机坏了想退货",
    "订单号 A20241120",
    "三天前收到的",
    "有照片",
    "想退款",
    "还在吗",
    "请尽快",
    "谢谢",
    "能换货吗",
    "好的",
]


def _open(client: TestClient) -> tuple[str, dict[str, str]]:
    body = client.post("/api/v1/sessions", json={"consent": True}).json()
    return body["session"], {"Authorization": f"Bearer {body['token']}"}


def _turns(web_app: FastAPI, session: str) -> list[dict[str, object]]:
    return [row for row in web_app.state.ctx.bot.records.for_session(session) if row["kind"] == "turn"]


def test_ten_messages_at_once_on_one_session_are_all_answered_and_recorded(
    client: TestClient, web_app: FastAPI
) -> None:
    session, auth = _open(client)
    url = f"/api/v1/sessions/{session}/messages"
    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(lambda text: client.post(url, json={"text": text}, headers=auth), TEXTS))
    assert [answer.status_code for answer in answers] == [200] * 10, [a.text for a in answers if a.status_code != 200]
    recorded = _turns(web_app, session)
    assert sorted(str(row["body"]["masked_text"]) for row in recorded) == sorted(TEXTS)
    assert web_app.state.ctx.bot.records.verify().ok


def test_eight_streams_at_once_each_acknowledge_only_a_recorded_turn(client: TestClient, web_app: FastAPI) -> None:
    session, auth = _open(client)
    url = f"/api/v1/sessions/{session}/messages/stream"
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda text: client.post(url, json={"text": text}, headers=auth), TEXTS[:8]))
    for answer in answers:
        assert answer.status_code == 200
        assert "event: error" not in answer.text and "event: reply" in answer.text and "event: done" in answer.text
    assert len(_turns(web_app, session)) == 8


def test_when_another_process_keeps_winning_the_race_then_409_with_retry_after_and_nothing_streamed(
    client: TestClient, web_app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    session, auth = _open(client)

    def always_lose(turn: object) -> object:
        raise CaseConflict("case changed concurrently")

    monkeypatch.setattr(web_app.state.ctx.bot, "handle", always_lose)
    for path in ("messages", "messages/stream"):
        answer = client.post(f"/api/v1/sessions/{session}/{path}", json={"text": "你好"}, headers=auth)
        assert answer.status_code == 409, answer.text
        assert answer.headers["Retry-After"] == "1"
        assert answer.json()["error"]["code"] == "turn_conflict"


def test_a_retried_post_with_the_same_idempotency_key_replays_the_reply_and_records_one_turn(
    client: TestClient, web_app: FastAPI
) -> None:
    session, auth = _open(client)
    url = f"/api/v1/sessions/{session}/messages"
    first = client.post(url, json={"text": "耳机坏了想退货"}, headers={**auth, "Idempotency-Key": "k-1"})
    again = client.post(url, json={"text": "耳机坏了想退货"}, headers={**auth, "Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert len(_turns(web_app, session)) == 1
    other = client.post(url, json={"text": "订单号 A20241120"}, headers={**auth, "Idempotency-Key": "k-2"})
    assert other.status_code == 200 and len(_turns(web_app, session)) == 2


def test_the_same_idempotency_key_sent_five_times_at_once_records_one_turn(
    client: TestClient, web_app: FastAPI
) -> None:
    session, auth = _open(client)
    url = f"/api/v1/sessions/{session}/messages/stream"
    headers = {**auth, "Idempotency-Key": "dropped-connection-1"}
    with ThreadPoolExecutor(5) as pool:
        answers = list(pool.map(lambda _: client.post(url, json={"text": "耳机坏了想退货"}, headers=headers), range(5)))
    assert {answer.status_code for answer in answers} == {200}
    assert len(_turns(web_app, session)) == 1


def test_an_idempotency_key_used_by_another_process_is_refused_by_the_database(tmp_path: object) -> None:
    from bot.records import RecordStore

    store = RecordStore(f"sqlite:///{tmp_path}/r.db")
    state = {"case_id": "C1", "session": "s", "procedure": "p", "step": "accept", "turns": 1}
    store.append(
        session="s",
        case_id="C1",
        actor="customer",
        kind="turn",
        body={},
        case_state=state,
        idempotency=("k", {"reply": "a"}),
    )
    with pytest.raises(CaseConflict):
        store.append(
            session="s",
            case_id="C1",
            actor="customer",
            kind="turn",
            body={},
            case_state={**state, "turns": 2},
            expected_version=1,
            idempotency=("k", {"reply": "b"}),
        )
    assert store.stored_reply("s", "k") == {"reply": "a"}
    assert [row["id"] for row in store.dump()] == [1]
    store.close()


def test_two_processes_on_one_session_answer_200_or_409_and_record_every_200(
    web_app: FastAPI, web_settings: object
) -> None:
    """Two app instances on one database stand in for two processes: their locks do not see each
    other, so the database decides; a loser is retried, then answered 409, never 500."""
    from fastapi.testclient import TestClient

    from bot.web.app import create_app

    other_app = create_app(web_settings)  # type: ignore[arg-type]
    base = "http://127.0.0.1"
    with TestClient(web_app, base_url=base) as one, TestClient(other_app, base_url=base) as two:
        session, auth = _open(one)
        url = f"/api/v1/sessions/{session}/messages"

        def send(index: int) -> int:
            client = (one, two)[index % 2]
            return client.post(url, json={"text": TEXTS[index]}, headers=auth).status_code

        with ThreadPoolExecutor(10) as pool:
            statuses = list(pool.map(send, range(10)))
    assert set(statuses) <= {200, 409}, statuses
    assert len(_turns(web_app, session)) == statuses.count(200)
    assert web_app.state.ctx.bot.records.verify().ok


def test_the_same_idempotency_key_with_a_different_message_answers_422_and_records_nothing(
    client: TestClient, web_app: FastAPI
) -> None:
    session, auth = _open(client)
    url = f"/api/v1/sessions/{session}/messages"
    headers = {**auth, "Idempotency-Key": "k-reused"}
    assert client.post(url, json={"text": "耳机坏了想退货"}, headers=headers).status_code == 200
    reused = client.post(url, json={"text": "订单号 A20241120"}, headers=headers)
    assert reused.status_code == 422
    assert reused.json()["error"]["code"] == "idempotency_key_reused"
    assert len(_turns(web_app, session)) == 1


def test_a_replayed_reply_carries_no_digest_and_the_store_keeps_no_message_text(
    client: TestClient, web_app: FastAPI
) -> None:
    session, auth = _open(client)
    url = f"/api/v1/sessions/{session}/messages"
    headers = {**auth, "Idempotency-Key": "k-same"}
    first = client.post(url, json={"text": "耳机坏了想退货，电话13812345678"}, headers=headers).json()
    again = client.post(url, json={"text": "耳机坏了想退货，电话13812345678"}, headers=headers)
    assert again.status_code == 200 and again.json() == first and "request_digest" not in first
    stored = web_app.state.ctx.bot.records.stored_reply(session, "k-same")
    assert stored is not None and len(stored["request_digest"]) == 64
    assert "13812345678" not in str(stored)
