"""Text normalisation shared by the input rails and their configuration.

Attackers (and phones) write the same words many ways: full-width letters, capitals, spaces or
zero-width characters between the characters, traditional characters, punctuation sprinkled in.
Rules are written once against the normalised form; this module produces it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

# Zero-width and invisible formatting characters that render as nothing.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u206f\ufeff]")
_SPACES = re.compile(r"\s")


def normalise(text: str, char_map: Mapping[int, str] | None = None) -> str:
    """NFKC, lower case, variant characters mapped, whitespace and invisible characters removed."""
    text = unicodedata.normalize("NFKC", text).lower()
    if char_map:
        text = text.translate(char_map)
    text = _SPACES.sub("", _INVISIBLE.sub("", text))
    # Removing a space can join a letter to a combining mark (R + " ̧" -> ŗ): compose again.
    return unicodedata.normalize("NFKC", text).lower()


def compact(normalised: str) -> str:
    """The normalised text without punctuation or symbols (忽.略.以.上 -> 忽略以上)."""
    return "".join(ch for ch in normalised if unicodedata.category(ch)[0] not in "PS")


def views(text: str, char_map: Mapping[int, str] | None = None) -> tuple[str, ...]:
    """The forms every rule is matched against: normalised, and compact when it differs."""
    first = normalise(text, char_map)
    second = compact(first)
    return (first,) if second == first else (first, second)


# A latin letter next to a digit or @/$ (1gn0re, pr0mpt, @dmin): the only texts worth a leet view.
_LEET_HINT = re.compile(r"[a-z][0-9@$]|[0-9@$][a-z]")


def leet_view(normalised: str, leet_map: Mapping[int, str]) -> str | None:
    """The compact text with look-alike digits and symbols read as letters, or None when there are none.

    ``1gn0re prev1ous`` -> ``ignoreprevious``. Only texts that mix letters with digits or @/$ get
    one, so a price or an order number costs nothing.
    """
    if not leet_map or not _LEET_HINT.search(normalised):
        return None
    return compact(normalised.translate(leet_map))


def assert_bounded(pattern: str) -> None:
    """Reject unbounded repetition (``*``, ``+``, ``{n,}``) so no rule can backtrack without limit.

    Rules must say how far they look (``.{0,8}``), which also keeps matches local to one phrase.
    """
    in_class = escaped = False
    for index, ch in enumerate(pattern):
        if escaped:
            escaped = False
            continue
        if ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch in "*+":
            raise ValueError(f"unbounded repetition {ch!r} at offset {index}; use {{0,N}}")
        elif ch == "{" and re.match(r"\{\d*,\}", pattern[index:]):
            raise ValueError(f"unbounded repetition at offset {index}; give an upper bound")
