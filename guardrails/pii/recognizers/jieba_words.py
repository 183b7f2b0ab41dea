"""jieba, loaded once, and the words of a text with their dictionary frequency and part-of-speech tag.

The name recognisers (Chinese, in context, transliterated, model) read the same segmentation. Within
``held_words(text)`` (``detect`` opens it around all recognisers) it is computed once per text and
tagger and dropped when the block ends: a message is segmented once however many recognisers ask,
and no cache keeps a customer's words after the message is done.
"""

from __future__ import annotations

import gc
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any, NamedTuple

# jieba slows down more than linearly on long runs, so it sees one bounded clause at a time.
_CLAUSE = re.compile(r"[^，。！？；、,.!?;\n]{1,80}")


class TaggedWord(NamedTuple):
    """One jieba word at ``start`` in the text; ``frequency`` 0 means a word jieba's HMM made up."""

    start: int
    word: str
    tag: str | None
    frequency: int


@cache
def jieba_modules() -> tuple[Any, Any]:
    """(jieba, jieba.posseg) with the dictionaries loaded."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.posseg.dt.initialize()
    # jieba's dictionaries (~700k objects) live as long as the process and never change; moving
    # them out of the cyclic collector's sight stops every full collection rescanning them,
    # which otherwise shows up as millisecond stalls in the middle of masking a message.
    gc.freeze()
    return jieba, jieba.posseg


def frequency(word: str) -> int:
    """How often jieba's dictionary has seen ``word`` (0: unknown, or only a prefix of longer words)."""
    jieba, _ = jieba_modules()
    return int(jieba.dt.FREQ.get(word) or 0)


def dictionary_tag(word: str) -> str | None:
    """The part-of-speech tag jieba's dictionary gives ``word`` (None if it has none)."""
    _, posseg = jieba_modules()
    tag = posseg.dt.word_tag_tab.get(word)
    return str(tag) if tag else None


_held = threading.local()  # the text this thread is analysing now, and its segmentations by tagger


def tagged_words(text: str, tagger: str = "fast") -> tuple[TaggedWord, ...]:
    """Every jieba word of ``text`` with its offset, tag and frequency (see ``_tag``)."""
    held = getattr(_held, "value", None)
    if held is None or held[0] is not text:
        return _tag(text, tagger)
    segmentations: dict[str, tuple[TaggedWord, ...]] = held[1]
    if tagger not in segmentations:
        segmentations[tagger] = _tag(text, tagger)
    return segmentations[tagger]


@contextmanager
def held_words(text: str) -> Iterator[None]:
    """Within the block ``text`` is segmented at most once per tagger, however many recognisers ask
    (one asks once per cue word: quadratic on a long text full of cues); nothing is kept after it."""
    previous = getattr(_held, "value", None)
    if previous is not None and previous[0] is text:
        yield  # an outer block holds this text already
        return
    _held.value = (text, {})
    try:
        yield
    finally:
        _held.value = previous


def _tag(text: str, tagger: str) -> tuple[TaggedWord, ...]:
    """Every jieba word of ``text`` with its offset, tag and frequency.

    ``fast`` (default): segment with the HMM and take the tag from the dictionary (None for a new
    word). ``posseg``: jieba's full part-of-speech tagger; about 4x slower, a few points more F1
    on news text (bench/pii.py prints both).
    """
    jieba, posseg = jieba_modules()
    frequencies, tags = jieba.dt.FREQ, posseg.dt.word_tag_tab
    found: list[TaggedWord] = []
    for clause in _CLAUSE.finditer(text):
        position = clause.start()
        if tagger == "posseg":
            pairs = [(word, flag) for word, flag in posseg.cut(clause.group())]
        else:
            pairs = [(word, None) for word in jieba.cut(clause.group(), HMM=True)]
        for word, flag in pairs:
            seen = int(frequencies.get(word) or 0)
            tag = flag if tagger == "posseg" else (tags.get(word) if seen else None)
            found.append(TaggedWord(position, word, tag, seen))
            position += len(word)
    return tuple(found)
