"""The last stages of a turn: build the ``Reply`` and append the written record of the exchange.

The record body holds only masked text: the customer's message after masking, the draft after a
second masking pass (an untrusted drafter may have written personal data), the final reply after
the output rails. Every rail's verdict and reasons go in, so the record explains the reply.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot import no_repeat
from bot.engine import CaseState, StepOutcome
from bot.facts import public_slots
from bot.records.bodies import BODY_VERSION, ClassificationRecord, DraftRecord, MaskChangeRecord, TurnRecord
from bot.shared_parts import Parts
from bot.types import Reply, Turn, TurnTrace
from guardrails.types import RailFlag
from knowledge.types import Passage

if TYPE_CHECKING:
    from guardrails.rails import OutputResult


def cited(passages: list[Passage], text: str) -> list[Passage]:
    """The retrieved passages the reply actually cites (their label appears in it)."""
    return [passage for passage in passages if passage.label in text]


def rails_summary(trace: TurnTrace) -> tuple[dict[str, object], ...]:
    flags: list[dict[str, object]] = [{"rule": flag.rule, "verdict": flag.action} for flag in trace.input_flags]
    return tuple(flags + [{"rule": v.rule, "verdict": v.verdict} for v in trace.verdicts])


def make_reply(
    turn: Turn, state: CaseState, outcome: StepOutcome, result: OutputResult, trace: TurnTrace, started: float
) -> Reply:
    return Reply(
        session=turn.session,
        case_id=state.case_id,
        procedure=state.procedure,
        step=state.step,  # type: ignore[arg-type]
        reply=result.text,
        citations=tuple(p.citation() for p in cited(trace.passages, result.text)),
        escalated=state.escalated,
        rails=rails_summary(trace),
        latency_ms=(time.perf_counter() - started) * 1000,
        missing_slots=outcome.missing,
        slots=public_slots(state.slots),
        asks=() if state.escalated else tuple(state.last_asks),  # a hand-over asks nothing (stages._asks)
        verified=tuple(state.verified),
    )


def _passage(passage: Passage) -> dict[str, Any]:
    return {"label": passage.label, "score": round(passage.score, 4), **passage.citation()}


def turn_body(
    parts: Parts,
    turn: Turn,
    state: CaseState,
    trace: TurnTrace,
    reply: Reply,
    notes: tuple[str, ...],
    outcome: StepOutcome | None = None,
) -> TurnRecord:
    """Everything decided in the turn, masked: the written record of one exchange."""
    draft = trace.draft
    procedure = parts.engine.procedures[state.procedure]
    changes = trace.masked_input.changes if trace.masked_input else ()
    decided = _decided(outcome) if outcome is not None else {}
    return TurnRecord(
        body_version=BODY_VERSION,
        time=datetime.now(UTC).isoformat(),
        procedure=state.procedure,
        procedure_name=procedure.name,
        response_time=dict(procedure.response_time),
        masked_text=trace.masked_input.text if trace.masked_input else None,
        mask_changes=[
            MaskChangeRecord(type=c.type, start=c.start, end=c.end, operator=c.operator, replacement=c.replacement)
            for c in changes
        ],
        input_notes=list(notes),
        input_flags=[flag.public() for flag in trace.input_flags],
        step_before=trace.step_before,
        step_after=state.step,
        slots=dict(state.slots),
        sources=[_passage(p) for p in trace.passages],
        cited=[_passage(p) for p in cited(trace.passages, reply.reply)],
        draft=None
        if draft is None
        else DraftRecord(
            text=parts.scrub(state, draft.text),
            drafter=draft.drafter,
            notes=[parts.scrub(state, note) for note in draft.notes],
        ),
        verdicts=[{**v.public(), "duration_ms": v.duration_ms} for v in trace.verdicts],
        changed_by_rails=draft is not None and draft.text != reply.reply,
        # an agent's text is sent as typed (the rails only check it), so it is masked here like any typed text
        reply=parts.scrub(state, reply.reply) if turn.actor == "agent" else parts.mask_known_names(state, reply.reply),
        drafter=draft.drafter if draft is not None else None,
        escalated=state.escalated,
        latency_ms=round(reply.latency_ms, 3),
        stage_ms=dict(trace.stage_ms),
        agent_id=turn.agent_id,
        **decided,
        **_llm_facts(trace),
    )


def _llm_facts(trace: TurnTrace) -> dict[str, Any]:
    """What an LLM proposed and what the check kept, only on turns where an LLM read the message."""
    return {} if trace.llm_facts is None else {"llm_facts": trace.llm_facts}


def _decided(outcome: StepOutcome) -> dict[str, Any]:
    """What the procedure step decided, for the record (a blocked message has no step outcome)."""
    return {
        "steps_entered": list(outcome.entered),
        "missing_slots": list(outcome.missing),
        "substep": outcome.substep,
        "remedies": list(outcome.remedies),
        "escalated_now": outcome.escalated_now,
        "escalation_reason": outcome.escalation_reason,
        "classification": None
        if outcome.classification is None
        else ClassificationRecord(
            procedure=outcome.classification.procedure, matched=list(outcome.classification.matched)
        ),
        "switched_from": outcome.switched_from,
    }


def record_turn(
    parts: Parts,
    turn: Turn,
    state: CaseState,
    version: int | None,
    outcome: StepOutcome | None,
    trace: TurnTrace,
    reply: Reply,
    notes: tuple[str, ...],
    kind: str = "turn",
) -> int:
    body = turn_body(parts, turn, state, trace, reply, notes, outcome)
    return parts.records.append(
        session=turn.session,
        case_id=state.case_id,
        actor=turn.actor,
        kind=kind,
        body=body.to_body(),
        case_state=state.to_dict(),
        expected_version=version,
        idempotency=(turn.idempotency_key, _stored_reply(turn, reply)) if turn.idempotency_key else None,
    )


REQUEST_DIGEST = "request_digest"  # stored beside a replayable reply, stripped before a replay


def _stored_reply(turn: Turn, reply: Reply) -> dict[str, Any]:
    """The reply kept for an Idempotency-Key, with the digest of the message it answered."""
    stored = reply.to_json()
    if turn.request_digest:
        stored[REQUEST_DIGEST] = turn.request_digest
    return stored


def notice_reply(parts: Parts, turn: Turn, state: CaseState, text: str, trace: TurnTrace, started: float) -> Reply:
    """A reply that is a fixed notice, not a draft (a blocked message, a message held for an agent):
    the case stays where it was and the reply asks nothing."""
    return Reply(
        session=turn.session,
        case_id=state.case_id,
        procedure=state.procedure,
        step=state.step,  # type: ignore[arg-type]
        reply=text,
        escalated=state.escalated,
        rails=rails_summary(trace),
        latency_ms=(time.perf_counter() - started) * 1000,
        missing_slots=parts.engine.missing(state),
    )


def blocked_reply(
    parts: Parts,
    turn: Turn,
    state: CaseState,
    version: int | None,
    trace: TurnTrace,
    flag: RailFlag,
    started: float,
    notes: tuple[str, ...],
) -> tuple[Reply, TurnTrace]:
    """An input rail blocked the message: answer with its canned reply, leave the case where it was."""
    from guardrails.rails import canned_reply

    trace.step_after = state.step
    state.blocked += 1  # a blocked message is still a conversation an agent should see in the queue
    text = canned_reply(flag.rule)
    earlier = no_repeat.earlier_replies(parts, turn.session)
    if no_repeat.repeats(text, earlier):  # the same refusal again would be a loop
        text = no_repeat.fresh_line(earlier, no_repeat.customer_messages(parts, turn.session) + 1, state.case_id)
    reply = notice_reply(parts, turn, state, text, trace, started)
    started_record = time.perf_counter()
    record_turn(parts, turn, state, version, None, trace, reply, notes, kind="blocked")
    trace.stage_ms["record"] = round((time.perf_counter() - started_record) * 1000, 3)
    return reply, trace
