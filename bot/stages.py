"""The stages of one turn before recording: clean, mask, input rails, search, draft context, output rails.

Each is a plain function over typed values so ``bot.pipeline.handle_turn`` reads top to bottom and
each decision can be tested and recorded on its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.conversation import negotiating
from bot.drafting.base import DraftContext
from bot.engine import CaseState, StepOutcome
from bot.facts import ask_text, dialogue_rules
from bot.phone_lookup import held_back
from bot.records.bodies import transcript
from bot.reply_elements import Element, resolve_elements
from bot.rights import rights_fields
from bot.shared_parts import Parts
from bot.types import Draft, TurnTrace
from bot.verification import basis, how_of, summary_mark
from guardrails.types import MaskedText, RailFlag
from knowledge.policies import PolicyLibrary
from knowledge.types import Passage, SearchFilters

if TYPE_CHECKING:
    from bot.slots import SlotSpec
    from guardrails.pii import Masker
    from guardrails.rails import OutputContext, OutputResult

MAX_INPUT_CHARS = 2000
_GROUNDED_STEPS = ("triage", "resolve", "record")
_TOKEN = re.compile(r"[0-9A-Za-z@._+\-]")
_MEANINGFUL = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class _Blank(dict[str, str]):
    """Slot values for a query template; a slot not yet filled reads as nothing."""

    def __missing__(self, key: str) -> str:
        return ""


def clean_input(raw: str | bytes) -> tuple[str, tuple[str, ...]]:
    """Text a person could have typed: decoded, control characters dropped, length bounded."""
    notes: list[str] = []
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    text = text.encode("utf-8", errors="replace").decode("utf-8")  # lone surrogates from binary input
    kept = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs", "Co", "Cn"))
    if len(kept) != len(text):
        notes.append(f"removed {len(text) - len(kept)} control or unassigned characters")
    if len(kept) > MAX_INPUT_CHARS:
        cut = _token_start(kept, MAX_INPUT_CHARS)
        notes.append(f"truncated from {len(kept)} to {cut} characters")
        kept = kept[:cut]
    return kept.strip(), tuple(notes)


def _token_start(text: str, cut: int) -> int:
    """Move a cut back to the start of the number or address it would split: half a phone or ID number
    is no longer recognised as one, so it would be recorded in clear."""
    while 0 < cut < len(text) and _TOKEN.match(text[cut - 1]) and _TOKEN.match(text[cut]):
        cut -= 1
    return cut


def is_meaningful(text: str) -> bool:
    return bool(_MEANINGFUL.search(text))


def mask(masker: Masker, state: CaseState, text: str) -> MaskedText:
    masked = masker.mask(text)
    state.placeholders = masker.book.to_dict()
    return masked


def input_rails(masked_text: str) -> list[RailFlag]:
    from guardrails.rails import check_input

    return check_input(masked_text)


def llm_facts(parts: Parts, state: CaseState, trace: TurnTrace) -> dict[str, str]:
    """The facts an LLM reads in the masked message, kept only where the customer's words support them
    (bot/understand/support.py); the trace records what was kept, what was dropped and any fallback."""
    from datetime import date

    from bot.understand.assisted import assist

    masked = trace.masked_input
    if masked is None or not is_meaningful(masked.text):
        return {}
    offered = parts.engine.remedies(state) if state.step == "resolve" else ()
    result = assist(parts.fact_reader, masked.text, date.today(), tuple(state.last_asks), offered)
    trace.llm_facts = result.public()
    return result.kept


def search(parts: Parts, state: CaseState, outcome: StepOutcome, masked_text: str) -> list[Passage]:
    """Knowledge for the last grounded step this turn touches, asked with the step's query and the message."""
    if parts.searcher is None or state.escalated:
        return []
    procedure = parts.engine.procedures[state.procedure]
    specs = [procedure.step(s).search for s in (*outcome.entered, state.step) if s in procedure.steps]
    spec = next((s for s in reversed(specs) if s is not None), None)
    if spec is None:
        return []
    query = spec.query_for(state.slots).format_map(_Blank(state.slots))
    if spec.with_message:
        query = f"{query} {masked_text[:80]}"
    filters = SearchFilters(sources=spec.sources, laws=spec.laws)  # type: ignore[arg-type]
    wanted = min(parts.settings.top_k, 3)
    found = parts.searcher.search(query.strip(), top_k=wanted + 2, filters=filters)
    return [p for p in found if quotable(p)][:wanted]


