"""Landline numbers with an area code: 010-12345678, (0755)8888 6666, 021 6123 4567 转 801.

Beijing/Tianjin/Shanghai/... use 3-digit codes (010, 02x), the rest 4-digit codes (0xxx). A local
number starts 2-8. Without a separator the digits could be anything, so a bare run scores low and
needs a context word (电话, 座机). 400/800 service numbers are the company's, not personal.
"""

from __future__ import annotations

import re

from guardrails.pii.recognizer import DIGIT_RIGHT, Pattern, Recognizer

_NON_DIGIT = re.compile(r"\D")  # compiled once: re.sub(pattern, ...) looks it up in re's cache per call

_AREA = r"0(?:10|2\d|[3-9]\d{2})"
_AREA_ABROAD = r"(?:10|2\d|[3-9]\d{2})"  # the area code dialled from abroad drops its 0
_EXT = r"(?:(?: ?转 ?|-|ext\.? ?)\d{1,5})?"
_LEFT = r"(?<![0-9A-Za-z+])"


class LandlineRecognizer(Recognizer):
    type = "landline"
    name = "cn_landline"
    # what every pattern holds, no lookarounds
    trigger = _AREA + r"\)?[ -]?[2-8]\d{2,3}[ -]?\d{4}|86[ -]" + _AREA_ABROAD + r"[ -][2-8]"
    trigger_chars = "08"
    patterns = (
        Pattern("area_bracket", _LEFT + r"\(" + _AREA + r"\) ?[2-8]\d{2,3}[ -]?\d{4}" + _EXT + DIGIT_RIGHT, 0.7),
        Pattern("area_dash", _LEFT + _AREA + r"[ -][2-8]\d{2,3}[ -]?\d{4}" + _EXT + DIGIT_RIGHT, 0.6),
        # From abroad: +86 10 8888 6666, 86-21-64375500, 0086 755 8888 6666 (the country code is masked too).
        Pattern(
            "country_area",
            r"(?<![0-9A-Za-z])(?:\+|00)?86[ -](?:\(0\))?"
            + _AREA_ABROAD
            + r"[ -][2-8]\d{2,3}[ -]?\d{4}"
            + _EXT
            + DIGIT_RIGHT,
            0.7,
        ),
        Pattern("area_plain", _LEFT + _AREA + r"[2-8]\d{6,7}" + DIGIT_RIGHT, 0.3),
    )

    def canonical(self, value: str) -> str:
        return _NON_DIGIT.sub("", value)
