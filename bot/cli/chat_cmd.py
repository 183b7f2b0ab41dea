"""``csbot chat``: one customer message per stdin line, one reply per message.

With ``--json`` each reply is one JSON line (session, case_id, procedure, step, reply, citations,
escalated, rails, latency_ms, missing_slots). Without it, a terminal chat that shows the step the
case is in. Any line is a message: an empty, enormous, binary or emoji-only line gets a polite
reply and a record, never a crash; the session continues with ``--session ID``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import IO

import typer

from bot.types import STEP_NAMES_ZH, Reply

PROMPT = "您："


def _show(reply: Reply, out: IO[str], color: bool) -> None:
    header = f"【{STEP_NAMES_ZH.get(reply.step, reply.step)} · {reply.procedure} · 案件 {reply.case_id}】"
    if reply.escalated:
        header += "【已转人工】"
    print(typer.style(header, fg=typer.colors.CYAN) if color else header, file=out)
    print(f"客服：{reply.reply}", file=out)
    if reply.citations:
        grounds = "；".join(
            str(c.get("law") or c.get("doc")) + f" {c.get('article') or c.get('section')}" for c in reply.citations
        )
        print(typer.style(f"依据：{grounds}", dim=True) if color else f"依据：{grounds}", file=out)


def chat_lines(lines: Iterable[bytes], session: str | None, as_json: bool, out: IO[str], interactive: bool) -> str:
    """Answer every line; returns the session id (so a caller can continue it)."""
    from bot.service import CsBot
    from bot.settings import load_settings
    from bot.types import Turn

    bot = CsBot(load_settings())
    session = session or bot.new_session()
    try:
        if interactive:
            print(f"会话 {session}（Ctrl-D 结束）", file=out)
            out.write(PROMPT)
            out.flush()
        for raw in lines:
            reply = bot.handle(Turn(session, raw.rstrip(b"\r\n").decode("utf-8", errors="replace")))
            if as_json:
                print(json.dumps(reply.to_json(), ensure_ascii=False), file=out)
            else:
                _show(reply, out, color=interactive)
            if interactive:
                out.write(PROMPT)
            out.flush()
    finally:
        bot.close()
    return session


def register(app: typer.Typer) -> None:
    @app.command("chat")
    def chat(
        session: str | None = typer.Option(None, "--session", help="Continue this session (default: a new one)."),
        as_json: bool = typer.Option(False, "--json", help="One JSON reply per input line."),
    ) -> None:
        """Chat as a customer: one message per stdin line, one reply per message."""
        from bot.drafting import DrafterConfigError
        from bot.service import MAX_SESSION_CHARS

        if session is not None and not (0 < len(session) <= MAX_SESSION_CHARS and session.isprintable()):
            typer.echo(f"error: --session takes 1-{MAX_SESSION_CHARS} printable characters", err=True)
            raise typer.Exit(2)
        interactive = sys.stdin.isatty() and not as_json
        try:
            chat_lines(sys.stdin.buffer, session, as_json, sys.stdout, interactive)
        except DrafterConfigError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(2) from error