@lru_cache(maxsize=1)
def _policies() -> PolicyLibrary:
    return PolicyLibrary.load()


def quotable(passage: Passage) -> bool:
    """A policy section marked ``not_quotable`` (a forbidden-phrase list) never reaches a drafter:
    quoting it would make the reply say the very phrase it forbids."""
    return passage.source != "policy" or _policies().quotable(passage.doc, passage.section)


def _facts(parts: Parts, state: CaseState) -> list[tuple[str, str]]:
    """(label, value) of the investigate step's slots that are filled, in the step's order."""
    step = parts.engine.procedures[state.procedure].step("investigate")
    return [
        (parts.slot_specs[slot].label, state.slots[slot])
        for slot in (*step.required_slots, *step.optional)
        if state.slots.get(slot)
    ]


def _shown(value: str) -> str:
    """A value as a reply writes it: an ISO date reads 2026年11月25日."""
    if not _ISO_DATE.fullmatch(value):
        return value
    year, month, day = (int(part) for part in value.split("-"))
    return str(_wording()["date"]).format(year=year, month=month, day=day)


def _wording() -> dict[str, str]:
    """How replies and the record state the case (dialogue.yaml ``wording``)."""
    return dict(dialogue_rules()["wording"])


def _told(spec: SlotSpec, value: str) -> str:
    """One fact stated back to the customer in a sentence piece (slots.yaml ``told``), not a label dump."""
    wording = _wording()
    if value == dialogue_rules()["not_given"]:
        return wording["not_provided"].format(label=spec.label)
    shown = _shown(value)
    return spec.told.format(value=shown) if spec.told else wording["fact"].format(label=spec.label, value=shown)


def template_fields(parts: Parts, state: CaseState, remedies: Sequence[str]) -> dict[str, str]:
    procedure = parts.engine.procedures[state.procedure]
    step = procedure.step("investigate")
    filled = [slot for slot in (*step.required_slots, *step.optional) if state.slots.get(slot)]
    told = "，".join(_told(parts.slot_specs[slot], state.slots[slot]) for slot in filled)  # what the reply says
    by_source: dict[str, list[str]] = {}  # stated / system / agent: the basis a reply states them under
    for slot in filled:
        by_source.setdefault(how_of(state, slot) or "stated", []).append(
            _told(parts.slot_specs[slot], state.slots[slot])
        )
    wording, roles = _wording(), parts.engine.roles
    facts = "；".join(
        wording["fact"].format(label=parts.slot_specs[slot].label, value=state.slots[slot]) + summary_mark(state, slot)
        for slot in filled
    )
    agreed = state.slots.get(roles["agreement"]) == wording["agreed"]
    chosen = (state.slots.get(roles["chosen_remedy"]) or (remedies[0] if remedies else "")) if agreed else ""
    outcome = state.slots.get(roles["outcome"], "")
    outcome = "" if outcome == procedure.name else outcome
    position = state.slots.get("customer_position") if not agreed else None  # written by bot.conversation
    said = wording["customer_position"].format(value=position) if position else ""
    demand = state.slots.get("counter_offer") if position else None
    counter = wording["counter_offer"].format(value=demand) if demand else ""
    chosen_text = wording["chosen_remedy"].format(value=chosen) if chosen else ""
    summary = "，".join(x for x in (procedure.name, facts, chosen_text, said, counter, outcome) if x)
    seller = state.slots.get(roles["seller"]) if "seller" in roles else None
    return {
        "case_id": state.case_id,
        "procedure_name": procedure.name,
        "facts": told,
        "basis": basis(by_source),  # 根据您提供的信息（…） for stated facts only; 经客服核对（…） for checked ones
        "basis_lead": basis(by_source, with_facts=False),
        "remedies": "、".join(remedies),
        "summary": summary,
        "outcome": state.slots.get(roles["outcome"], ""),
        "days": state.slots.get(roles["days_since_receipt"], ""),
        "seller_phrase": wording["seller_named"].format(value=seller) if seller else wording["seller_unknown"],
        "rights": "",  # hook: the customer's legal rights for this case (issue 11), empty by default
        **{key: str(value) for key, value in procedure.response_time.items()},
    }


