"""Normalise text before matching, keeping a map back to the original offsets.

Customers type full-width digits (１３８), ideographic spaces and compatibility forms; patterns are
written once for the half-width NFKC form. Every entity must still point into the text the customer
actually sent, so normalisation returns, for each normalised character, the original index it came
from.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Dashes and spaces that NFKC leaves alone but customers use as separators inside numbers.
_EXTRA = str.maketrans({"－": "-", "—": "-", "–": "-", "‐": "-", "‑": "-", "\u3000": " ", "\u00a0": " "})


@dataclass(frozen=True)
class Normalized:
    """Normalised text plus ``origin[i]`` = index in the original of normalised character ``i``."""

    text: str
    original: str
    origin: tuple[int, ...] | None  # None when the text did not change (identity map)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised ``[start, end)`` back to the original text."""
        if self.origin is None:
            return start, end
        if start >= len(self.origin):
            return len(self.original), len(self.original)
        original_start = self.origin[start]
        original_end = self.origin[end - 1] + 1 if end > start else original_start
        return original_start, original_end


def normalize(text: str) -> Normalized:
    """NFKC + full-width to half-width, character by character so offsets stay mappable."""
    translated = text.translate(_EXTRA)
    if translated == text and text.isascii():
        return Normalized(text, text, None)
    if unicodedata.is_normalized("NFKC", translated) and translated == text:
        return Normalized(text, text, None)
    pieces: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(translated):
        folded = unicodedata.normalize("NFKC", char) if not char.isascii() else char
        pieces.append(folded)
        origin.extend([index] * len(folded))
    return Normalized("".join(pieces), text, tuple(origin))
