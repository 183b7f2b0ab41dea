"""Sentence-level editing of a draft: output rails repair a reply by removing or rewriting sentences.

A sentence is a run of text up to and including its closing punctuation (。！？；!?; or a newline),
so removing one never leaves half a sentence behind, and edits are applied by offsets from the end
so earlier offsets stay valid.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_SENTENCE = re.compile(r"[^。！？；!?;\n]{1,4000}[。！？；!?;\n]{0,3}|[。！？；!?;\n]{1,3}")
_CLOSING = "。！？；!?;.…」』）)\n"


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    replacement: str


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence, covering the whole text in order."""
    return [match.span() for match in _SENTENCE.finditer(text)]


def sentence_at(spans: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    """The sentence span containing ``offset`` (the last one for an offset at the end)."""
    for start, end in spans:
        if start <= offset < end:
            return start, end
    return spans[-1] if spans else (0, 0)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits; an edit inside a larger one (a removed sentence) is dropped."""
    kept: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (e.start, -(e.end - e.start))):
        if kept and edit.start < kept[-1].end:
            continue
        kept.append(edit)
    for edit in reversed(kept):
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    return tidy(text)


def tidy(text: str) -> str:
    """Collapse punctuation and blank lines that removals leave behind."""
    text = re.sub(r"[ \t]{2,10}", " ", text)
    text = re.sub(r"\n{3,10}", "\n\n", text)
    text = re.sub(r"^[，,；;。]{1,5}", "", text.strip())
    return text.strip()


def append_sentence(text: str, sentence: str) -> str:
    """``text`` followed by ``sentence``, with closing punctuation in between when needed."""
    text = text.rstrip()
    if not text:
        return sentence
    if text[-1] not in _CLOSING:
        text += "。"
    return text + sentence
