"""Every kind of turn, top to bottom, each on one screen. Each stage is a plain function in
``bot.stages``; this module only orders them and times them.

- a customer turn: mask → input rails → [LLM facts, checked] → procedure step → search → draft →
  output rails → record
- a copilot suggestion: search → draft → output rails (nothing recorded, the case does not move)
- an agent's reply: clean → output rails check the agent's text (rewriting nothing) → record (actor agent)
- a hand-over: mask the reason → escalate → template draft → output rails → record

Each returns a ``TracedReply``: the reply and the trace of what was decided, so whoever needs the
trace (eval, bench) gets it from the call itself and nothing is kept per session in memory.
``CsBot`` loads the case, holds the session's lock and retries a lost race; it decides nothing.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from bot import identity, no_repeat, recording, stages
from bot.agent_check import check_agent_text
from bot.drafting.base import Drafter
from bot.engine import CaseState, StepOutcome
from bot.records.bodies import transcript
from bot.shared_parts import Parts
from bot.types import Actor, Draft, Reply, Turn, TurnTrace

T = TypeVar("T")


@dataclass(frozen=True)
class TracedReply:
    """A turn's reply and everything decided on the way (masked input, passages, draft, verdicts)."""

    reply: Reply
    trace: TurnTrace


def _timed(trace: TurnTrace, stage: str, work: Callable[[], T]) -> T:
    started = time.perf_counter()
    try:
        return work()
    finally:
        trace.stage_ms[stage] = round((time.perf_counter() - started) * 1000, 3)


def handle_turn(parts: Parts, turn: Turn, state: CaseState, version: int | None) -> TracedReply:
    """Run one customer message through every stage and append its record (with the new case state)."""
    started = time.perf_counter()
    trace = TurnTrace(step_before=state.step)
    text, notes = stages.clean_input(turn.text)
    text, code = identity.take_code(parts.engine.identity, state, text)  # a one-time code is never kept
    masker = parts.masker(state)
    masked = _timed(trace, "mask", lambda: stages.mask(masker, state, text))
    trace.masked_input = masked
    trace.input_flags = _timed(trace, "input_rails", lambda: stages.input_rails(masked.text))
    blocking = next((flag for flag in trace.input_flags if flag.action == "block"), None)
    if blocking is not None:
        return TracedReply(*recording.blocked_reply(parts, turn, state, version, trace, blocking, started, notes))
    kept = _timed(trace, "llm_facts", lambda: stages.llm_facts(parts, state, trace)) if parts.fact_reader else None
    outcome = _timed(
        trace, "engine", lambda: identity.advance(parts.engine, state, masked, trace.input_flags, code, proposed=kept)
    )
    trace.step_after, trace.slots = state.step, dict(state.slots)
    trace.passages = _timed(trace, "search", lambda: stages.search(parts, state, outcome, masked.text))
    context = stages.draft_context(parts, state, outcome, masked.text, trace.passages)
    draft = trace.draft = _timed(trace, "draft", lambda: parts.drafter.draft(context))
    result = _timed(trace, "output_rails", lambda: stages.output_rails(parts, state, outcome, draft, masked.text))
    earlier = no_repeat.earlier_replies(parts, turn.session)
    if no_repeat.repeats(result.text, earlier):  # the same words again would be a loop: say so, offer a human
        n = no_repeat.customer_messages(parts, turn.session) + 1
        fresh = no_repeat.fresh_draft(draft, earlier, n, state.case_id)
        draft = trace.draft = fresh
        result = _timed(trace, "repeat_guard", lambda: stages.output_rails(parts, state, outcome, fresh, masked.text))
    trace.verdicts = list(result.verdicts)
    reply = recording.make_reply(turn, state, outcome, result, trace, started)
    _timed(trace, "record", lambda: recording.record_turn(parts, turn, state, version, outcome, trace, reply, notes))
    return TracedReply(reply, trace)


