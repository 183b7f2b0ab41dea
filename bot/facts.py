"""Facts of a case with where they came from, and the rules that keep a conversation moving.

A fact is ``stated`` (the customer said it, in turn N) or ``verified`` (checked, by whom and when).
A fact once given is never asked again; a fact is asked at most ``max_asks`` times, then the bot
goes on without it and says how (bot/config/dialogue.yaml). A customer who says the order number
cannot be found, or bought in a store, is believed at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field

from bot.understand import Understanding, classify_reply, understand
from bot.understand.data import table
from knowledge.datafile import DataModel, Regex, load_checked

CONFIG = Path(__file__).resolve().parent / "config"
_POSITION_CHARS = 40


class Wording(DataModel):
    """How replies and the written record state the case (dialogue.yaml ``wording``)."""

    agreed: str
    date: str
    not_provided: str
    fact: str
    chosen_remedy: str
    customer_position: str
    counter_offer: str
    seller_named: str
    seller_unknown: str


class DialogueFile(DataModel):
    """bot/config/dialogue.yaml: how the bot asks, re-asks, and answers around the procedure."""

    max_asks: int
    waivable: list[str]
    not_given: str
    cannot_give: Regex
    reask: dict[str, str]
    receipt_from_purchase: str
    way_round: dict[str, str]
    refused_once: str
    counter: str
    refused_again: str
    objection: str
    out_of_scope: str
    order_verified: str
    order_not_found: str
    order_no_again: str
    no_repeat: list[str]
    no_repeat_counted: str
    wording: Wording


class CompanyAnswer(DataModel):
    id: str
    pattern: Regex
    answer: str


class OutOfScope(DataModel):
    pattern: Regex
    where: str


class CompanyFile(DataModel):
    """bot/config/company.yaml: what the company sells, where, and its answers to side questions."""

    name: str
    sells: list[str]
    channels: dict[str, list[str]]
    services: list[str]
    answers: list[CompanyAnswer] = Field(default_factory=list)
    out_of_scope: list[OutOfScope] = Field(default_factory=list)


DIALOGUE_FILE = CONFIG / "dialogue.yaml"
COMPANY_FILE = CONFIG / "company.yaml"


@lru_cache(maxsize=1)
def dialogue_rules() -> dict[str, Any]:
    return dict(load_checked(DIALOGUE_FILE, DialogueFile))


@lru_cache(maxsize=1)
def company() -> dict[str, Any]:
    return dict(load_checked(COMPANY_FILE, CompanyFile))


@dataclass(frozen=True)
class Fact:
    key: str
    value: str
    turn: int
    status: str = "stated"  # or "verified"
    by: str | None = None
    at: str | None = None


def side_answers(text: str, slots: dict[str, str] | None = None) -> list[str]:
    """Answers from the company profile to the side questions the message asks (with the case's amount
    worked in where the answer has a ``{triple}`` place)."""
    triple = ""
    try:
        amount = float((slots or {}).get("amount", ""))
        triple = f"（按您说的价款 {amount:g} 元计，增加赔偿为 {max(amount * 3, 500):g} 元，以核实结果为准）"
    except ValueError:
        pass
    return [
        str(item["answer"]).replace("{triple}", triple)
        for item in company().get("answers", ())
        if re.search(item["pattern"], text)
    ]


def without_side_questions(text: str) -> str:
    """The message less its side questions: 退款多久到账？ asks about a refund, it does not demand one."""
    for item in company().get("answers", ()):
        text = re.sub(item["pattern"], "，", text)
    return text


def out_of_scope(text: str) -> str | None:
    """Where to turn, when the message is about a business this company does not run."""
    for item in company().get("out_of_scope", ()):
        if re.search(item["pattern"], text):
            rule = str(dialogue_rules()["out_of_scope"])
            return rule.format(company=company().get("name", "本店"), where=item["where"])
    return None


def position(text: str) -> str:
    """The customer's own words, short, for the record (the text is already masked)."""
    words = " ".join(text.split())[:_POSITION_CHARS]
    return f"（您的原话：“{words}”）" if words else ""


def read_message(text: str, today: date, expecting: tuple[str, ...]) -> Understanding:
    return understand(text, today, expecting)


__all__ = [
    "Fact",
    "classify_reply",
    "company",
    "dialogue_rules",
    "out_of_scope",
    "position",
    "read_message",
    "side_answers",
]


_DATE_SLOTS = ("purchase_date", "receipt_date")


def _is_phone_or_tracking(value: str, understood: Understanding) -> bool:
    from bot.understand.data import pattern

    return bool(pattern("facts", "phone").fullmatch(value)) or value == understood.numbers.tracking_no


