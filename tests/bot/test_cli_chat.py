"""``csbot chat`` and ``csbot records`` through the real command line."""

from __future__ import annotations

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from bot.cli import build_app
from bot.settings import Settings

KEYS = {"session", "case_id", "procedure", "step", "reply", "citations", "escalated", "rails", "latency_ms"}


@pytest.fixture
def cli(bot_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CSBOT_HOME", str(bot_settings.home))
    return CliRunner()


def _chat(cli: CliRunner, data: bytes, *args: str) -> list[dict]:
    result = cli.invoke(build_app(), ["chat", "--json", *args], input=data)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_chat_json_answers_every_line_even_strange_ones(cli: CliRunner) -> None:
    lines = ["我买的台灯坏了".encode(), b"", "😀🙏".encode(), b"\xff\xfe\x00\x01binary", ("退" * 50_000).encode()]
    replies = _chat(cli, b"\n".join(lines) + b"\n")
    assert len(replies) == 5
    assert all(set(reply) >= KEYS and reply["reply"] for reply in replies)
    assert len({reply["session"] for reply in replies}) == 1
    assert replies[0]["procedure"] == "quality_defect" and replies[0]["step"] == "investigate"


def test_chat_continues_a_session(cli: CliRunner) -> None:
    first = _chat(cli, "衣服不喜欢，想七天无理由退货\n".encode())[0]
    second = _chat(cli, "订单号 88812345678，昨天签收，没拆封\n".encode(), "--session", first["session"])[0]
    assert second["case_id"] == first["case_id"] and second["step"] == "resolve"


@pytest.mark.parametrize("session", ["x" * 81, "bad\tid"])
def test_when_session_id_is_unusable_then_a_clear_error_and_no_traceback(cli: CliRunner, session: str) -> None:
    result = cli.invoke(build_app(), ["chat", "--json", "--session", session], input="你好\n".encode())
    assert result.exit_code == 2
    assert "--session takes 1-80 printable characters" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_chat_without_json_prints_a_readable_exchange(cli: CliRunner) -> None:
    result = cli.invoke(build_app(), ["chat"], input="我买的台灯坏了\n".encode())
    assert result.exit_code == 0, result.output
    assert "客服：" in result.stdout and "调查核实" in result.stdout


def test_chat_with_an_unconfigured_llm_exits_with_how_to_fix(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSBOT_DRAFTER", "llm")
    result = cli.invoke(build_app(), ["chat", "--json"], input=b"hello\n")
    assert result.exit_code == 2
    assert "CSBOT_LLM_BASE_URL" in result.output


def test_records_commands_verify_export_and_dump(cli: CliRunner, bot_settings: Settings) -> None:
    replies = _chat(cli, "我买的台灯坏了\n订单号 A20241120，三天前收到的，有照片\n".encode())
    case_id = replies[0]["case_id"]
    app = build_app()
    assert cli.invoke(app, ["records", "verify"]).exit_code == 0
    exported = cli.invoke(app, ["records", "export", case_id, "--format", "html"])
    assert exported.exit_code == 0 and case_id in exported.stdout and "<html" in exported.stdout
    assert "A20241120" in cli.invoke(app, ["records", "export", case_id, "--format", "md"]).stdout
    dumped = [json.loads(line) for line in cli.invoke(app, ["records", "dump", "--json"]).stdout.splitlines()]
    assert [row["id"] for row in dumped] == [1, 2]
    assert cli.invoke(app, ["records", "export", "CS-NONE"]).exit_code == 1
    with sqlite3.connect(bot_settings.home / "records.db") as connection:
        connection.execute("DROP TRIGGER records_no_update")
        connection.execute("UPDATE records SET body = replace(body, 'A20241120', 'A20241121') WHERE id = 2")
    broken = cli.invoke(app, ["records", "verify", "--json"])
    assert broken.exit_code == 1
    summary = json.loads(broken.stdout)
    assert {key: summary[key] for key in ("ok", "checked", "first_bad", "reason")} == {
        "ok": False,
        "checked": 2,
        "first_bad": 2,
        "reason": "content does not match its hash",
    }
    assert summary["anchor"]["ok"] and summary["vault_audit"]["ok"]  # reported beside the chain
