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
    # the patterns' cores, no lookarounds: a gate narrower than a pattern silently skips it (1 3 8 ...)
    trigger = r"1[3-9]\d" + _SEP + r"\d{4}" + _SEP + r"\d{4}|1 [3-9] ?[-.]? ?\d|09\d{2}-\d{3}-\d{3}|886[ -]?9\d{2}"
    trigger_chars = "19"
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
        # Taiwan mobiles as written there (0912-345-678, +886 912 345 678): with their separators only,
        # a bare 09... run is as likely an order or a serial number.
        Pattern(
            "mobile_tw",
            r"(?<![0-9A-Za-z+])(?:09\d{2}-\d{3}-\d{3}|\+886[ -]?9\d{2}[ -]\d{3}[ -]\d{3})" + DIGIT_RIGHT,
            0.7,
        ),
    )

    def validate(self, value: str) -> bool | None:
        digits = _NON_DIGIT.sub("", _COUNTRY.sub("", value))
        if digits.startswith(("09", "8869")):
            return None if len(digits) in (10, 12) else False
        return None if len(digits) == 11 and digits[1] in "3456789" else False

    def canonical(self, value: str) -> str:
        return _NON_DIGIT.sub("", _COUNTRY.sub("", value))
