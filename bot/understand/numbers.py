"""Order numbers told apart from phone numbers (8613912345678 is a phone) and tracking numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.understand.data import pattern, table

_TOKEN = re.compile(r"(?<![A-Za-z0-9])(?P<v>[A-Za-z]{0,4}\d[A-Za-z0-9\-]{5,29})(?![A-Za-z0-9])")


@dataclass(frozen=True)
class Numbers:
    order_no: str | None = None
    tracking_no: str | None = None
    phone_like: bool = False
    order_unavailable: bool = False


def _kind(text: str, token: str, start: int) -> str:
    before = text[max(0, start - 8) : start]
    data = table("facts")
    if pattern("facts", "phone").fullmatch(token):
        return "phone"
    if any(word in before for word in data["tracking_context"]):
        return "tracking"
    if any(word in before for word in data["order_context"]):
        return "order"
    if pattern("facts", "tracking").fullmatch(token):
        return "tracking"
    return "unknown"


def find_numbers(text: str, expecting_order: bool = False) -> Numbers:
    order = tracking = None
    phone = False
    for match in _TOKEN.finditer(text):
        token, kind = match["v"], _kind(text, match["v"], match.start())
        if kind == "phone":
            phone = True
        elif kind == "tracking" and tracking is None:
            tracking = token
        elif order is None and (kind == "order" or (kind == "unknown" and expecting_order and len(token) >= 8)):
            order = token
    unavailable = order is None and any(word in text for word in table("facts")["order_no_unavailable"])
    return Numbers(order, tracking, phone, unavailable)


def is_device_alarm(text: str) -> bool:
    """一开机就报警: the device's alarm, not a call to the police."""
    return (
        "报警" in text
        and bool(pattern("escalation", "device_alarm").search(text))
        and not pattern("escalation", "police").search(text.replace("一开机就报警", ""))
    )
