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


def test_a_number_in_the_reveal_reason_is_not_written_as_the_cases_placeholder(web_app: FastAPI) -> None:
    from guardrails.pii.vault import open_vault

    ctx = web_app.state.ctx
    session = ctx.bot.new_session()
    from bot.types import Turn

    case_id = ctx.bot.handle(Turn(session, f"耳机坏了要退货，手机{PHONE}")).case_id
    ctx.users.add("agent-user", "agent", "a long test password")
    copilot = AgentHandlers(ctx)
    placeholder = copilot._show(session, None)[5]["choices"][0]
    copilot.reveal(session, placeholder, "顾客说新号码13900001111", gr.Request(username="agent-user"))
    reason = open_vault(ctx.settings.vault_config).reveals(case_id)[-1]["reason"]
    assert "13900001111" not in reason
    assert placeholder not in reason  # another number must not read as the case's [手机号1]


def test_a_refused_queue_selection_names_no_open_session(capsys: pytest.CaptureFixture[str]) -> None:
    from bot.web.quiet_choices import QuietDropdown, QuietRadio

    secret_sessions = [("a", "session-aaaa1111"), ("b", "session-bbbb2222")]
    for component in (QuietRadio(choices=secret_sessions), QuietDropdown(choices=secret_sessions)):
        with pytest.raises(gr.Error) as refused:
            component.preprocess("forged-session")
        assert "session-aaaa1111" not in str(refused.value.message)
    assert "session-aaaa1111" not in capsys.readouterr().err