def standing_still(parts: Parts, state: CaseState, escalated_now: bool = False) -> StepOutcome:
    """The outcome of a turn that does not move the procedure (a suggestion, an agent's reply, a hand-over)."""
    engine = parts.engine
    step = engine.procedures[state.procedure].step(state.step)
    return StepOutcome(
        step_before=state.step,
        step_after=state.step,
        entered=(),
        missing=step.missing(state.slots),
        substep=step.substep(state.slots),
        remedies=engine.remedies(state),
        new_slots={},
        escalated_now=escalated_now,
        escalation_reason=state.escalation_reason if escalated_now else None,
    )


def last_customer_text(parts: Parts, session: str) -> str:
    """The customer's last message in this session, masked, or "" before the first one."""
    said = [m.text for m in transcript(parts.records.for_session(session)) if m.actor == "customer"]
    return said[-1] if said else ""


def suggest_turn(parts: Parts, state: CaseState, drafter: Drafter, variant: int = 0) -> TracedReply:
    """Draft the next reply for an agent to edit: nothing is sent, recorded or advanced. The case is
    drafted as if open (an escalated case's draft answers the customer, not the holding line), and
    ``variant`` > 0 asks for another wording (see ``CsBot.suggest``)."""
    started = time.perf_counter()
    agents_view = CaseState.from_dict({**state.to_dict(), "escalated": False})
    outcome, trace = standing_still(parts, agents_view), TurnTrace(step_before=state.step, step_after=state.step)
    text = last_customer_text(parts, state.session)
    trace.passages = stages.search(parts, agents_view, outcome, text)
    context = stages.draft_context(parts, agents_view, outcome, text, trace.passages)
    trace.draft = drafter.draft(dataclasses.replace(context, turn_no=context.turn_no + variant))
    result = stages.output_rails(parts, agents_view, outcome, trace.draft, text)
    trace.verdicts = list(result.verdicts)
    reply = recording.make_reply(Turn(state.session, "", "bot"), state, outcome, result, trace, started)
    return TracedReply(reply, trace)


def agent_turn(parts: Parts, turn: Turn, state: CaseState, version: int | None) -> TracedReply:
    """An agent's reply, sent exactly as typed: the output rails check it and their verdicts are
    recorded with it (kind agent), but they rewrite nothing."""
    from guardrails.rails import OutputResult

    started = time.perf_counter()
    outcome, trace = standing_still(parts, state), TurnTrace(step_before=state.step, step_after=state.step)
    cleaned, notes = stages.clean_input(turn.text)
    agent_said = Turn(turn.session, cleaned, "agent", turn.agent_id or "agent")
    trace.draft = Draft(text=cleaned, drafter="agent")
    context = stages.output_context(parts, state, outcome, last_customer_text(parts, turn.session))
    trace.verdicts = list(check_agent_text(cleaned, context).verdicts)
    result = OutputResult(text=cleaned, verdicts=tuple(trace.verdicts), blocked=False)
    reply = recording.make_reply(agent_said, state, outcome, result, trace, started)
    recording.record_turn(parts, agent_said, state, version, outcome, trace, reply, notes, kind="agent")
    return TracedReply(reply, trace)


def escalation_turn(
    parts: Parts, session: str, reason: str, actor: Actor, state: CaseState, version: int | None
) -> TracedReply:
    """Hand the case to a human now and tell the customer so (a hand-over needs no LLM: template drafter)."""
    from bot.drafting.template import TemplateDrafter

    started = time.perf_counter()
    masked_reason = parts.scrub(state, reason)  # typed by a person: recorded masked, like any text
    parts.engine.escalate(state, masked_reason)
    outcome, trace = standing_still(parts, state, escalated_now=True), TurnTrace(step_before=state.step)
    trace.step_after = state.step
    context = stages.draft_context(parts, state, outcome, "", ())
    trace.draft = TemplateDrafter(parts.templates).draft(context)
    result = stages.output_rails(parts, state, outcome, trace.draft)
    trace.verdicts = list(result.verdicts)
    turn = Turn(session, "", actor)
    reply = recording.make_reply(turn, state, outcome, result, trace, started)
    recording.record_turn(parts, turn, state, version, outcome, trace, reply, (masked_reason,), kind="escalation")
    return TracedReply(reply, trace)
