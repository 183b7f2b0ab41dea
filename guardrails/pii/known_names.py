"""Mask the names a conversation already holds wherever they appear again, cue or no cue.

A Chinese name is found by its cue (我叫…, 收件人…). Once the customer has given it, an agent's
"欧阳娜娜您好" or a drafter's echo carries no cue, yet it is the same personal data and must not be
written down in clear. The placeholder book knows each masked value only by its keyed digest, so
every short run of the text is digested and looked up; a hit becomes the placeholder the
conversation already uses for that person.
"""

from __future__ import annotations

import re

from guardrails.pii.placeholder_book import PlaceholderBook

_RUN = re.compile(r"[\u4e00-\u9fff·•]{2,}")
_LONGEST = 8  # a transliterated foreign name with its dot (约翰·史密斯) is rarely longer


def mask_known_names(text: str, book: PlaceholderBook) -> str:
    """``text`` with every name this conversation's book has seen replaced by its placeholder."""
    if not len(book) or not text:
        return text
    pieces: list[str] = []
    last = 0
    for run in _RUN.finditer(text):
        index = run.start()
        while index < run.end() - 1:
            hit = _longest_known(text[index : min(run.end(), index + _LONGEST)], book)
            if hit is None:
                index += 1
                continue
            placeholder, length = hit
            pieces += [text[last:index], placeholder]
            index = last = index + length
    return "".join([*pieces, text[last:]])


def _longest_known(window: str, book: PlaceholderBook) -> tuple[str, int] | None:
    for length in range(len(window), 1, -1):
        placeholder = book.known("name", window[:length])
        if placeholder is not None:
            return placeholder, length
    return None
