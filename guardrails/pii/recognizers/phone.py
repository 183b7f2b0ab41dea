"""Mainland mobile numbers: 11 digits starting 13-19, optional +86/0086/86, spaces, dots or hyphens.

Full-width digits are handled by normalisation. A number glued to other letters or digits is not
a phone (it is part of an order number, a serial, a longer card number). The country code is part
of the match so that masking removes it as well.
"""

from __future__ import annotations

import re

from guardrails.pii.recognizer import DIGIT_RIGHT, Pattern, Recognizer

_NON_DIGIT = re.compile(r"\D")  # compiled once: re.sub(pattern, ...) looks it up in re's cache per call

_SEP = r"[ .-]?"  # 139 1234 5678, 139-1234-5678, 139.1234.5678
_COUNTRY = re.compile(r"^(?:\(?(?:\+|00)?86\)?[ .-]?(?:\(0\)[ .-]?)?)")


class PhoneRecognizer(Recognizer):
    type = "phone"
    name = "cn_mobile"
    trigger = r"1[3-9]\d" + _SEP + r"\d{4}" + _SEP + r"\d{4}"  # the pattern's core, no lookarounds
    trigger_chars = "1"
    patterns = (
        Pattern(
            "mobile",
            # 8613912345678: the country code typed without its plus is still part of the number.
            r"(?<![0-9A-Za-z+(])(?:(?:\+|00)86"
            + _SEP
            + r"|\(\+?86\)"
            + _SEP
            + r"|86[ .-]?(?=1[3-9])|(?:\+|00)86"
            + _SEP
            + r"\(0\)"
            + _SEP
            + r")?"
            r"1[3-9]\d" + _SEP + r"\d{4}" + _SEP + r"\d{4}" + DIGIT_RIGHT,
            0.7,
        ),
        # Every digit spaced out (1 3 8 1 2 3 4 5 6 7 8, 1 8 6 - 0 0 0 0 - 1 1 1 1).
        Pattern("mobile_spaced", r"(?<![0-9A-Za-z])1 [3-9](?: ?[-.]? ?\d){9}" + DIGIT_RIGHT, 0.7),
    )

    def validate(self, value: str) -> bool | None:
        digits = _NON_DIGIT.sub("", _COUNTRY.sub("", value))
        return None if len(digits) == 11 and digits[1] in "3456789" else False

    def canonical(self, value: str) -> str:
        return _NON_DIGIT.sub("", _COUNTRY.sub("", value))
