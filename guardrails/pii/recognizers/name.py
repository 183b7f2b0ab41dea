"""Chinese person names: surname list (compound surnames first), cue words, titles, jieba's ``nr``.

Three sources, strongest first: a cue before the name (我叫张三, 收件人：李四), a title after it
(王先生, 王秀英女士), and jieba's part-of-speech tag ``nr`` on a word that starts with a known
surname. Surnames that are also everyday words (高, 和, 平) only count with a cue. Famous
historical figures and brand names (李白, 李宁) are in the lexicon's deny list and survive.
"""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import Iterator
from functools import cached_property
from typing import Any

from guardrails.pii.lexicon import chars, lexicon, words
from guardrails.pii.recognizer import Candidate, Recognizer

_CJK = re.compile(r"[\u4e00-\u9fff]")
_NAME_TAGS = frozenset({"nr"})
_CLAUSE = re.compile(r"[^，。！？；、,.!?;\n]{1,80}")


class NameRecognizer(Recognizer):
    type = "name"
    name = "cn_person_name"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.compound = words("names", "compound_surnames")
        self.surnames = chars("names", "surnames")
        self.ambiguous = chars("names", "ambiguous_surnames")
        self.stop = chars("names", "not_in_name")
        self.deny_list = self.deny_list | frozenset(words("names", "deny"))
        self.titles = words("names", "titles_after")
        self.tagger = str(lexicon()["names"].get("tagger", "fast"))
        self.everyday_compounds = frozenset(words("names", "everyday_compound_surnames"))
        strong, weak = words("names", "cues_before"), words("names", "cues_before_weak")
        self._cue = re.compile(
            "(?:(?P<strong>"
            + "|".join(strong)
            + ")|(?P<weak>"
            + "|".join(weak)
            + "))[:：是为 ]{0,2}(?=[\u4e00-\u9fff])"
        )
        self._title = re.compile("(?<=[\u4e00-\u9fff])(?:" + "|".join(self.titles) + ")")

    def surname_length(self, text: str, start: int, *, strict: bool) -> int:
        """Length of the surname starting at ``start`` (0 if none); strict refuses everyday-word surnames."""
        for compound in self.compound:
            if text.startswith(compound, start):
                return 0 if strict and compound in self.everyday_compounds else len(compound)
        char = text[start : start + 1]
        if char in self.surnames and not (strict and char in self.ambiguous):
            return 1
        return 0

    def given_name_end(self, text: str, start: int) -> int:
        """End of a 1-2 character given name beginning at ``start`` (``start`` if there is none)."""
        end = start
        while end < min(len(text), start + 2) and _CJK.match(text[end]) and text[end] not in self.stop:
            if any(text.startswith(title, end) for title in self.titles):
                break
            end += 1
        return end

    def analyze(self, text: str) -> list[Candidate]:
        if not _CJK.search(text):
            return []
        found = [*self._from_cues(text), *self._from_titles(text), *self._from_jieba(text)]
        return [c for c in found if text[c.start : c.end] not in self.deny_list]

    def _from_cues(self, text: str) -> list[Candidate]:
        found = []
        for match in self._cue.finditer(text):
            start = match.end()
            surname = self.surname_length(text, start, strict=match.group("weak") is not None)
            end = self.given_name_end(text, start + surname) if surname else start
            if surname and end > start + surname:
                found.append(Candidate(self.type, start, end, 0.9, self.name, False))
        return found

    def _from_titles(self, text: str) -> list[Candidate]:
        found = []
        for match in self._title.finditer(text):
            title_start = match.start()
            best = 0
            for length in range(1, 5):
                start = title_start - length
                if start < 0:
                    break
                surname = self.surname_length(text, start, strict=length > 1)
                if surname and self.given_name_end(text, start + surname) >= title_start:
                    best = length
            if best:
                found.append(Candidate(self.type, title_start - best, title_start, 0.85, self.name, False))
        return found

    def _from_jieba(self, text: str) -> list[Candidate]:
        found = []
        # jieba slows down more than linearly on long runs, so it sees one bounded clause at a time.
        for clause in _CLAUSE.finditer(text):
            position = clause.start()
            for word, is_name in self._tagged_words(clause.group()):
                span = self._name_in_word(text, position, word, is_name)
                if span is not None:
                    found.append(Candidate(self.type, span[0], span[1], 0.7, self.name, False))
                position += len(word)
        return found

    def _name_in_word(self, text: str, start: int, word: str, is_name: bool) -> tuple[int, int] | None:
        """The name a jieba word holds: a tagged/new word starting with a surname (trimmed at a stop
        character: 蔡雪帮 -> 蔡雪), or a compound surname jieba split off its given name (欧阳|康萍)."""
        if word in self.compound and word not in self.everyday_compounds:
            end = self.given_name_end(text, start + len(word))
            return (start, end) if end > start + len(word) else None
        if not is_name or not 2 <= len(word) <= 4:
            return None
        surname = self.surname_length(word, 0, strict=True)
        if not surname or word[0] == word[surname : surname + 1]:
            return None
        end = min(self.given_name_end(text, start + surname), start + len(word))
        return (start, end) if end > start + surname else None

    def _tagged_words(self, text: str) -> Iterator[tuple[str, bool]]:
        """(word, could be a name) for each jieba word.

        ``fast`` (default): segment with the HMM, then a word is a name candidate when jieba's
        dictionary tags it ``nr`` or the HMM produced it as a new word (not in the dictionary).
        ``posseg``: jieba's full part-of-speech tagger; about 4x slower, a few points more F1 on
        news text (bench/pii.py prints both).
        """
        jieba, posseg = self._jieba
        if self.tagger == "posseg":
            for word, flag in posseg.cut(text):
                yield word, flag in _NAME_TAGS
            return
        frequencies, tags = jieba.dt.FREQ, posseg.dt.word_tag_tab
        for word in jieba.cut(text, HMM=True):
            yield word, word not in frequencies or tags.get(word) in _NAME_TAGS

    @cached_property
    def _jieba(self) -> tuple[Any, Any]:
        import jieba
        import jieba.posseg

        jieba.setLogLevel(logging.WARNING)
        jieba.posseg.dt.initialize()
        # jieba's dictionaries (~700k objects) live as long as the process and never change; moving
        # them out of the cyclic collector's sight stops every full collection rescanning them,
        # which otherwise shows up as millisecond stalls in the middle of masking a message.
        gc.freeze()
        return jieba, jieba.posseg
