"""Issue 13: everything an export states is chained, the chain is anchored outside the database by
signed checkpoints, and the vault's audit trail is insert-only and chained too.

Each attack is done the way an insider with database access would: raw SQL, the insert-only
triggers dropped first.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from bot.records.anchor import Anchor
from bot.records.chain import envelope
from bot.service import CsBot
from bot.settings import Settings
from guardrails.hash_chain import GENESIS, record_hash
from guardrails.pii.vault import Vault
from tests.fixtures.bot import Chat

if TYPE_CHECKING:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient


def _dialogue(c: Chat) -> None:
    c.user("我买的台灯坏了，订单号 A20241120，三天前收到的")
    c.user("有照片，想退货")
    c.user("修理吧")


def _raw(settings: Settings) -> sqlite3.Connection:
    connection = sqlite3.connect(settings.home / "records.db")
    connection.execute("DROP TRIGGER IF EXISTS records_no_update")
    connection.execute("DROP TRIGGER IF EXISTS records_no_delete")
    return connection


def _case_id(csbot: CsBot, session: str) -> str:
    return str(csbot.records.load_case(session).state["case_id"])  # type: ignore[union-attr]


# --- 1. the case state is chained; the export is derived from chained rows -------------------------
def test_when_cases_state_is_edited_then_verify_fails_and_the_export_keeps_the_chained_facts(
    chat: Callable[[], Chat], csbot: CsBot, bot_settings: Settings
) -> None:
    c = chat()
    _dialogue(c)
    case_id = _case_id(csbot, c.session)
    before = csbot.records.export(case_id, "md")
    state = csbot.records.case_state(case_id)
    assert state is not None and state["slots"]
    forged = {**state, "slots": {**state["slots"], "outcome": "顾客已放弃全部请求"}}
    with _raw(bot_settings) as connection:
        connection.execute("UPDATE cases SET state = ? WHERE case_id = ?", (json.dumps(forged), case_id))
    result = csbot.records.verify()
    assert not result.ok and "cases.state" in result.reason
    after = csbot.records.export(case_id, "md")
    assert "顾客已放弃全部请求" not in after
    assert after == before


def test_every_record_carries_its_case_state_inside_the_hash(
    chat: Callable[[], Chat], csbot: CsBot, bot_settings: Settings
) -> None:
    _dialogue(chat())
    with _raw(bot_settings) as connection:
        connection.execute("UPDATE records SET state = replace(state, 'investigate', 'resolve') WHERE id = 3")
    result = csbot.records.verify()
    assert not result.ok and result.first_bad == 3 and "content" in result.reason


# --- 2. signed checkpoints outside the database ----------------------------------------------------
def _rewrite_chain(settings: Settings, edit_id: int) -> None:
    """Edit one reply and recompute every later hash and the head: the chain alone cannot tell."""
    with _raw(settings) as connection:
        rows = connection.execute(
            "SELECT id, created_at, session, case_id, actor, kind, body, state FROM records ORDER BY id"
        ).fetchall()
        prev = GENESIS
        for seq, created_at, session, case_id, actor, kind, body, state in rows:
            content = json.loads(body)
            if seq == edit_id:
                content["reply"] = "本店从未答应维修。"
            parsed = None if state is None else json.loads(state)
            digest = record_hash(prev, envelope(seq, created_at, session, case_id, actor, kind, content, parsed))
            connection.execute(
                "UPDATE records SET body = ?, prev_hash = ?, hash = ? WHERE id = ?",
                (json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")), prev, digest, seq),
            )
            prev = digest
        connection.execute("UPDATE chain_head SET hash = ?", (prev,))


def test_when_a_reply_is_edited_and_later_hashes_recomputed_then_the_checkpoint_catches_it(
    chat: Callable[[], Chat], csbot: CsBot, bot_settings: Settings
) -> None:
    _dialogue(chat())
    anchor = Anchor.for_settings(bot_settings)
    assert anchor.checkpoint(csbot.records) is not None
    assert anchor.verify(csbot.records).ok
    _rewrite_chain(bot_settings, edit_id=2)
    assert csbot.records.verify().ok  # the chain alone is fooled
    result = anchor.verify(csbot.records)
    assert not result.ok and "rewritten" in result.reason


def test_when_the_last_rows_are_deleted_and_the_head_rewound_then_the_checkpoint_catches_it(
    chat: Callable[[], Chat], csbot: CsBot, bot_settings: Settings
) -> None:
    _dialogue(chat())
    anchor = Anchor.for_settings(bot_settings)
    anchor.checkpoint(csbot.records)
    with _raw(bot_settings) as connection:
        connection.execute("DELETE FROM records WHERE id >= 2")
        head = connection.execute("SELECT hash FROM records WHERE id = 1").fetchone()[0]
        connection.execute("UPDATE chain_head SET seq = 1, hash = ?", (head,))
        connection.execute("UPDATE cases SET state = (SELECT state FROM records WHERE id = 1)")  # a thorough insider
    assert csbot.records.verify().ok  # the chain alone is fooled
    result = anchor.verify(csbot.records)
    assert not result.ok and "truncated" in result.reason


def test_a_case_close_writes_a_checkpoint_and_verify_reports_the_coverage(
    chat: Callable[[], Chat], csbot: CsBot, bot_settings: Settings
) -> None:
    c = chat()
    c.user("我买的台灯坏了，订单号 A20241120，三天前收到的")
    c.user("有照片，想退货")
    anchor = Anchor.for_settings(bot_settings)
    assert not anchor.path.exists()  # the case is still open
    csbot.end_conversation(c.session, "agent7", "已处理")
    checkpoints, problem = anchor.read()
    assert not problem and [point.seq for point in checkpoints] == [3]
    chat().user("你好")
    result = anchor.verify(csbot.records)
    assert result.ok and result.anchored_seq == 3 and result.head_seq == 4 and result.uncovered == 1
    assert "1 later record" in result.describe()


def test_reaching_the_record_step_closes_the_case_and_writes_a_checkpoint(
    chat: Callable[[], Chat], bot_settings: Settings
) -> None:
    c = chat()
    _dialogue(c)
    assert c.last.step == "record"
    checkpoints, _ = Anchor.for_settings(bot_settings).read()
    assert checkpoints and checkpoints[-1].seq == 3


def test_a_checkpoint_line_not_signed_by_the_key_is_refused(
    chat: Callable[[], Chat], csbot: CsBot, bot_settings: Settings
) -> None:
    _dialogue(chat())
    anchor = Anchor.for_settings(bot_settings)
    anchor.checkpoint(csbot.records)
    line = json.loads(anchor.path.read_text().splitlines()[0])
    line["seq"] = 1  # moved back to before a planned truncation, with the old signature
    with anchor.path.open("a") as handle:
        handle.write(json.dumps(line) + "\n")
    result = anchor.verify(csbot.records)
    assert not result.ok and "not signed" in result.reason


def test_the_key_lives_in_the_key_directory_not_in_the_database(
    chat: Callable[[], Chat], bot_settings: Settings
) -> None:
    _dialogue(chat())
    anchor = Anchor.for_settings(bot_settings)
    seed = (bot_settings.keys_dir / "records-anchor.ed25519").read_bytes()
    data = b"".join(path.read_bytes() for path in bot_settings.home.glob("records.db*"))
    assert len(seed) == 32 and seed not in data
    assert anchor.path.parent != bot_settings.keys_dir


def test_cli_checkpoint_then_verify(
    chat: Callable[[], Chat], csbot: CsBot, bot_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.cli import build_app

    _dialogue(chat())
    monkeypatch.setenv("CSBOT_HOME", str(bot_settings.home))
    runner, app = CliRunner(), build_app()
    written = runner.invoke(app, ["records", "checkpoint"])
    assert written.exit_code == 0 and "record 3" in written.output
    checked = runner.invoke(app, ["records", "verify"])
    assert checked.exit_code == 0, checked.output
    assert "records 1-3 match the latest signed checkpoint" in checked.output
    assert "vault audit: ok" in checked.output
    _rewrite_chain(bot_settings, edit_id=1)
    broken = runner.invoke(app, ["records", "verify", "--json"])
    assert broken.exit_code == 1 and json.loads(broken.output)["anchor"]["ok"] is False


# --- 3. the vault's audit trail: insert-only and chained -----------------------------------------
def _vault_with_audit(settings: Settings) -> Vault:
    from guardrails.pii import open_vault

    vault = open_vault(settings.vault_config)
    vault.put("CS-1", "[手机号1]", "PHONE_NUMBER", "13912345678")
    vault.put("CS-1", "[邮箱1]", "EMAIL_ADDRESS", "a@example.com")
    vault.reveal("CS-1", "[手机号1]", actor="agent7", reason="回电核实")
    vault.reveal("CS-1", "[邮箱1]", actor="agent7", reason="寄送记录")
    vault.delete_conversation("CS-1", actor="agent7", reason="顾客要求删除")
    return vault


def test_the_vault_audit_refuses_update_and_delete_in_the_database(bot_settings: Settings) -> None:
    _vault_with_audit(bot_settings)
    connection = sqlite3.connect(bot_settings.home / "vault.db")
    for sql in ("UPDATE vault_audit SET actor = 'nobody'", "DELETE FROM vault_audit"):
        with pytest.raises(sqlite3.DatabaseError, match="insert-only"):
            connection.execute(sql)
    connection.close()


@pytest.mark.parametrize(
    ("sql", "bad", "reason"),
    [
        ("UPDATE vault_audit SET actor = 'nobody' WHERE id = 1", 1, "content"),
        ("DELETE FROM vault_audit WHERE id = 2", 3, "link"),
    ],
    ids=["edit", "delete"],
)
def test_when_an_audit_row_is_edited_or_deleted_then_the_audit_chain_names_it(
    bot_settings: Settings, sql: str, bad: int, reason: str
) -> None:
    vault = _vault_with_audit(bot_settings)
    assert vault.verify_audit().ok and vault.verify_audit().checked == 3
    with sqlite3.connect(bot_settings.home / "vault.db") as connection:
        connection.execute("DROP TRIGGER vault_audit_no_update")
        connection.execute("DROP TRIGGER vault_audit_no_delete")
        connection.execute(sql)
    result = vault.verify_audit()
    assert not result.ok and result.first_bad == bad and reason in result.reason


def test_reveals_from_many_threads_keep_one_audit_chain(bot_settings: Settings) -> None:
    from concurrent.futures import ThreadPoolExecutor

    vault = _vault_with_audit(bot_settings)
    vault.put("CS-2", "[手机号1]", "PHONE_NUMBER", "13800138000")
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda n: vault.reveal("CS-2", "[手机号1]", actor=f"a{n}", reason="核实"), range(16)))
    result = vault.verify_audit()
    assert result.ok and result.checked == 19


@pytest.mark.postgres
def test_on_postgresql_the_vault_audit_is_chained_and_refuses_update_and_delete(
    bot_settings: Settings, postgres_url: str
) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DBAPIError

    url = postgres_url
    engine = create_engine(url)
    with engine.begin() as connection:
        for table in ("vault_audit", "vault_entries", "migrations"):  # the vault's migrations run again
            connection.execute(text(f"DROP TABLE IF EXISTS {table} CASCADE"))
    vault = _vault_with_audit(bot_settings.model_copy(update={"vault_db_url": url}))
    assert vault.verify_audit().ok and vault.verify_audit().checked == 3
    for sql in ("UPDATE vault_audit SET actor = 'nobody'", "DELETE FROM vault_audit"):
        with pytest.raises(DBAPIError, match="insert-only"), engine.begin() as connection:
            connection.execute(text(sql))
    engine.dispose()


def test_the_records_verify_endpoint_reports_the_checkpoint_coverage(
    client: TestClient, login: Callable[[str], TestClient], web_app: FastAPI
) -> None:
    created = client.post("/api/v1/sessions", json={"consent": True}).json()
    auth = {"Authorization": f"Bearer {created['token']}"}
    assert (
        client.post(
            f"/api/v1/sessions/{created['session']}/messages", json={"text": "耳机坏了"}, headers=auth
        ).status_code
        == 200
    )
    bot = web_app.state.ctx.bot
    Anchor.for_settings(bot.settings).checkpoint(bot.records)
    body = login("qa").get("/api/v1/records/verify").json()
    assert body["ok"] and body["anchor"]["anchored_seq"] == body["anchor"]["head_seq"] >= 1