def _asks(parts: Parts, state: CaseState, outcome: StepOutcome) -> tuple[str, ...]:
    step = parts.engine.procedures[state.procedure].step(state.step)
    if state.escalated or (step.wait and state.step in outcome.entered) or negotiating(state):
        return ()
    held = held_back(state)  # while the customer picks an order found by phone (bot/phone_lookup.py)
    asked = [slot for slot in outcome.missing if parts.slot_specs[slot].ask and slot not in held][:2]
    # state.asked already counts this reply's questions (bot.conversation.count_asks)
    return tuple(ask_text(slot, state.asked.get(slot, 1) - 1, parts.slot_specs[slot].ask) for slot in asked)


def required_names(parts: Parts, state: CaseState, outcome: StepOutcome) -> list[str]:
    procedure = parts.engine.procedures[state.procedure]
    if state.escalated:
        return ["case_number", "escalation_notice"] if outcome.escalated_now else ["escalation_notice"]
    names = [name for s in (*outcome.entered, state.step) if s in procedure.steps for name in procedure.step(s).require]
    return list(dict.fromkeys(names))


def elements_for(parts: Parts, state: CaseState, outcome: StepOutcome, fields: dict[str, str]) -> tuple[Element, ...]:
    """The concrete elements this turn's reply must contain."""
    facts = [_shown(value) for _, value in _facts(parts, state)]
    remedies = outcome.remedies if "resolve" in (*outcome.entered, state.step) else ()
    return resolve_elements(parts.elements, required_names(parts, state, outcome), fields, facts, remedies)


def draft_context(
    parts: Parts, state: CaseState, outcome: StepOutcome, masked_text: str, passages: Sequence[Passage]
) -> DraftContext:
    procedure = parts.engine.procedures[state.procedure]
    fields = template_fields(parts, state, outcome.remedies)
    elements = elements_for(parts, state, outcome, fields)
    # issue 11 (bot/rights.py): the turn that hands over to a human still states the rule asked about
    fields.update(rights_fields(state.slots, masked_text, state.escalated and not outcome.escalated_now))
    fields["notes"] = "".join(outcome.notes)
    fields["negotiating"] = "1" if negotiating(state) else ""
    history: tuple[tuple[str, str], ...] = ()
    if parts.drafter.name != "template":
        history = conversation_history(parts, state.session)
    instructions = [procedure.step(s).instructions for s in (*outcome.entered, state.step) if s in procedure.steps]
    return DraftContext(
        case_id=state.case_id,
        procedure_id=procedure.id,
        procedure_name=procedure.name,
        step=state.step,
        entered=outcome.entered,
        turn_no=state.turns,
        customer_text=masked_text,
        missing=outcome.missing,
        asks=_asks(parts, state, outcome),
        remedies=outcome.remedies if "resolve" in (*outcome.entered, state.step) else (),
        passages=tuple(passages),
        fields=fields,
        instructions=tuple(dict.fromkeys(i for i in instructions if i)),
        required=tuple(element.fallback for element in elements),
        history=history,
        escalated=state.escalated,
        escalated_now=outcome.escalated_now,
        closed=outcome.step_before == "record" and state.step == "record",
        empty_input=not is_meaningful(masked_text),
    )


def conversation_history(parts: Parts, session: str, turns: int = 6) -> tuple[tuple[str, str], ...]:
    """The last few exchanges of the session, masked, oldest first (for the LLM drafter)."""
    return tuple((message.actor, message.text) for message in transcript(parts.records.for_session(session)[-turns:]))


def output_context(parts: Parts, state: CaseState, outcome: StepOutcome, masked_text: str = "") -> OutputContext:
    """What the output rails know of the case: its step, the customer's placeholders, the required elements."""
    from guardrails.rails import OutputContext, RequiredElement

    elements = elements_for(parts, state, outcome, template_fields(parts, state, outcome.remedies))
    placeholders = frozenset(str(p) for p in state.placeholders.get("entries", {}).values())
    return OutputContext(
        step=state.step,
        investigation_complete=state.investigation_complete,
        customer_placeholders=placeholders,
        required_elements=tuple(RequiredElement(e.name, e.any_of, e.fallback) for e in elements),
        customer_text=masked_text,
    )


def output_rails(
    parts: Parts, state: CaseState, outcome: StepOutcome, draft: Draft, masked_text: str = ""
) -> OutputResult:
    from guardrails.rails import run_output_rails

    context = output_context(parts, state, outcome, masked_text)
    # A name the customer gave comes back in a draft without its cue (欧阳娜娜您好), where the rails
    # cannot see it: it becomes the case's own placeholder first, which the rails let through.
    return run_output_rails(parts.mask_known_names(state, draft.text), context)
