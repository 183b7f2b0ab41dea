"""Issue 12 item 9 (part): reveals share one vault instead of opening an engine each time."""

from __future__ import annotations

import gradio as gr
import pytest
from fastapi import FastAPI

from bot.web.ui_agent import AgentHandlers

PHONE = "13812345678"


def test_many_reveals_open_the_vault_once(web_app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    import guardrails.pii.vault as vault_module

    ctx = web_app.state.ctx
    session = ctx.bot.new_session()
    from bot.types import Turn

    ctx.bot.handle(Turn(session, f"耳机坏了要退货，手机{PHONE}"))
    ctx.users.add("agent-user", "agent", "a long test password")
    copilot = AgentHandlers(ctx)
    placeholder = copilot._show(session, None)[5]["choices"][0]
    opened = []
    real = vault_module.open_vault
    monkeypatch.setattr(vault_module, "open_vault", lambda settings: opened.append(1) or real(settings))
    for _ in range(5):
        assert copilot.reveal(session, placeholder, "回拨顾客确认地址", gr.Request(username="agent-user")) == PHONE
    assert len(opened) <= 1
