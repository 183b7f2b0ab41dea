"""Verified facts: who checked a stated fact and when, and how a reply words a fact by where it came from.

A fact is ``stated`` (the customer said it) or ``verified``: ``CaseState.verified[slot]`` holds the stamp
``{by, how, at}``, where ``how`` is ``system`` (an order system answered: ``bot.conversation.check_order``,
``bot.phone_lookup``) or ``agent`` (an agent confirmed it in the copilot: ``confirm_by_agent``, called
by ``CsBot.verify_facts`` and recorded as a ``verify`` event in the hash chain).

Replies say 根据您提供的信息（…） for stated facts only; a verified fact is stated back under 经系统核对 or
经客服核对 (bot/config/verification.yaml).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.facts import dialogue_rules
from bot.slots import derive
from knowledge.datafile import DataModel, Regex, load_checked

if TYPE_CHECKING:
    from bot.engine import CaseState, Engine
    from bot.orders import Order

VERIFICATION_FILE = Path(__file__).resolve().parent / "config" / "verification.yaml"
SYSTEM, AGENT = "system", "agent"


class Basis(DataModel):
    stated: str
    system: str
    agent: str
    join: str


class PhoneWording(DataModel):
    one: str
    several: str
    line: str
    none: str
    not_chosen: str
    failed: str
    ordinal: Regex
    none_of_them: Regex
    max_listed: int
    keep_head: int
    keep_tail: int


class VerificationFile(DataModel):
    """bot/config/verification.yaml: wording by provenance, what an agent may confirm, the phone look-up."""

    agent_may_confirm: list[str]
    labels: dict[str, str]
    how: dict[str, str]
    basis: Basis
    lead: Basis
    summary_mark: str
    record_mark: str
    phone: PhoneWording
    reveal_actor: str
    reveal_reason: str


@lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    return dict(load_checked(VERIFICATION_FILE, VerificationFile))


class VerifyError(ValueError):
    """An agent's confirmation that cannot be recorded; the message is Chinese, for the agent."""


def stamp(by: str, how: str, now: datetime | None = None) -> dict[str, str]:
    """Who checked a fact, how (``system`` / ``agent``) and when (UTC, ISO 8601)."""
    return {"by": by, "how": how, "at": (now or datetime.now(UTC)).isoformat(timespec="seconds")}


def how_of(state: CaseState, slot: str) -> str | None:
    """``system`` or ``agent`` for a verified fact (a stamp from before ``how`` existed: an order system)."""
    found = state.verified.get(slot)
    return None if found is None else str(found.get("how") or SYSTEM)


def label_of(engine: Engine, key: str) -> str:
    spec = engine.slot_specs.get(key)
    return spec.label if spec is not None else label_of_extra(key)


def label_of_extra(key: str) -> str:
    """The label of a fact that is not a catalogue slot (product: 商品)."""
    return str(rules()["labels"].get(key, key))


def _checked_value(engine: Engine, key: str, value: str, today: date) -> str:
    """An agent's value, as the slot keeps it: a date as an ISO date not in the future, an amount a number."""
    value = " ".join(value.split())
    spec = engine.slot_specs.get(key)
    label = label_of(engine, key)
    if not value or len(value) > 80:
        raise VerifyError(f"「{label}」的值须为 1 到 80 个字。")
    if spec is not None and spec.kind == "date":
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise VerifyError(f"「{label}」请按 年-月-日 填写，例如 2026-11-20。") from None
        if day > today:
            raise VerifyError(f"「{label}」不能晚于今天。")
        return day.isoformat()
    if key == "amount":
        try:
            amount = float(value.removesuffix("元"))
        except ValueError:
            raise VerifyError("「金额」请填写数字（单位：元），例如 129 或 99.5。") from None
        if amount < 0:
            raise VerifyError("「金额」不能为负数。")
        return f"{amount:g}"
    return value