def overlay(found: dict[str, str], understood: Understanding, expecting: tuple[str, ...]) -> None:
    """Correct and complete the catalogue's keyword slots with what the understanding layer read."""
    stated = understood.slots(expecting)
    for key in _DATE_SLOTS:
        if key in stated:
            found[key] = stated[key]
    remedies = understood.remedies
    if remedies.wanted:
        found["remedy_wanted"] = remedies.wanted
    elif found.get("remedy_wanted") in remedies.refused or remedies.refused:
        found.pop("remedy_wanted", None)
    for key in ("defect", "evidence"):
        if key in stated:
            found[key] = stated[key]
    if understood.evidence_denied and "evidence" not in stated:
        found.pop("evidence", None)  # 没拍照: the catalogue's 拍照 is not a photo
    if found.get("order_no") and _is_phone_or_tracking(found["order_no"], understood):
        found.pop("order_no")
    if "order_no" in stated:
        found["order_no"] = stated["order_no"]
    if "amount" not in found and "amount" in stated:
        found["amount"] = stated["amount"]


def read_agreement(found: dict[str, str], text: str, offered: tuple[str, ...]) -> tuple[str | None, str | None]:
    """At 协商解决: a refusal or counter-offer is never consent (道歉有什么用？医药费你们得出)."""
    verdict, remedy = classify_reply(text, offered)
    choice = found.get("remedy_choice")
    said_no = any(word in text for word in table("replies")["refuse"])
    if verdict == "counter" and not said_no and choice in offered and choice == _catalogue_name(remedy, offered):
        verdict = "accept"  # 同意退余额: the offer's own remedy in the customer's words
    if verdict in ("refuse", "counter"):
        found["agreement"] = "不同意"
        found.pop("remedy_choice", None)
    elif verdict == "accept":
        found.setdefault("agreement", "同意")
        if found.get("agreement") == "不同意":
            found["agreement"] = "同意"
    return verdict, remedy


def _catalogue_name(remedy: str | None, offered: tuple[str, ...]) -> str | None:
    """The offered remedy a lexicon remedy stands for (退款 → 退还预付款余额 at a prepaid-card case)."""
    if remedy in offered:
        return remedy
    return next((o for o in offered if remedy and (remedy in o or o.startswith(remedy[:1] + "还"))), None)


def waive(
    found: dict[str, str],
    slots: dict[str, str],
    expecting: tuple[str, ...],
    asked: dict[str, int],
    understood: Understanding,
    text: str = "",
) -> list[str]:
    """Go on without a fact the customer says they cannot give (找不到订单号, 门店买的, 记不清了)."""
    rules = dialogue_rules()
    notes: list[str] = []
    for slot in expecting:
        if slot in found or slot in slots:
            continue
        bought = found.get("purchase_date") or slots.get("purchase_date")
        if slot == "receipt_date" and bought and bought != rules["not_given"]:
            found[slot] = bought  # counted from the purchase, and said so; a later receipt date replaces it
            notes.append(str(rules["receipt_from_purchase"]))
            continue
        unavailable = (
            (slot == "order_no" and understood.numbers.order_unavailable)
            or (slot == "evidence" and understood.evidence_denied)
        ) or (asked.get(slot, 0) > 0 and bool(re.search(rules["cannot_give"], text)))
        if not unavailable:
            continue  # asked again, but never a third identical question (bot.stages._asks words it anew)
        if slot not in rules["waivable"]:
            continue  # never assumed: the case cannot go on without the customer's own answer
        else:
            found[slot] = str(rules["not_given"])
        way = rules["way_round"].get(slot) or rules["way_round"]["default"]
        notes.append(str(way))
    return notes


_CANONICAL_REMEDY = {"修理": "维修", "退还预付款余额": "退款", "三倍赔偿": "赔偿", "双倍返还定金": "赔偿"}
_PUBLIC = (
    "order_no",
    "purchase_date",
    "receipt_date",
    "amount",
    "product",
    "remedy_wanted",
    "defect",
    "evidence",
    "tracking_no",
    "days_since_receipt",
    "agreement",
    "remedy_choice",
    "counter_offer",
    "customer_position",
)


def public_slots(slots: dict[str, str]) -> dict[str, object]:
    """The facts in the contract's shape: ISO dates, the amount in yuan as a number, canonical remedies;
    a fact the customer could not give is left out."""
    not_given = str(dialogue_rules()["not_given"])
    out: dict[str, object] = {}
    for key in _PUBLIC:
        value = slots.get(key)
        if not value or value == not_given:
            continue
        if key == "amount":
            try:
                out[key] = float(value) if "." in value else int(value)
            except ValueError:
                continue
        elif key == "remedy_wanted":
            out[key] = _CANONICAL_REMEDY.get(value, value)
        else:
            out[key] = value
    return out


def ask_text(slot: str, times_asked: int, default: str) -> str:
    """The question for a slot: its own wording twice, then a way round, never a third identical one."""
    rules = dialogue_rules()
    if times_asked < int(rules["max_asks"]):
        return default
    return str(rules["reask"].get(slot) or rules["reask"]["default"])
