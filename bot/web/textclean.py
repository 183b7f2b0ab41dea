"""Invisible controls in what people type: direction overrides are dropped, Unicode line breaks become ``\\n``.

U+202E (RIGHT-TO-LEFT OVERRIDE) and its kin make a record or an agent's screen show text in another
order than it was typed (``退款\\u202e987654`` reads as a different number); U+2028/U+2029 break lines
in some viewers and not in others (and end a JavaScript string literal in older engines).
"""

from __future__ import annotations

BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"))
LINE_BREAKS = {0x2028: "\n", 0x2029: "\n"}
TABLE = {**BIDI_CONTROLS, **LINE_BREAKS}


def clean_invisible(text: str) -> str:
    return text.translate(TABLE)
