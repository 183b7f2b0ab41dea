"""``csbot users add`` reads the password from stdin, never from an argument."""

from __future__ import annotations

from typer.testing import CliRunner

from bot.cli import build_app
from bot.settings import load_settings
from bot.web.auth import StaffUser, UserStore


def test_when_admin_is_added_from_stdin_then_they_can_log_in() -> None:
    result = CliRunner().invoke(build_app(), ["users", "add", "root", "--role", "admin"], input="a long secret\n")
    assert result.exit_code == 0, result.output
    assert UserStore.open(load_settings()).authenticate("root", "a long secret") == StaffUser("root", "admin")


def test_when_role_is_unknown_then_exit_code_2_and_no_user() -> None:
    result = CliRunner().invoke(build_app(), ["users", "add", "eve", "--role", "customer"], input="a long secret\n")
    assert result.exit_code == 2
    assert "未知角色" in result.output
    assert UserStore.open(load_settings()).get("eve") is None
