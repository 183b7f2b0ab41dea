"""jieba, loaded once, and the words of a text with their dictionary frequency and part-of-speech tag.

Both name recognisers (Chinese and transliterated) read the same segmentation, so it is computed once
per text and kept in a small cache: a message is segmented once however many recognisers ask.
"""

from __future__ import annotations

import gc
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache, lru_cache
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


CACHED_CHARS = 4000  # longer texts are segmented afresh: a cache of huge inputs would hold a lot of memory


_held = threading.local()  # the segmentation of the long text this thread is analysing now


def tagged_words(text: str, tagger: str = "fast") -> tuple[TaggedWord, ...]:
    """Every jieba word of ``text`` with its offset, tag and frequency (see ``_tag``)."""
    if len(text) <= CACHED_CHARS:
        return _tag_cached(text, tagger)
    held = getattr(_held, "value", None)
    if held is not None and held[0] is text and held[1] == tagger:
        return held[2]
    return _tag(text, tagger)


@contextmanager
def held_words(text: str, tagger: str) -> Iterator[None]:
    """Within the block a text too long for the cache is segmented once, not once per lookup (a
    recogniser asks once per cue word: quadratic on a long text full of cues); nothing is kept
    after the block."""
    if len(text) <= CACHED_CHARS:
        yield
        return
    previous = getattr(_held, "value", None)
    _held.value = (text, tagger, _tag(text, tagger))
    try:
        yield
    finally:
        _held.value = previous


@lru_cache(maxsize=16)
def _tag_cached(text: str, tagger: str) -> tuple[TaggedWord, ...]:
    return _tag(text, tagger)


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
