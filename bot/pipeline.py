"""One customer turn, top to bottom: mask → input rails → procedure step → search → draft → output
rails → record → Reply. Each stage is a plain function in ``bot.stages``; this module only orders
them and times them, so the whole turn reads on one screen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from bot import no_repeat, recording, stages
from bot.engine import CaseState
from bot.shared_parts import Parts
from bot.types import Reply, Turn, TurnTrace

T = TypeVar("T")


def _timed(trace: TurnTrace, stage: str, work: Callable[[], T]) -> T:
    started = time.perf_counter()
    try:
        return work()
    finally:
        trace.stage_ms[stage] = round((time.perf_counter() - started) * 1000, 3)


def handle_turn(parts: Parts, turn: Turn, state: CaseState, version: int | None) -> tuple[Reply, TurnTrace]:
    """Run one customer message through every stage and append its record (with the new case state)."""
    started = time.perf_counter()
    trace = TurnTrace(step_before=state.step)
    text, notes = stages.clean_input(turn.text)
    masker = parts.masker(state)
    masked = _timed(trace, "mask", lambda: stages.mask(masker, state, text))
    trace.masked_input = masked
    trace.input_flags = _timed(trace, "input_rails", lambda: stages.input_rails(masked.text))
    blocking = next((flag for flag in trace.input_flags if flag.action == "block"), None)
    if blocking is not None:
        return recording.blocked_reply(parts, turn, state, version, trace, blocking, started, notes)
    outcome = _timed(trace, "engine", lambda: parts.engine.advance(state, masked, trace.input_flags))
    trace.step_after, trace.slots = state.step, dict(state.slots)
    trace.passages = _timed(trace, "search", lambda: stages.search(parts, state, outcome, masked.text))
    context = stages.draft_context(parts, state, outcome, masked.text, trace.passages)
    draft = trace.draft = _timed(trace, "draft", lambda: parts.drafter.draft(context))
    result = _timed(trace, "output_rails", lambda: stages.output_rails(parts, state, outcome, draft, masked.text))
    earlier = no_repeat.earlier_replies(parts, turn.session)
    fresh = no_repeat.fresh_draft(draft, earlier) if no_repeat.repeats(result.text, earlier) else None
    if fresh is not None:  # the same words again would be a loop: say so and offer a human instead
        draft = trace.draft = fresh
        result = _timed(trace, "repeat_guard", lambda: stages.output_rails(parts, state, outcome, fresh, masked.text))
    trace.verdicts = list(result.verdicts)
    reply = recording.make_reply(turn, state, outcome, result, trace, started)
    _timed(trace, "record", lambda: recording.record_turn(parts, turn, state, version, outcome, trace, reply, notes))
    return reply, trace
