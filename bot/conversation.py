"""The engine's conversation rules, kept out of the state machine: what a message says beyond the
catalogue's keywords (bot/understand), side questions, scope, refusals and how often a fact is asked.

The engine calls three hooks: ``scope_notes`` before filling slots, ``understand_into`` while filling
them, ``count_asks`` after moving. Each may add sentences to the turn's notes, which the drafter puts
into the reply after the step's own text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from bot import phone_lookup
from bot.facts import (
    dialogue_rules,
    out_of_scope,
    overlay,
    position,
    read_agreement,
    side_answers,
    waive,
    without_side_questions,
)
from bot.understand import understand
from bot.understand.defect import find_defect
from bot.verification import take_order

if TYPE_CHECKING:
    from bot.engine import CaseState, Engine
    from bot.orders import OrderSystem

OUT_OF_SCOPE_PROCEDURE = "legal_question"
DEFAULT_PROCEDURE, DEFECT_PROCEDURE = "general_complaint", "quality_defect"
# bench/conversations.py measures the keyword-only engine as its peer: CSBOT_CONVERSATION=keywords
PEER_ENV = "CSBOT_CONVERSATION"


def _keywords_only() -> bool:
    return os.environ.get(PEER_ENV) == "keywords"


_SCOPE_FROM = ("general_complaint", "prepaid_card", "service_complaint", "contract_dispute")


def scope_notes(state: CaseState, text: str, first_turn: bool) -> list[str]:
    """A business this company does not run (a gym, a restaurant): said so, with where to turn."""
    if _keywords_only() or not first_turn or state.procedure not in _SCOPE_FROM:
        return []
    where = out_of_scope(text)
    if where is None:
        routed = route(text) if state.procedure == DEFAULT_PROCEDURE else None
        if routed is not None:
            state.procedure = routed
        elif state.procedure == DEFAULT_PROCEDURE and find_defect(text) is not None:
            state.procedure = DEFECT_PROCEDURE  # 左耳没声音, 一股焦糊味: a product that does not work
        return []
    state.procedure = OUT_OF_SCOPE_PROCEDURE
    return [where]


def understand_into(
    engine: Engine,
    state: CaseState,
    found: dict[str, str],
    text: str,
    today: date,
    expecting: tuple[str, ...],
    notes: list[str],
    proposed: Mapping[str, str] | None = None,
) -> None:
    if _keywords_only():
        return
    asked_aside = without_side_questions(text)
    understood = understand(asked_aside, today, expecting)
    if asked_aside != text:  # 退款多久到账？保修多久？: a remedy or evidence word inside a side question is neither
        stated = understood.slots(expecting)
        for key in ("remedy_wanted", "evidence"):
            if key not in stated:
                found.pop(key, None)
    overlay(found, understood, expecting)
    fill_gaps(engine, state, found, proposed or {})
    if understood.product and "product" not in state.slots:
        state.slots["product"] = understood.product  # stated; an order system's answer replaces it (verified)
    notes += side_answers(text, {**state.slots, **found})
    if engine.orders is not None and found.get("order_no") and "order_no" not in state.verified:
        notes += check_order(engine.orders, state, found)
    notes += phone_lookup.look_up(engine, state, found, text)
    if state.step == "resolve" and not state.escalated:
        _negotiate(engine, state, found, text, notes)
    elif not state.escalated and state.turns > 0 and _objects(text):
        notes.append(str(dialogue_rules()["objection"]).format(position=position(text)))
    held = phone_lookup.held_back(state)  # the customer is picking an order found by phone: nothing to waive
    notes += waive(found, state.slots, tuple(s for s in expecting if s not in held), state.asked, understood, text)
    says_none = understood.numbers.order_unavailable or re.search(rf"没有|{dialogue_rules()['cannot_give']}", text)
    if state.slots.get("order_no") == dialogue_rules()["not_given"] and "order_no" not in found and says_none:
        notes.append(str(dialogue_rules()["order_no_again"]))


def fill_gaps(engine: Engine, state: CaseState, found: dict[str, str], proposed: Mapping[str, str]) -> None:
    """Facts an LLM proposed and the customer's words support (bot/understand/support.py) fill what
    the deterministic layer left empty this turn; they never replace a fact read or given before."""
    for key, value in proposed.items():
        if key in found or key in state.slots:
            continue
        if key in engine.slot_specs:
            found[key] = value
        elif key == "product":
            state.slots[key] = value  # no catalogue slot: kept as a plain fact, as the order look-up does


def _negotiate(engine: Engine, state: CaseState, found: dict[str, str], text: str, notes: list[str]) -> None:
    """A refusal or counter-offer keeps the case open once, with a human offered; the second ends
    the negotiation as 未达成一致. The customer's words go into the record either way."""
    verdict, demand = read_agreement(found, text, engine.remedies(state))
    if verdict in ("refuse", "counter"):
        found.pop("remedy_wanted", None)  # what the customer refuses is not what they want
        if verdict == "counter" and demand:
            found["remedy_wanted"] = demand
    if verdict not in ("refuse", "counter"):
        return
    rules = dialogue_rules()
    state.refusals += 1
    said = " ".join(text.split())[:40]
    earlier = state.slots.get("customer_position")
    state.slots["customer_position"] = f"{earlier}；{said}" if earlier else said
    if demand:
        state.slots["counter_offer"] = demand
    words = position(text)
    if state.refusals == 1:
        found.pop("agreement", None)
        key = "counter" if verdict == "counter" else "refused_once"
        notes.append(str(rules[key]).format(position=words, demand=demand or "另行协商"))
    else:
        notes.append(str(rules["refused_again"]).format(position=words))


def _objects(text: str) -> bool:
    """The customer objects in so many words (不同意, 打发我): said before any offer, it is still heard."""
    from bot.understand.data import table

    return any(word in text for word in table("replies")["objection"])


def negotiating(state: CaseState) -> bool:
    return state.step == "resolve" and state.refusals == 1 and "agreement" not in state.slots


def count_asks(engine: Engine, state: CaseState, entered: tuple[str, ...]) -> None:
    """Count the questions this reply will ask (the same rule as bot.stages._asks)."""
    step = engine.procedures[state.procedure].step(state.step)
    state.last_asks = []
    if state.escalated or (step.wait and state.step in entered) or negotiating(state):
        return
    held = phone_lookup.held_back(state)  # while the customer picks an order found by phone
    asked = [slot for slot in step.missing(state.slots) if engine.slot_specs[slot].ask and slot not in held][:2]
    for slot in asked:
        state.asked[slot] = state.asked.get(slot, 0) + 1
    limit = int(dialogue_rules()["max_asks"])
    state.last_asks = [slot for slot in asked if state.asked[slot] <= limit]  # then a way round is offered


def real_progress(new_slots: dict[str, str]) -> dict[str, str]:
    """The slots the customer actually gave (a fact the bot went on without is not one)."""
    not_given = str(dialogue_rules()["not_given"])
    return {key: value for key, value in new_slots.items() if value != not_given}


def check_order(orders: OrderSystem, state: CaseState, found: dict[str, str]) -> list[str]:
    """Look the stated order number up: only an answer from the order system makes facts ``verified``."""
    rules = dialogue_rules()
    order = orders.by_order_no(found["order_no"])
    if order is None:
        return [str(rules["order_not_found"])]
    return [take_order(orders.name, order, state, found)]


def route(text: str) -> str | None:
    """The procedure an opening message's everyday words name (bot/understand/data/routing.yaml)."""
    from bot.understand.data import table

    return next((str(r["procedure"]) for r in table("routing")["routes"] if re.search(r["pattern"], text)), None)
