"""Look a customer's orders up by the phone number they gave, when no order number is verified yet.

The engine sees masked text only (``[手机号1]``); the number itself is in the PII vault, bound to this
case. ``Engine.reveal`` (set by ``CsBot``: the vault, whose audit trail records the look-up's actor and
reason, never the value) gives back the value of a placeholder of this case's own book, for this case
id only. The number goes to the order system's ``by_phone`` and nowhere else: not into slots, notes,
records, logs, traces or replies.

One order found: its facts become verified (经系统核对…). Several: listed with the order number masked,
and the customer picks one (第二个, a product name, the number's last digits) in the next message.
None: said so, and the case goes on on the stated facts.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from bot.facts import dialogue_rules
from bot.verification import rules, take_order

if TYPE_CHECKING:
    from bot.engine import CaseState, Engine
    from bot.orders import Order

log = logging.getLogger(__name__)
PHONE_TYPE = "phone"
_NUMERALS = "一二三四五六七八九"


def held_back(state: CaseState) -> tuple[str, ...]:
    """Slots not asked for while the customer picks one of the orders found by phone."""
    return ("order_no",) if state.order_choices else ()


def _phone_placeholders(state: CaseState, text: str) -> list[str]:
    """The phone placeholders in this message that belong to this case's own placeholder book."""
    from guardrails.pii.config import type_spec

    own = {str(p) for p in state.placeholders.get("entries", {}).values()}
    label = re.escape(type_spec(PHONE_TYPE).label)
    return [p for p in dict.fromkeys(re.findall(rf"\[{label}\d+\]", text)) if p in own]


def _asks_for_order_no(engine: Engine, state: CaseState) -> bool:
    """Only a case whose procedure needs an order number looks one up: a request about one's personal
    information (identity checked apart) or a legal question never lists orders."""
    procedure = engine.procedures[state.procedure]
    if "investigate" not in procedure.steps:
        return False
    step = procedure.step("investigate")
    return "order_no" in (*step.required_slots, *step.optional)


def masked_order_no(order_no: str) -> str:
    head, tail = int(rules()["phone"]["keep_head"]), int(rules()["phone"]["keep_tail"])
    if len(order_no) <= head + tail:
        return "*" * len(order_no)
    return order_no[:head] + "*" * (len(order_no) - head - tail) + order_no[-tail:]


def look_up(engine: Engine, state: CaseState, found: dict[str, str], text: str) -> list[str]:
    """The notes of this turn's look-up by phone (or of the customer's pick among the orders found)."""
    if engine.orders is None or engine.reveal is None:
        return []
    if state.order_choices:
        return _choose(engine, state, found, text)
    if "order_no" in state.verified or not _asks_for_order_no(engine, state):
        return []
    fresh = [p for p in _phone_placeholders(state, text) if p not in state.phone_checked]
    if not fresh:
        return []
    placeholder = fresh[0]
    state.phone_checked.append(placeholder)
    wording = rules()["phone"]
    try:
        orders = list(engine.orders.by_phone(engine.reveal(state.case_id, placeholder)))
    except Exception as error:  # a company's system down must not end the conversation; no value is logged
        log.warning("order look-up by phone failed (%s)", type(error).__name__)
        return [str(wording["failed"])]
    if not orders:
        _go_on_without_order_no(state, found)
        return [str(wording["none"])]
    if len(orders) == 1:
        return [str(wording["one"]), take_order(engine.orders.name, orders[0], state, found)]
    listed = orders[: int(wording["max_listed"])]
    state.order_choices = [order.order_no for order in listed]
    lines = [
        str(wording["line"]).format(
            n=number, product=order.product, order_no=masked_order_no(order.order_no), paid_on=order.paid_on
        )
        for number, order in enumerate(listed, start=1)
    ]
    return [str(wording["several"]).format(count=len(listed), orders="；".join(lines))]


def _go_on_without_order_no(state: CaseState, found: dict[str, str]) -> None:
    if not state.slots.get("order_no") and not found.get("order_no"):
        found["order_no"] = str(dialogue_rules()["not_given"])


def _choose(engine: Engine, state: CaseState, found: dict[str, str], text: str) -> list[str]:
    """The customer's answer to the list: one order picked (verified), or none (go on without)."""
    candidates: list[Any] = [engine.orders.by_order_no(number) for number in state.order_choices]
    state.order_choices = []
    if "order_no" in state.verified:
        return []  # they typed the order number itself: already checked (bot.conversation.check_order)
    orders: list[Order] = [order for order in candidates if order is not None]
    picked = picked_order(orders, text)
    if picked is None:
        _go_on_without_order_no(state, found)
        return [str(rules()["phone"]["not_chosen"])]
    return [take_order(engine.orders.name, picked, state, found)]


def picked_order(orders: list[Order], text: str) -> Order | None:
    """第二个 / 2 / 冰箱那个 / the last digits of its number; None when the text picks none (都不是)."""
    wording = rules()["phone"]
    if re.search(wording["none_of_them"], text):
        return None
    match = re.search(wording["ordinal"], text)
    if match is not None:
        said = match.group(1) or match.group(3) or match.group(4)
        number = _NUMERALS.index(said) + 1 if said in _NUMERALS else int(said)
        return orders[number - 1] if 0 < number <= len(orders) else None
    by_words = [o for o in orders if o.product in text or o.product[-2:] in text or o.order_no[-4:] in text]
    return by_words[0] if len(by_words) == 1 else None
