"""The README is a contract: its two set-up commands exist and every command it shows answers --help."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import build_app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


GROUPS = {"records", "eval", "index", "users", "rails", "data"}


def readme_commands() -> list[list[str]]:
    """The csbot commands listed in the README's 'Command line' block, as word lists."""
    block = README.split("## Command line", 1)[1].split("```", 2)[1]
    commands = []
    for line in block.splitlines():
        line = line.split("  ", 1)[0].strip()
        if not line.startswith("csbot "):
            continue
        first, *others = line.removeprefix("csbot ").split(" | ")
        words = [w for w in shlex.split(first) if re.fullmatch(r"[a-z][a-z-]*", w)]
        if words and words[0] in GROUPS:
            commands.append(words[:2])
            # "records verify | export CASE_ID | dump --json": the alternatives share the group
            commands.extend([words[0], alternative.split()[0]] for alternative in others)
        else:
            commands.append(words[:1])
    return commands


def test_readme_shows_exactly_the_two_make_targets_and_ci_runs_the_test_one() -> None:
    two_commands = README.split("## Two commands", 1)[1].split("```", 2)[1]
    assert re.findall(r"^make (\w+)", two_commands, flags=re.M) == ["demo", "test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, flags=re.M) and re.search(r"^test:", makefile, flags=re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("words", readme_commands(), ids=" ".join)
def test_every_readme_command_answers_help(words: list[str]) -> None:
    result = CliRunner().invoke(build_app(), [*words, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output
