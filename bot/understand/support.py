"""The deterministic check on facts an LLM proposes: a fact stays only where the customer's own words
support it. The LLM may read a sentence better than the word lists; it may never add what was not said.

- order_no: the string appears in the message as written, has an order number's shape and is neither a
  phone number, a tracking number nor inside a masking placeholder;
- amount: the number is one the numerals parser reads from a numeral in the message (三百八, 1.2k, 380);
- purchase_date / receipt_date: the date is one the time parser finds in the message, or is written
  in it (11月20日, 11-20, 2026-11-20);
- remedy_wanted: the remedy, or one of its words in remedies.yaml, is in the message and not refused;
- product / defect: the words are in the message (a defect may differ in a character or two);
- offer_reply: kept only where the deterministic reading of the reply agrees; an LLM never makes consent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher

from bot.understand.amounts import find_amount, yuan
from bot.understand.data import pattern
from bot.understand.numbers import find_numbers
from bot.understand.numerals import CN_DIGITS, to_number
from bot.understand.remedy import find_remedies
from bot.understand.reply import classify_reply
from bot.understand.timeexpr import find_dates

_ORDER_SHAPE = re.compile(r"[A-Za-z]{0,4}\d[A-Za-z0-9\-]{5,29}")
_PLACEHOLDER = re.compile(r"\[[^\[\]]{1,12}\]")
_NUMERAL = re.compile(rf"\d{{1,7}}(?:\.\d{{1,2}})?\s*[kKwW千万]?|[{CN_DIGITS}]{{1,8}}")
_TEXT_MAX = 40  # a product or defect longer than this is a paraphrase, not the customer's words
_CLOSE = 0.8  # share of a defect's characters found, in order, in the message


@dataclass(frozen=True)
class Checked:
    """What survived the check (slot values as the engine writes them) and why the rest was dropped."""

    kept: dict[str, str] = field(default_factory=dict)
    dropped: dict[str, str] = field(default_factory=dict)  # fact → reason (never the proposed value)


def check(proposed: Mapping[str, object], text: str, today: date, offered: tuple[str, ...] = ()) -> Checked:
    kept: dict[str, str] = {}
    dropped: dict[str, str] = {}
    plain = _PLACEHOLDER.sub("□", text)  # a placeholder's letters are not the customer's words
    for key, value in proposed.items():
        if value is None or value == "":
            continue
        checker = _CHECKS.get(key)
        if checker is None:
            dropped[key] = "unknown_fact"
            continue
        verdict = checker(value, plain, today, offered)
        if isinstance(verdict, _Kept):
            kept[key] = verdict.value
        else:
            dropped[key] = verdict
    return Checked(kept, dropped)


@dataclass(frozen=True)
class _Kept:
    value: str


def _order_no(value: object, text: str, today: date, offered: tuple[str, ...]) -> _Kept | str:
    token = str(value).strip()
    if not _ORDER_SHAPE.fullmatch(token):
        return "not_an_order_number"
    found = re.search(rf"(?<![A-Za-z0-9]){re.escape(token)}(?![A-Za-z0-9])", text, re.IGNORECASE)
    if found is None:
        return "not_in_text"
    if pattern("facts", "phone").fullmatch(token) or pattern("facts", "tracking").fullmatch(token):
        return "phone_or_tracking_number"
    if find_numbers(text).tracking_no == found.group(0):
        return "phone_or_tracking_number"
    return _Kept(found.group(0))


def _amount(value: object, text: str, today: date, offered: tuple[str, ...]) -> _Kept | str:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 10_000_000:
        return "not_an_amount"
    said = {to_number(match.group(0)) for match in _NUMERAL.finditer(text)}
    said.add(find_amount(text, expecting=True))
    if not any(number is not None and abs(number - float(value)) < 0.005 for number in said):
        return "not_in_text"
    return _Kept(yuan(float(value)))


def _date(value: object, text: str, today: date, offered: tuple[str, ...]) -> _Kept | str:
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        return "not_a_date"
    if day > today:
        return "in_the_future"
    if day in {mention.value for mention in find_dates(text, today)} or _written(day, text):
        return _Kept(day.isoformat())
    return "not_in_text"


def _written(day: date, text: str) -> bool:
    """The date spelled out in the message: 2026-11-20, 11月20日, 11/20, 11.20, 11-20."""
    month_day = rf"(?<!\d)0?{day.month}\s*(?:月|[./\-])\s*0?{day.day}(?!\d)"
    return str(day) in text or re.search(month_day, text) is not None


def _remedy(value: object, text: str, today: date, offered: tuple[str, ...]) -> _Kept | str:
    remedies = find_remedies(text)
    remedy = str(value)
    if remedy in remedies.refused:
        return "refused_in_text"
    if remedy not in remedies.mentioned:
        return "not_in_text"
    return _Kept(remedy)


def _words(value: object, text: str, today: date, offered: tuple[str, ...], close: bool = False) -> _Kept | str:
    words = " ".join(str(value).split())
    if not words or len(words) > _TEXT_MAX or "□" in words:
        return "not_customer_words"
    squeezed = re.sub(r"\s+", "", text)
    if re.sub(r"\s+", "", words) in squeezed:
        return _Kept(words)
    if close:
        blocks = [b for b in SequenceMatcher(None, words, squeezed, autojunk=False).get_matching_blocks() if b.size]
        spread = blocks[-1].b + blocks[-1].size - blocks[0].b if blocks else 0
        if sum(b.size for b in blocks) >= _CLOSE * len(words) and spread <= 2 * len(words):
            return _Kept(words)
    return "not_in_text"


def _defect(value: object, text: str, today: date, offered: tuple[str, ...]) -> _Kept | str:
    return _words(value, text, today, offered, close=True)


def _offer_reply(value: object, text: str, today: date, offered: tuple[str, ...]) -> _Kept | str:
    verdict, _remedy_named = classify_reply(text, offered)
    return _Kept(str(value)) if verdict == value else "deterministic_reading_differs"


_CHECKS = {
    "order_no": _order_no,
    "amount": _amount,
    "purchase_date": _date,
    "receipt_date": _date,
    "remedy_wanted": _remedy,
    "product": _words,
    "defect": _defect,
    "offer_reply": _offer_reply,
}
