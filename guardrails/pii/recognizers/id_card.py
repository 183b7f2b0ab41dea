"""Resident identity numbers (GB 11643-1999): 18 characters with an ISO 7064 MOD 11-2 check
character, or the old 15-digit form (no check character, two-digit year).

The validator checks the province code, that the birth date exists and is not in the future, and
the check character. An 18-digit number that fails any of these is an order number or a serial,
not an ID, and is dropped (Presidio's Korean RRN recogniser does the same).
"""

from __future__ import annotations

import datetime as dt
import re

from guardrails.pii.recognizer import DIGIT_LEFT, DIGIT_RIGHT, Candidate, Pattern, Recognizer

_SPACE = re.compile(r"\s")  # compiled once: re.sub(pattern, ...) looks it up in re's cache per call

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54}
    | {61, 62, 63, 64, 65, 71, 81, 82, 83}
)


def check_character(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return False
    return dt.date(1880, 1, 1) <= born <= dt.date.today()


class IdCardRecognizer(Recognizer):
    type = "id_card"
    name = "cn_resident_id"
    trigger = r"\d{6} ?\d{6,8} ?\d{3}"  # every pattern's core, no lookarounds
    trigger_chars = "0123456789"
    patterns = (
        Pattern("id18", DIGIT_LEFT + r"[1-9]\d{5} ?(?:18|19|20)\d{2}[01]\d[0-3]\d ?\d{3}[0-9Xx]" + DIGIT_RIGHT, 0.4),
        Pattern("id15", DIGIT_LEFT + r"[1-9]\d{5}\d{2}[01]\d[0-3]\d\d{3}" + DIGIT_RIGHT, 0.3),
        # Any 18 characters: only ever kept right after 身份证 (a mistyped number, see shaped_after_cue).
        Pattern("id18_typo", DIGIT_LEFT + r"\d{6} ?\d{8} ?\d{3}[0-9Xx]" + DIGIT_RIGHT, 0.4),
    )

    def find(self, text: str) -> list[Candidate]:
        # id18 and id18_typo report the same span for a well-formed number: keep the better one.
        best: dict[tuple[int, int], Candidate] = {}
        for candidate in super().find(text):
            kept = best.get((candidate.start, candidate.end))
            if kept is None or (candidate.validated, candidate.score) > (kept.validated, kept.score):
                best[(candidate.start, candidate.end)] = candidate
        return list(best.values())

    def shaped_after_cue(self, value: str) -> bool:
        digits = self.canonical(value)
        return len(digits) in (15, 18) and digits[:17].isdigit() and len(set(digits)) > 3

    def validate(self, value: str) -> bool | None:
        digits = self.canonical(value)
        if int(digits[:2]) not in PROVINCES:
            return False
        if len(digits) == 15:
            # No check character: a real date is all that can be verified; let context decide.
            return None if _valid_date(1900 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12])) else False
        if not _valid_date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14])):
            return False
        return check_character(digits[:17]) == digits[17]

    def canonical(self, value: str) -> str:
        return _SPACE.sub("", value).upper()
