"""A whole chat session that plants personal data: none of it may reach logs, replies, the records
and cases tables, the vault in clear, ``csbot records export`` or ``csbot chat --json`` output."""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import build_app
from bot.service import CsBot
from bot.settings import Settings
from bot.types import Reply, Turn
from tests.audit.planted import MESSAGES, leaked


@dataclass
class Session:
    bot: CsBot
    replies: list[Reply]
    log: str


@pytest.fixture
def session(csbot: CsBot, caplog: pytest.LogCaptureFixture) -> Session:
    """The planted messages through one session, every logger captured at DEBUG."""
    with caplog.at_level(logging.DEBUG):
        sid = csbot.new_session()
        replies = [csbot.handle(Turn(sid, message)) for message in MESSAGES]  # type: ignore[arg-type]
        csbot.suggest(sid)
        csbot.escalate(sid, "customer asked for a person")
    log = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records) + caplog.text
    return Session(csbot, replies, log)


def _sqlite_files(home: Path, stem: str) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(home.glob(f"{stem}*")) if path.is_file())


def _rows(database: Path, table: str) -> list[str]:
    with sqlite3.connect(database) as connection:
        return [json.dumps(row, ensure_ascii=False) for row in connection.execute(f"SELECT * FROM {table}")]


def test_when_personal_data_is_planted_then_debug_logs_hold_none(session: Session) -> None:
    assert leaked(session.log) == []


def test_when_personal_data_is_planted_then_replies_hold_none(session: Session) -> None:
    assert len(session.replies) == len(MESSAGES)
    assert leaked(json.dumps([r.to_json() for r in session.replies], ensure_ascii=False)) == []


@pytest.mark.parametrize("table", ["records", "cases"])
def test_when_personal_data_is_planted_then_the_records_database_holds_none(
    session: Session, bot_settings: Settings, table: str
) -> None:
    rows = _rows(bot_settings.home / "records.db", table)
    assert rows and leaked("\n".join(rows)) == []
    assert leaked(_sqlite_files(bot_settings.home, "records.db")) == []


def test_when_personal_data_is_planted_then_it_was_masked_not_dropped(session: Session) -> None:
    """The records show placeholders for every kind planted, so the other checks are not vacuous."""
    texts = [str(row["body"].get("masked_text")) for row in session.bot.records.for_session(session.replies[0].session)]
    joined = "\n".join(texts)
    for placeholder in ("[姓名", "[手机号", "[身份证号", "[银行卡号", "[邮箱", "[地址"):
        assert placeholder in joined, joined[:400]


def test_when_personal_data_is_planted_then_the_vault_holds_it_encrypted_only(
    session: Session, bot_settings: Settings
) -> None:
    vault = _sqlite_files(bot_settings.home, "vault.db")
    assert len(vault) > 0 and leaked(vault) == []


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_when_personal_data_is_planted_then_the_record_export_holds_none(
    session: Session, bot_settings: Settings, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.setenv("CSBOT_HOME", str(bot_settings.home))
    session.bot.close()
    result = CliRunner().invoke(build_app(), ["records", "export", session.replies[0].case_id, "--format", fmt])
    assert result.exit_code == 0, result.output
    assert session.replies[0].case_id in result.stdout
    assert leaked(result.stdout + result.stderr) == []


@pytest.mark.parametrize("command", [["records", "dump", "--json"], ["records", "cases", "--json"]])
def test_when_personal_data_is_planted_then_records_commands_print_none(
    session: Session, bot_settings: Settings, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.setenv("CSBOT_HOME", str(bot_settings.home))
    session.bot.close()
    result = CliRunner().invoke(build_app(), command)
    assert result.exit_code == 0 and result.stdout, result.output
    assert leaked(result.stdout + result.stderr) == []


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "terminal"])
def test_when_personal_data_is_piped_to_csbot_chat_then_its_output_holds_none(
    bot_settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, as_json: bool
) -> None:
    monkeypatch.setenv("CSBOT_HOME", str(bot_settings.home))
    lines = [m if isinstance(m, bytes) else m.encode() for m in MESSAGES]
    with caplog.at_level(logging.DEBUG):
        result = CliRunner().invoke(build_app(), ["chat", *(["--json"] if as_json else [])], input=b"\n".join(lines))
    assert result.exit_code == 0, result.output
    # one reply line per message: "客服：…" (replies may say 人工客服 themselves) or one JSON object each
    replies = [line for line in result.stdout.splitlines() if line.startswith("客服：" if not as_json else "{")]
    assert len(replies) == len(lines)
    assert leaked(result.stdout + result.stderr + caplog.text) == []


@pytest.mark.parametrize("operator", ["mask", "redact", "hash"])
def test_when_another_masking_operator_is_chosen_then_records_and_replies_still_hold_none(
    bot_settings: Settings, operator: str
) -> None:
    settings = bot_settings.model_copy(update={"pii_operator": operator})
    bot = CsBot(settings)
    session = bot.new_session()
    replies = [bot.handle(Turn(session, message)).to_json() for message in MESSAGES]  # type: ignore[arg-type]
    bot.close()
    rows = _rows(settings.home / "records.db", "records") + _rows(settings.home / "records.db", "cases")
    assert leaked(json.dumps(replies, ensure_ascii=False) + "\n".join(rows)) == []
    assert leaked(_sqlite_files(settings.home, "records.db")) == []
