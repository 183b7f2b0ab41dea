"""Written records: hash chain, tamper detection through raw SQL, no personal data at rest, export."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.records import CaseConflict, RecordStore
from bot.service import CsBot
from bot.settings import Settings
from tests.fixtures.bot import Chat

PII = {
    "phone": "13912345678",
    "id_card": "11010519491231002X",
    "email": "zhang.wei@example.com",
    "bank_card": "6222020200112345679",
}


def _dialogue(c: Chat) -> None:
    c.user(f"我的手机号{PII['phone']}，身份证{PII['id_card']}，我买的台灯坏了")
    c.user(f"订单号 A20241120，三天前收到的，邮箱 {PII['email']}")
    c.user(f"有照片，退款到银行卡{PII['bank_card']}")
    c.user("修理吧")


def _raw(settings: Settings) -> sqlite3.Connection:
    connection = sqlite3.connect(settings.home / "records.db")
    connection.execute("DROP TRIGGER IF EXISTS records_no_update")
    connection.execute("DROP TRIGGER IF EXISTS records_no_delete")
    return connection


def test_chain_verifies_after_a_run(chat: Callable[[], Chat], csbot: CsBot) -> None:
    _dialogue(chat())
    result = csbot.records.verify()
    assert result.ok and result.checked == 4


@pytest.mark.parametrize(
    ("sql", "bad", "reason"),
    [
        ("UPDATE records SET body = replace(body, '台灯', '吊灯') WHERE id = 2", 2, "content"),
        ("UPDATE records SET case_id = 'CS00000000-000000' WHERE id = 3", 3, "content"),
        ("DELETE FROM records WHERE id = 2", 3, "missing"),
        ("DELETE FROM records WHERE id = 4", 4, "removed"),
    ],
    ids=["edit-body", "edit-column", "delete-middle", "delete-last"],
)
def test_when_a_row_is_edited_or_deleted_then_verify_names_it(
    chat: Callable[[], Chat], csbot: CsBot, bot_settings: Settings, sql: str, bad: int, reason: str
) -> None:
    _dialogue(chat())
    with _raw(bot_settings) as connection:
        connection.execute(sql)
    result = csbot.records.verify()
    assert not result.ok
    assert result.first_bad == bad and reason in result.reason


def test_records_refuse_update_and_delete_in_the_database(chat: Callable[[], Chat], bot_settings: Settings) -> None:
    _dialogue(chat())
    connection = sqlite3.connect(bot_settings.home / "records.db")
    for sql in ("UPDATE records SET actor = 'bot'", "DELETE FROM records"):
        with pytest.raises(sqlite3.DatabaseError, match="insert-only"):
            connection.execute(sql)
    connection.close()


def test_no_personal_data_reaches_the_records_database_file(
    chat: Callable[[], Chat], csbot: CsBot, bot_settings: Settings
) -> None:
    _dialogue(chat())
    csbot.close()
    data = b"".join(path.read_bytes() for path in bot_settings.home.glob("records.db*"))
    assert data
    for kind, value in PII.items():
        assert value.encode() not in data, kind
    vault = b"".join(path.read_bytes() for path in bot_settings.home.glob("vault.db*"))
    assert PII["phone"].encode() not in vault  # the vault keeps values encrypted


def test_every_migration_is_recorded_once(bot_settings: Settings) -> None:
    bot_settings.home.mkdir(parents=True, exist_ok=True)
    url = bot_settings.records_url
    RecordStore(url).close()
    RecordStore(url).close()
    with sqlite3.connect(bot_settings.home / "records.db") as connection:
        names = [row[0] for row in connection.execute("SELECT name FROM migrations ORDER BY name")]
    assert names == [
        "m001_initial",
        "m002_insert_only_guards",
        "m003_chained_case_state",
        "m004_idempotency",
        "m005_open_cases_index",
    ]


def test_a_stale_case_version_is_refused(tmp_path: Path) -> None:
    store = RecordStore(f"sqlite:///{tmp_path / 'r.db'}")
    state = {"case_id": "C1", "session": "s", "procedure": "p", "step": "accept", "turns": 1}
    store.append(session="s", case_id="C1", actor="customer", kind="turn", body={}, case_state=state)
    store.append(
        session="s", case_id="C1", actor="customer", kind="turn", body={}, case_state=state, expected_version=1
    )
    with pytest.raises(CaseConflict):
        store.append(
            session="s",
            case_id="C1",
            actor="customer",
            kind="turn",
            body={"x": 1},
            case_state=state,
            expected_version=1,
        )
    assert len(list(store.dump())) == 2  # the failed exchange left nothing behind
    assert store.verify().ok
    store.close()


def test_export_is_a_readable_written_record_with_escaped_customer_text(chat: Callable[[], Chat], csbot: CsBot) -> None:
    c = chat()
    c.user("<script>alert('x')</script> 我买的台灯坏了")
    c.user("订单号 A20241120，三天前收到的，有照片")
    html = csbot.records.export(c.last.case_id, "html")
    markdown = csbot.records.export(c.last.case_id, "md")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<script>" not in markdown
    for text in (html, markdown):
        assert c.last.case_id in text and "书面记录" in text
        assert "A20241120" in text and "调查核实" in text and "协商解决" in text
    with pytest.raises(KeyError):
        csbot.records.export("CS-NOPE", "md")


def test_cases_lists_each_case_with_its_step(chat: Callable[[], Chat], csbot: CsBot) -> None:
    chat().user("我买的台灯坏了")
    chat().user("衣服不喜欢，想七天无理由退货")
    cases = csbot.records.cases()
    assert sorted(case.procedure for case in cases) == ["quality_defect", "return_7day"]
    assert all(case.step == "investigate" and case.turns == 1 for case in cases)


@pytest.mark.postgres
def test_records_work_on_postgresql(small_index_settings: Settings, tmp_path: Path, postgres_url: str) -> None:
    url = postgres_url
    from sqlalchemy import create_engine, text

    from tests.fixtures.bot import home_with_index

    engine = create_engine(url)
    with engine.begin() as connection:
        for table in ("records", "chain_head", "cases", "migrations", "idempotency"):
            connection.execute(text(f"DROP TABLE IF EXISTS {table} CASCADE"))
    engine.dispose()
    settings = Settings(home=home_with_index(tmp_path / "pg-home", small_index_settings), db_url=url)
    bot = CsBot(settings)
    c = Chat(bot)
    _dialogue(c)
    assert bot.records.verify().ok
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP TRIGGER records_insert_only ON records"))
        connection.execute(text("UPDATE records SET actor = 'agent' WHERE id = 2"))
    engine.dispose()
    assert bot.records.verify().first_bad == 2
    bot.close()


def test_erasing_personal_data_keeps_the_chain_intact(chat: Callable[[], Chat], csbot: CsBot) -> None:
    from guardrails.pii import VaultError

    c = chat()
    _dialogue(c)
    vault = csbot.parts.vault
    assert vault.reveal(c.last.case_id, "[手机号1]", actor="qa", reason="test") == PII["phone"]
    assert csbot.erase_personal_data(c.session, actor="dpo") >= 4
    with pytest.raises(VaultError):
        vault.reveal(c.last.case_id, "[手机号1]", actor="qa", reason="test")
    rows = csbot.records.for_case(c.last.case_id)
    assert rows[-1]["kind"] == "erasure" and csbot.records.verify().ok
    assert "[手机号1]" in rows[0]["body"]["masked_text"]  # the record still reads, with placeholders


def test_when_an_erasure_reason_holds_personal_data_then_the_record_and_export_keep_it_masked(
    chat: Callable[[], Chat], csbot: CsBot
) -> None:
    c = chat()
    _dialogue(c)
    csbot.erase_personal_data(c.session, actor="dpo", reason=f"顾客来电 {PII['phone']} 要求删除")
    rows = csbot.records.for_case(c.last.case_id)
    assert rows[-1]["kind"] == "erasure"
    assert PII["phone"] not in rows[-1]["body"]["reason"] and "要求删除" in rows[-1]["body"]["reason"]
    assert PII["phone"] not in csbot.records.export(c.last.case_id, "md")
