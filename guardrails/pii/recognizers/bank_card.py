"""Bank card numbers: 16-19 digits, plain or grouped by four, Luhn-valid, known issuer prefix.

The issuer prefix (UnionPay 62, Visa 4, Mastercard 51-55/22-27, JCB 35, the older domestic 60 and
9 ranges) keeps most random order numbers out even when they pass Luhn by chance (one in ten do).
"""

from __future__ import annotations

import re

from guardrails.pii.recognizer import DIGIT_LEFT, DIGIT_RIGHT, Pattern, Recognizer

_NON_DIGIT = re.compile(r"\D")  # compiled once: re.sub(pattern, ...) looks it up in re's cache per call

_ISSUER = re.compile(r"^(?:62|60|4|5[1-5]|2[2-7]|35|9)")


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check used by every card scheme."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


class BankCardRecognizer(Recognizer):
    type = "bank_card"
    name = "bank_card_luhn"
    trigger = r"\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}"  # 16 digits at least, plain or grouped
    patterns = (
        Pattern("card_plain", DIGIT_LEFT + r"\d{16,19}" + DIGIT_RIGHT, 0.3),
        Pattern("card_grouped", DIGIT_LEFT + r"\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?" + DIGIT_RIGHT, 0.4),
    )

    def validate(self, value: str) -> bool | None:
        digits = self.canonical(value)
        if not 16 <= len(digits) <= 19 or not _ISSUER.match(digits) or len(set(digits)) == 1:
            return False
        return luhn_valid(digits)

    def shaped_after_cue(self, value: str) -> bool:
        # After 银行卡/卡号 a number that fails Luhn is a mistyped card, not an order number.
        digits = self.canonical(value)
        return 16 <= len(digits) <= 19 and len(set(digits)) > 3

    def canonical(self, value: str) -> str:
        return _NON_DIGIT.sub("", value)
