"""The per-case state machine: classify, fill slots, advance through the steps a procedure allows.

Deterministic by design: the LLM never decides the next step. One call to ``Engine.advance`` takes
a case's state and one masked message and moves the case as far as the procedure's conditions allow
(never past a step whose slots are missing, never past a ``wait`` step on the message that entered
it), then says which steps were entered, what is still missing and which remedies may be offered.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pydantic import Field

from bot import conversation
from bot.classify import Classification, Classifier
from bot.procedures import Procedure, load_procedures
from bot.slots import SlotSpec, derive, extract, load_slot_specs, slot_roles
from guardrails.types import MaskedText, RailFlag
from knowledge.datafile import DataError, DataModel, load_model, load_yaml

ESCALATION_FILE = Path(__file__).resolve().parent / "config" / "escalation.yaml"
_MAX_MOVES = 12  # more moves than steps means a switch loop in the data; stop rather than spin
_REPLACEABLE_KINDS = {"keywords", "regex", "date", "days", "entity"}


def new_case_id(now: datetime) -> str:
    """CS + date + 40 random bits: short enough to read out on the phone, collisions are retried."""
    return f"CS{now:%Y%m%d}-{secrets.token_hex(5).upper()}"


@dataclass
class CaseState:
    """Everything the engine needs to continue a case; stored in the ``cases`` table between turns."""

    case_id: str
    session: str
    procedure: str
    step: str = "accept"
    slots: dict[str, str] = field(default_factory=dict)
    steps_done: list[str] = field(default_factory=list)
    escalated: bool = False
    escalation_reason: str | None = None
    turns: int = 0
    stalled_turns: int = 0
    placeholders: dict[str, Any] = field(default_factory=dict)  # the masker's placeholder book (no raw values)
    asked: dict[str, int] = field(default_factory=dict)  # slot -> times the bot asked for it (bot/facts.py)
    fact_turns: dict[str, int] = field(default_factory=dict)  # slot -> the turn the customer stated it
    verified: dict[str, dict[str, str]] = field(default_factory=dict)  # slot -> {by, at}: checked facts only
    refusals: int = 0  # offers the customer refused or countered
    last_asks: list[str] = field(default_factory=list)  # the slot keys the last reply asked for
    blocked: int = 0  # messages an input rail blocked: the case stays put, but the customer did write
    phone_checked: list[str] = field(default_factory=list)  # phone placeholders already looked up (bot/phone_lookup.py)
    order_choices: list[str] = field(default_factory=list)  # orders found by phone, for the customer to pick one

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CaseState:
        return cls(**{key: data[key] for key in cls.__dataclass_fields__ if key in data})

    @property
    def investigation_complete(self) -> bool:
        return "investigate" in self.steps_done


@dataclass(frozen=True)
class StepOutcome:
    """What one message did to a case."""

    step_before: str
    step_after: str
    entered: tuple[str, ...]
    missing: tuple[str, ...]
    substep: str | None
    remedies: tuple[str, ...]
    new_slots: dict[str, str]
    escalated_now: bool = False
    escalation_reason: str | None = None
    classification: Classification | None = None
    switched_from: str | None = None
    notes: tuple[str, ...] = ()  # sentences the reply adds: side answers, a way round, a negotiation


def _check_agreement_wording(specs: Mapping[str, SlotSpec]) -> None:
    """dialogue.yaml ``wording.agreed`` (the yes) must be a value the agreement slot can take."""
    from bot.facts import DIALOGUE_FILE, dialogue_rules

    agreement = specs[slot_roles(specs)["agreement"]]
    agreed = dialogue_rules()["wording"]["agreed"]
    if agreement.values and agreed not in {value for value, _ in agreement.values}:
        line = getattr(load_yaml(DIALOGUE_FILE)["wording"], "key_lines", {}).get("agreed", 0)
        raise DataError(
            f"{DIALOGUE_FILE.name}:{line}: wording → agreed: 「{agreed}」不是槽位 {agreement.id} 的取值"
            f"（{', '.join(value for value, _ in agreement.values)}）"
        )


class EscalationRules(DataModel):
    """bot/config/escalation.yaml: which input-rail actions and categories hand a case to a person."""

    actions: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)


class Engine:
    """Procedures + slot catalogue + classifier; holds no per-case state itself."""

    def __init__(
        self,
        procedures: Mapping[str, Procedure],
        slot_specs: Mapping[str, SlotSpec],
        classifier: Classifier,
        escalate_after_turns: int = 8,
    ) -> None:
        self.procedures = dict(procedures)
        self.slot_specs = dict(slot_specs)
        self.roles = slot_roles(self.slot_specs)  # role → slot id (slots.yaml ``role``)
        self.classifier = classifier
        self.escalate_after_turns = escalate_after_turns
        self.orders: Any = None  # an OrderSystem (bot/orders) that stated facts are checked against, if any
        # the value of one of a case's own placeholders (case id, placeholder): the vault, audited; set by CsBot
        self.reveal: Callable[[str, str], str] | None = None
        self.identity: Any = None  # a bot.identity.IdentityCheck: one-time codes for personal-information requests
        rules = load_model(ESCALATION_FILE, EscalationRules)
        self.escalation_actions = frozenset(rules.actions)
        self.escalation_categories = frozenset(rules.categories)

    @classmethod
    def load(cls, escalate_after_turns: int = 8) -> Engine:
        """The shipped procedures, validated against slots, elements and templates."""
        from bot.drafting.template import TemplateBook
        from bot.procedures import validate
        from bot.reply_elements import load_elements

        procedures, specs, classifier = load_procedures(), load_slot_specs(), Classifier.load()
        validate(procedures, slots=specs, elements=load_elements(), has_template=TemplateBook.load().has)
        _check_agreement_wording(specs)
        return cls(procedures, specs, classifier, escalate_after_turns)

    def escalates(self, flag: RailFlag) -> bool:
        """Whether an input-rail flag hands the case to a human (bot/config/escalation.yaml)."""
        return flag.action in self.escalation_actions or flag.category in self.escalation_categories

    def open_case(self, session: str, now: datetime | None = None) -> CaseState:
        """A new case at 受理; its procedure is decided from the first message by ``advance``."""
        case_id = new_case_id(now or datetime.now(UTC))
        return CaseState(case_id=case_id, session=session, procedure=self.classifier.default)

    def missing(self, state: CaseState) -> tuple[str, ...]:
        return self.procedures[state.procedure].step(state.step).missing(state.slots)

    def remedies(self, state: CaseState) -> tuple[str, ...]:
        procedure = self.procedures[state.procedure]
        return procedure.step("resolve").remedies(state.slots) if "resolve" in procedure.steps else ()

    def escalate(self, state: CaseState, reason: str) -> StepOutcome:
        """Hand the case to a human: it stays at its step, flagged, until an agent takes it."""
        state.escalated, state.escalation_reason = True, reason
        return self._outcome(state, state.step, (), {}, escalated_now=True)

    def advance(
        self,
        state: CaseState,
        masked: MaskedText,
        flags: Sequence[RailFlag] = (),
        today: date | None = None,
        proposed: Mapping[str, str] | None = None,
    ) -> StepOutcome:
        """Fill slots from one masked customer message and move the case as far as allowed.

        ``proposed``: facts an LLM read and the customer's words support; they fill only what the
        deterministic layer left empty (bot.conversation.fill_gaps)."""
        notes: list[str] = []
        outcome = self._advance(state, masked, flags, today or date.today(), notes, proposed or {})
        return replace(outcome, notes=tuple(dict.fromkeys(notes)))

    def _advance(
        self,
        state: CaseState,
        masked: MaskedText,
        flags: Sequence[RailFlag],
        today: date,
        notes: list[str],
        proposed: Mapping[str, str],
    ) -> StepOutcome:
        step_before, first_turn = state.step, state.turns == 0
        state.turns += 1
        classification, switched_from = self._reclassify(state, masked.text, first_turn)
        notes += conversation.scope_notes(state, masked.text, first_turn)
        new_slots = self._fill(state, masked, today, notes, proposed)
        switched_from = self._switch(state) or switched_from
        quiet = self.procedures[state.procedure].not_escalated_by
        escalation = next((flag for flag in flags if self.escalates(flag) and flag.rule not in quiet), None)
        if escalation is not None and not state.escalated:
            state.escalated, state.escalation_reason = True, escalation.rule
            return self._outcome(state, step_before, ("accept",) if first_turn else (), new_slots, True, classification)
        entered = ["accept"] if first_turn else []
        if switched_from is not None and state.step == "triage":
            entered.append("triage")
        if not state.escalated:
            entered += self._move(state)
            conversation.count_asks(self, state, tuple(entered))
        progress = conversation.real_progress(new_slots)  # going on without a fact is no progress
        stalled = state.step == step_before and not progress and not first_turn
        state.stalled_turns = state.stalled_turns + 1 if stalled else 0
        if not state.escalated and state.step != "record" and state.stalled_turns >= self.escalate_after_turns:
            state.escalated, state.escalation_reason = True, "no_progress"
            return self._outcome(state, step_before, tuple(entered), new_slots, True, classification)
        return self._outcome(state, step_before, tuple(entered), new_slots, False, classification, switched_from)

    def _fill(
        self,
        state: CaseState,
        masked: MaskedText,
        today: date,
        notes: list[str] | None = None,
        proposed: Mapping[str, str] | None = None,
    ) -> dict[str, str]:
        step = self.procedures[state.procedure].step(state.step)
        expecting = step.missing(state.slots)
        found = extract(
            self.slot_specs,
            masked.text,
            step=state.step,
            expecting=step.missing(state.slots),
            changes=masked.changes,
            today=today,
        )
        notes = notes if notes is not None else []
        verified_before = set(state.verified)  # a checked fact is not replaced by a later stated one
        conversation.understand_into(self, state, found, masked.text, today, expecting, notes, proposed)
        new = {}
        for key, value in found.items():
            replaceable = self.slot_specs[key].kind in _REPLACEABLE_KINDS
            if key in verified_before:
                continue
            if state.slots.get(key) != value and (key not in state.slots or replaceable):
                new[key] = value
        state.slots.update(new)
        for key in new:
            state.fact_turns[key] = state.turns
        receipt_slot, days_slot = self.roles["receipt_date"], self.roles["days_since_receipt"]
        if receipt_slot in new and days_slot not in new:
            state.slots.pop(days_slot, None)  # recomputed from the newer date below
        derive(state.slots, today, self.roles)
        return new

    def _reclassify(self, state: CaseState, text: str, first_turn: bool) -> tuple[Classification | None, str | None]:
        """A case opened as a general complaint may still turn out to be a specific one early on."""
        opening = first_turn and state.step == "accept"
        classification = self.classifier.classify(text, opening=opening)
        if opening:
            state.procedure = classification.procedure
            return classification, None
        if state.procedure != self.classifier.default or state.investigation_complete:
            return classification, None
        if classification.procedure == self.classifier.default:
            return classification, None
        previous, state.procedure = state.procedure, classification.procedure
        if state.step != "accept":  # the responsibility finding must be made again for the new procedure
            state.step = "triage"
            state.steps_done = [step for step in state.steps_done if step == "accept"]
        return classification, previous

    def _switch(self, state: CaseState) -> str | None:
        """Follow the procedure's ``switches`` (e.g. bought elsewhere → not ours) until facts are verified."""
        if state.investigation_complete or state.escalated:
            return None
        rule = self.procedures[state.procedure].switch_rule(state.slots)
        if rule is None or rule.switch is None or rule.switch == state.procedure:
            return None
        previous, state.procedure = state.procedure, rule.switch
        if state.step != "accept":  # the responsibility finding must be made again
            state.step = "triage"
            state.steps_done = [step for step in state.steps_done if step == "accept"]
        return previous

    def _move(self, state: CaseState) -> list[str]:
        """Advance while the current step's conditions hold; return the steps entered."""
        entered: list[str] = []
        for _ in range(_MAX_MOVES):
            step = self.procedures[state.procedure].step(state.step)
            if state.step == "record" or (step.wait and state.step in entered) or step.missing(state.slots):
                break
            rule = step.next_rule(state.slots)
            if rule is None:
                break
            state.slots.update(dict(rule.set))
            if rule.switch:
                state.procedure = rule.switch
                continue
            if rule.goto is None:
                break
            state.steps_done.append(state.step)
            state.step = rule.goto
            entered.append(rule.goto)
        return entered

    def _outcome(
        self,
        state: CaseState,
        step_before: str,
        entered: tuple[str, ...],
        new_slots: dict[str, str],
        escalated_now: bool = False,
        classification: Classification | None = None,
        switched_from: str | None = None,
    ) -> StepOutcome:
        step = self.procedures[state.procedure].step(state.step)
        return StepOutcome(
            step_before=step_before,
            step_after=state.step,
            entered=entered,
            missing=step.missing(state.slots),
            substep=step.substep(state.slots),
            remedies=self.remedies(state),
            new_slots=new_slots,
            escalated_now=escalated_now,
            escalation_reason=state.escalation_reason if escalated_now else None,
            classification=classification,
            switched_from=switched_from,
        )
