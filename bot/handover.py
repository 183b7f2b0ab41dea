"""Who answers the customer: the bot, or an agent who owns the case (issue 15).

Read from the case's written records, so every process agrees: an explicit escalation makes the
case *waiting* for an agent, an agent's message or taking the case (接手) makes it the agent's, an agent ending the
conversation gives it back to the bot. While the case is waiting or the agent's, a customer's
message is masked, checked by the input rails and recorded with a short notice as the reply; no
draft reaches the customer (the copilot drafts for the agent from the recorded message).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from bot import no_repeat, recording, stages
from bot.engine import CaseState
from bot.identity import take_code
from bot.shared_parts import Parts
from bot.types import Draft, Reply, Turn, TurnTrace
from knowledge.datafile import DataModel, load_checked

HANDOVER_FILE = Path(__file__).resolve().parent / "config" / "handover.yaml"
Owner = Literal["bot", "waiting", "agent"]


class HandoverFile(DataModel):
    """handover.yaml: which record kinds hand the case to an agent and back, and the notice meanwhile."""

    takes_kinds: list[str]
    owns_kinds: list[str] = Field(default_factory=list)
    releases_kinds: list[str]
    held_reply: str
    held_reply_counted: str


@cache
def rules() -> dict[str, Any]:
    return dict(load_checked(HANDOVER_FILE, HandoverFile))


def owner(rows: Iterable[Mapping[str, Any]]) -> Owner:
    """``bot`` answers; ``waiting``: handed over, no agent has written yet; ``agent``: an agent has."""
    takes, releases = set(rules()["takes_kinds"]), set(rules()["releases_kinds"])
    owns = set(rules().get("owns_kinds", []))
    current: Owner = "bot"
    for row in rows:
        if row["kind"] in releases:
            current = "bot"
        elif row["kind"] in owns or (row["actor"] == "agent" and row["body"].get("reply")):
            current = "agent"
        elif row["kind"] in takes and current == "bot":
            current = "waiting"
    return current


def held_turn(parts: Parts, turn: Turn, state: CaseState, version: int | None) -> tuple[Reply, TurnTrace]:
    """A customer's message while an agent owns the case: recorded (masked), answered with a notice only."""
    started = time.perf_counter()
    trace = TurnTrace(step_before=state.step, step_after=state.step)
    text, notes = stages.clean_input(turn.text)
    text, _ = take_code(parts.engine.identity, state, text)  # the agent checks identity now; the code is not kept
    trace.masked_input = stages.mask(parts.masker(state), state, text)
    trace.input_flags = stages.input_rails(trace.masked_input.text)
    blocking = next((flag for flag in trace.input_flags if flag.action == "block"), None)
    if blocking is not None:
        return recording.blocked_reply(parts, turn, state, version, trace, blocking, started, notes)
    notice = str(rules()["held_reply"])
    earlier = no_repeat.earlier_replies(parts, turn.session)
    if no_repeat.repeats(notice, earlier):
        notice = str(rules()["held_reply_counted"]).format(n=no_repeat.customer_messages(parts, turn.session) + 1)
    trace.draft = Draft(text=notice, drafter="handover")
    reply = recording.notice_reply(parts, turn, state, notice, trace, started)
    recording.record_turn(parts, turn, state, version, None, trace, reply, notes, kind="held")
    return reply, trace
