"""Understanding a customer's message: the facts a case needs, from colloquial Chinese.

One module per kind of fact (time, amounts, remedies, defect, numbers, replies to an offer), each
driven by the word lists in ``bot/understand/data``. ``understand`` runs them all over one masked
message and returns what it found; the engine decides which of it to keep (bot/facts.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.understand.amounts import find_amount, yuan
from bot.understand.defect import Defect, evidence_denied, find_defect, find_evidence
from bot.understand.numbers import Numbers, find_numbers, is_device_alarm
from bot.understand.product import find_product
from bot.understand.remedy import Remedies, find_remedies
from bot.understand.reply import classify_reply
from bot.understand.timeexpr import DateMention, find_dates

__all__ = ["Understanding", "classify_reply", "find_amount", "find_dates", "find_remedies", "understand"]


@dataclass(frozen=True)
class Understanding:
    dates: tuple[DateMention, ...] = ()
    amount: float | None = None
    remedies: Remedies = field(default_factory=Remedies)
    defect: Defect | None = None
    evidence: str | None = None
    numbers: Numbers = field(default_factory=Numbers)
    device_alarm: bool = False
    evidence_denied: bool = False  # 没拍照: there is none (not a photo)
    product: str | None = None  # as the customer named it; not a catalogue slot (bot/conversation.py keeps it)

    def slots(self, expecting: tuple[str, ...] = ()) -> dict[str, str]:
        """Slot values (engine names) this message states."""
        found: dict[str, str] = {}
        for mention in self.dates:
            role = mention.role or next((s for s in expecting if s in ("receipt_date", "purchase_date")), None)
            if role and role not in found:
                found[role] = mention.value.isoformat()
        if self.amount is not None:
            found["amount"] = yuan(self.amount)
        if self.remedies.wanted:
            found["remedy_wanted"] = self.remedies.wanted
        if self.defect and not self.defect.guess:
            found["defect"] = self.defect.words
        if self.evidence:
            found["evidence"] = self.evidence
        if self.numbers.order_no:
            found["order_no"] = self.numbers.order_no
        if self.numbers.tracking_no:
            found["tracking_no"] = self.numbers.tracking_no
        return found


def understand(text: str, today: date, expecting: tuple[str, ...] = ()) -> Understanding:
    return Understanding(
        dates=tuple(find_dates(text, today)),
        amount=find_amount(text, expecting="amount" in expecting),
        remedies=find_remedies(text),
        defect=find_defect(text),
        evidence=find_evidence(text),
        numbers=find_numbers(text, expecting_order="order_no" in expecting),
        device_alarm=is_device_alarm(text),
        evidence_denied=evidence_denied(text) and find_evidence(text) is None,
        product=find_product(text),
    )