def confirm_by_agent(
    engine: Engine,
    state: CaseState,
    agent_id: str,
    keys: Sequence[str],
    values: Mapping[str, str] | None = None,
    today: date | None = None,
    now: datetime | None = None,
) -> list[dict[str, str]]:
    """Mark facts as verified by ``agent_id``: the stated value, or the value the agent checked (``values``,
    already masked). Returns what the record's ``verify`` event lists: key, label, value, at."""
    values = dict(values or {})
    allowed = set(rules()["agent_may_confirm"])
    wanted = list(dict.fromkeys([*keys, *values]))
    if not wanted:
        raise VerifyError("请至少选择一项要核对的事实。")
    unknown = [key for key in wanted if key not in allowed]
    if unknown:
        raise VerifyError(
            f"不能核对：{'、'.join(unknown)}（可核对的事实：{'、'.join(rules()['agent_may_confirm'])}）。"
        )
    today = today or date.today()
    not_given = str(dialogue_rules()["not_given"])
    checked: dict[str, str] = {}
    for key in wanted:
        value = values.get(key) or state.slots.get(key) or ""
        if not value or value == not_given:
            raise VerifyError(f"「{label_of(engine, key)}」还没有值：请填写核对后的值再确认。")
        checked[key] = _checked_value(engine, key, value, today)
    entry = stamp(agent_id, AGENT, now)
    receipt_slot, days_slot = engine.roles["receipt_date"], engine.roles["days_since_receipt"]
    if receipt_slot in checked and checked[receipt_slot] != state.slots.get(receipt_slot):
        state.slots.pop(days_slot, None)  # recomputed from the checked date below
    for key, value in checked.items():
        state.slots[key] = value
        state.verified[key] = dict(entry)
    derive(state.slots, today, engine.roles)
    return [
        {"key": key, "label": label_of(engine, key), "value": value, "at": entry["at"]}
        for key, value in checked.items()
    ]


def basis(groups: Mapping[str, Sequence[str]], with_facts: bool = True) -> str:
    """The phrase a reply states its facts under: 经客服核对（订单号 …），并根据您提供的信息（问题 …）.

    ``groups`` maps ``system`` / ``agent`` / ``stated`` to the facts as told; only stated facts →
    exactly 根据您提供的信息（…）, as before any fact could be verified."""
    wording = rules()["basis" if with_facts else "lead"]
    pieces = [
        str(wording[how]).format(facts="，".join(groups[how])) if with_facts else str(wording[how])
        for how in (SYSTEM, AGENT, "stated")
        if groups.get(how)
    ]
    if not pieces:
        return str(wording["stated"]).format(facts="") if with_facts else str(wording["stated"])
    return str(wording["join"]).join(pieces)


def summary_mark(state: CaseState, slot: str) -> str:
    """After a verified fact in the case summary: （经客服核对）; nothing after a stated one."""
    how = how_of(state, slot)
    return "" if how is None else str(rules()["summary_mark"]).format(how=rules()["how"][how])


def record_mark(stamp_: Mapping[str, Any], at: str) -> str:
    """After a verified fact in the written record: who checked it and when (``at`` in local time)."""
    how = str(stamp_.get("how") or SYSTEM)
    return str(rules()["record_mark"]).format(how=rules()["how"].get(how, how), by=stamp_.get("by", ""), at=at)


def take_order(by: str, order: Order, state: CaseState, found: dict[str, str]) -> str:
    """An order the system answered with: its facts become verified (by ``by``, now); the note says so."""
    checked = {"order_no": order.order_no, "purchase_date": order.paid_on, "amount": f"{order.amount:g}"}
    if order.delivered_on:
        checked["receipt_date"] = order.delivered_on  # the delivery record wins over a remembered date
        state.slots.pop("days_since_receipt", None)
    found.update(checked)
    state.slots["product"] = order.product  # no catalogue slot: kept as a plain fact
    entry = stamp(by, SYSTEM)
    for key in (*checked, "product"):
        state.verified[key] = dict(entry)
    delivered = f"，签收日期 {order.delivered_on}" if order.delivered_on else "，尚未签收"
    facts = f"{order.product}，付款 {order.paid_on}{delivered}"
    return str(dialogue_rules()["order_verified"]).format(facts=facts)
