"""Normalise text before matching, keeping a map back to the original offsets.

Customers type full-width digits (１３８), ideographic spaces and compatibility forms; patterns are
written once for the half-width NFKC form. Every entity must still point into the text the customer
actually sent, so normalisation returns, for each normalised character, the original index it came
from.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import NamedTuple

import opencc


class Normalized(NamedTuple):
    """Normalised text plus ``origin[i]`` = index in the original of normalised character ``i``.

    A named tuple, not a frozen dataclass: one is built per message and per masked value, and a
    tuple is built several times faster.
    """

    text: str
    original: str
    origin: tuple[int, ...] | None  # None when every character maps to one character (identity map)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised ``[start, end)`` back to the original text."""
        if self.origin is None:
            return start, end
        if start >= len(self.origin):
            return len(self.original), len(self.original)
        original_start = self.origin[start]
        original_end = self.origin[end - 1] + 1 if end > start else original_start
        return original_start, original_end


class _FoldTable(dict[int, str]):
    """``str.translate`` table computing each character's NFKC form on first sight."""

    def __init__(self) -> None:
        super().__init__((ord(k), v) for k, v in _EXTRA_PAIRS.items())
        self.irregular: set[str] = set()  # characters whose form is not exactly one character

    def __missing__(self, codepoint: int) -> str:
        char = chr(codepoint)
        if unicodedata.category(char) == "Nd" and not char.isascii():
            # Arabic-Indic, Devanagari, mathematical ... digits: NFKC keeps most of them, a phone
            # typed in them would pass every ASCII pattern. One digit stays one character.
            self[codepoint] = str(unicodedata.digit(char))
            return self[codepoint]
        # An invisible format character (zero-width space, joiner, BOM, soft hyphen) typed inside a
        # number would otherwise split it and let it pass unmasked: it folds to nothing.
        folded = "" if unicodedata.category(char) == "Cf" else unicodedata.normalize("NFKC", char)
        if len(folded) == 1 and _HAN.match(folded):
            # Traditional characters as simplified (台北市信義區…7號, 陳, 電話): the grammar, the word
            # lists and the cues are written once, in simplified; OpenCC's table, one character for one.
            simplified = _t2s().convert(folded)
            folded = simplified if len(simplified) == 1 else folded
        if len(folded) != 1:
            self.irregular.add(char)
        self[codepoint] = folded
        return folded


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


_EXTRA_PAIRS = {"－": "-", "—": "-", "–": "-", "‐": "-", "‑": "-", "\u3000": " ", "\u00a0": " "}
_FOLD = _FoldTable()


# A run of seven or more Chinese digit characters (一三九一二三四五六七八, 幺三八…) is a number read
# out digit by digit; shorter runs are words (三五成群, 一二月) and names (张三), so they stay.
_CN_DIGITS = "〇零一二三四五六七八九幺"
_CN_RUN = re.compile(f"[{_CN_DIGITS}](?: ?[{_CN_DIGITS}]){{6,}}")  # 一三八 一二三四 五六七八 too
_CN_TABLE = str.maketrans(_CN_DIGITS, "0012345678" + "9" + "1")


def _cn_digits(text: str) -> str:
    """Chinese digit runs as ASCII digits, one character for one (offsets unchanged)."""
    if _CN_RUN.search(text) is None:
        return text
    return _CN_RUN.sub(lambda match: match.group().translate(_CN_TABLE), text)


# A letter O typed for a zero inside a long number (2101021977O8145491): four digits on one side, a
# digit on the other, so words (ZOO, 2Go) stay.
_LETTER_ZERO = re.compile(r"(?<=\d{4})[Oo](?=\d)|(?<=\d)[Oo](?=\d{4})")


def _letter_zeros(text: str) -> str:
    return _LETTER_ZERO.sub("0", text) if ("O" in text or "o" in text) else text


def fold(text: str) -> str:
    """Only the normalised text (``normalize(text).text``), for callers that need no offset map."""
    return _letter_zeros(text) if text.isascii() else _letter_zeros(_cn_digits(text.translate(_FOLD)))


def normalize(text: str) -> Normalized:
    """NFKC + full-width to half-width, character by character so offsets stay mappable."""
    if text.isascii():
        return Normalized(_letter_zeros(text), text, None)
    folded = _letter_zeros(_cn_digits(text.translate(_FOLD)))
    if not _FOLD.irregular or _FOLD.irregular.isdisjoint(text):
        return Normalized(folded, text, None)  # every character became exactly one: offsets unchanged
    pieces: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = _FOLD[ord(char)]
        pieces.append(piece)
        origin.extend([index] * len(piece))
    return Normalized(_letter_zeros(_cn_digits("".join(pieces))), text, tuple(origin))
