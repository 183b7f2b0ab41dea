"""``csbot rails``: run the input rails over messages from stdin, list the rules.

``csbot rails check --json`` reads lines ``{"id": ..., "text": ...}`` and writes
``{"id": ..., "flags": [{"rule", "category", "action"}]}`` per line. A bad line (empty, not UTF-8,
not JSON, no text, over 1 MB) gets an error on stderr naming its line number, never its content,
and the rest of the batch still goes through; the exit code is then 1.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import IO

import typer

from bot.cli.batch_lines import BatchReader


def check_lines(lines: Iterable[bytes], as_json: bool, out: IO[str], err: IO[str]) -> int:
    """Check every line; write results to ``out`` and errors to ``err``. Returns the exit code."""
    from guardrails.rails import check_input

    batch = BatchReader(lines, as_json, err)
    for item_id, text in batch:
        flags = [flag.public() for flag in check_input(text)]
        if as_json:
            print(json.dumps({"id": item_id, "flags": flags}, ensure_ascii=False), file=out)
        else:
            print(" ".join(f"{f['rule']}({f['action']})" for f in flags) or "pass", file=out)
    return 1 if batch.failed else 0


def register(app: typer.Typer) -> None:
    rails = typer.Typer(help="Input rails: check messages, list the rules.", no_args_is_help=True)

    @rails.command("check")
    def check(
        as_json: bool = typer.Option(False, "--json", help='Lines {"id", "text"} in, {"id", "flags"} out.'),
    ) -> None:
        """Run the input rails over stdin lines: plain messages, or JSON lines with --json."""
        raise typer.Exit(check_lines(sys.stdin.buffer, as_json, sys.stdout, sys.stderr))

    @rails.command("list")
    def list_rules(as_json: bool = typer.Option(False, "--json", help="Print JSON lines.")) -> None:
        """List the input rules: id, category, action, description."""
        from guardrails.rails import load_input_config

        for rule in load_input_config().rules:
            row = {"rule": rule.id, "category": rule.category, "action": rule.action, "description": rule.description}
            typer.echo(json.dumps(row, ensure_ascii=False) if as_json else "\t".join(row.values()))

    app.add_typer(rails, name="rails")
