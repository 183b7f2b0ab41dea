"""Which language a customer wrote in, when it is not Chinese: a note says service is in Chinese.

Deliberately simple (issue 15): the script of the letters decides. Any Han character counts as
Chinese (a Chinese customer pasting an English product name is still Chinese); kana is Japanese,
Hangul Korean, Cyrillic Russian, and other letters (Latin first of all) get the English note.
"""

from __future__ import annotations

import unicodedata

MIN_LETTERS = 3  # "ok", "A1" and order numbers are no language


def _script(ch: str) -> str | None:
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    if name.startswith("CJK UNIFIED") or name.startswith("CJK COMPATIBILITY IDEOGRAPH"):
        return "zh"
    if name.startswith(("HIRAGANA", "KATAKANA")):
        return "ja"
    if name.startswith("HANGUL"):
        return "ko"
    if name.startswith("CYRILLIC"):
        return "ru"
    return "en"


def foreign_language(text: str) -> str | None:
    """``en`` / ``ja`` / ``ko`` / ``ru`` for a message without Chinese; None for Chinese (or too little to say)."""
    scripts = [script for script in map(_script, text) if script is not None]
    if ("zh" in scripts and "ja" not in scripts) or len(scripts) < MIN_LETTERS:
        return None
    for language in ("ja", "ko", "ru"):
        if language in scripts:
            return language
    return "en"
