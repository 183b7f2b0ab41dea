"""Person names as Baidu's LAC model tags them (``PER``), kept only where the name rules agree they could be.

The rules (``name.py``, ``name_context.py``) need a cue, a role, a verb or a list; a name standing
bare in a clause (上周王耘强来过店里) escapes them. LAC (``guardrails/pii/lac.py``) reads the whole
sentence and tags such names statistically. It proposes; the rules' own tests decide:

- the span starts with a listed surname (or is a transliteration or a capitalised Latin name);
- it is no deny-listed, common or place/organisation word in jieba's dictionary;
- a title LAC took into the name is cut off (张先生 -> 张, as the title rule reports it).

Its score (0.65) stays under the output rails' 0.8 floor for names, so a model-only guess in a
drafted reply is left alone, as the rules' weak guesses are; in customer messages it is masked. A
span with a cue or role before it or a title after it scores 0.85 like the rules' own: when the
model's span is the longer one (周田先生 where a rule saw 田), it wins the overlap and must not
drop under the floor where the rule's shorter span would have been masked.
"""

from __future__ import annotations

import re

from guardrails.pii import lac
from guardrails.pii.lexicon import lexicon, words
from guardrails.pii.recognizer import Candidate
from guardrails.pii.recognizers.jieba_words import dictionary_tag
from guardrails.pii.recognizers.name_context import NameInContextRecognizer, word_index

_LATIN = re.compile(r"[A-Z][a-z]{1,14}(?:[ \-][A-Z][a-z]{1,14}){0,2}")
_CJK = re.compile(r"[\u4e00-\u9fff]")


class ModelNameRecognizer(NameInContextRecognizer):
    type = "name"
    name = "person_name_model"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        settings = lexicon().get("names_model", {}) or {}
        self.score = float(settings.get("score", 0.65))
        self.tags = frozenset(settings.get("tags", ["PER"]))
        self.latin_tags = frozenset(settings.get("latin_tags", ["nr"]))
        self.backed_score = float(settings.get("backed_score", 0.85))
        self.backers = (
            *words("names", "cues_before"),
            *words("names", "cues_before_weak"),
            *words("names", "roles_before"),
        )
        self.famous_tags = frozenset(settings.get("famous_tags", ["nrfg"]))

    def analyze(self, text: str) -> list[Candidate]:
        if not _CJK.search(text):
            return []
        with word_index(text, self.tagger):
            return self._accepted(text)

    def _accepted(self, text: str) -> list[Candidate]:
        found = []
        for word in lac.tag(text):
            latin = word.tag in self.latin_tags and _LATIN.fullmatch(text, word.start, word.end) is not None
            if word.tag not in self.tags and not latin:
                continue
            end = self._without_title(text, word.start, word.end)
            if end > word.start and self.accepts(text, word.start, end):
                score = self.backed_score if self.backed(text, word.start, end) else self.score
                found.append(Candidate(self.type, word.start, end, score, self.name, False))
        return found

    def backed(self, text: str, start: int, end: int) -> bool:
        """A cue or role word right before the span, or a title right after it, vouches for it as
        the rules' own cue, role and title names are vouched for (联系人王秀英, 周田先生)."""
        before = text[max(0, start - 8) : start].rstrip(":： ")
        return before.endswith(self.backers) or text.startswith(self.titles, end)

    def _without_title(self, text: str, start: int, end: int) -> int:
        """The end of the name before a title LAC took into it (王秀英女士 -> 王秀英)."""
        for title in self.titles:
            if end - start > len(title) and text.startswith(title, end - len(title)):
                return end - len(title)
        return end

    def accepts(self, text: str, start: int, end: int) -> bool:
        """The rules' checks on a span the model proposed."""
        value = text[start:end]
        if value in self.deny_list or value in self.foreign_deny or value in self.latin_deny:
            return False
        if _LATIN.fullmatch(value):
            return True
        if self.foreign_end(text, start) == end or ("·" in value and self.foreign_end(text, start) > start):
            return self.plausible(value)
        surname = self.surname_length(text, start, strict=False)
        if not surname or not 1 <= end - start - surname <= 2:
            return surname == end - start and self._title_follows(text, end)
        if dictionary_tag(value) in self.famous_tags:
            return False  # 朱自清的背影: a figure jieba's dictionary knows by name, not a customer
        return self.plausible(value) and not self.cuts_a_word(text, start, start)

    def _title_follows(self, text: str, end: int) -> bool:
        return any(text.startswith(title, end) for title in self.titles)
