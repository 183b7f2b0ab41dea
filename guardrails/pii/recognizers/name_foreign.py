"""Foreign person names written in Chinese transliteration (威尔·史密斯, 斯科拉里, 约翰森).

Two kinds of evidence, both from data in ``pii_lexicon.yaml`` (``foreign_names``): runs of the
characters translators use, joined by a middle dot or hyphen (the separator is itself the cue); and
a word jieba's dictionary tags ``nrt`` (transliterated person name) made only of those characters.
Brands and cities jieba also tags that way (特斯拉, 莫斯科) are in the deny list, a run followed by a
place suffix (萨拉托夫州) is a place, an everyday word and a locative (卡里) is a noun and a place word,
and a word jieba's dictionary knows often is an everyday one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from guardrails.pii.lexicon import chars, lexicon, words
from guardrails.pii.recognizer import Candidate, Recognizer
from guardrails.pii.recognizers.jieba_words import TaggedWord, frequency, tagged_words
from guardrails.pii.recognizers.name import refused_by_model

_FOREIGN_TAGS = frozenset({"nrt"})
_PERSON_TAGS = frozenset({"nr"})


class ForeignNameRecognizer(Recognizer):
    type = "name"
    name = "foreign_person_name"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        section = lexicon()["foreign_names"]
        self.letters = chars("foreign_names", "transliteration_chars")
        self._place_after = re.compile("|".join(re.escape(word) for word in words("names", "place_words_after")))
        self.deny_list = self.deny_list | frozenset(words("foreign_names", "deny"))
        self.common_frequency = int(lexicon()["names"].get("common_word_frequency", 100))
        self.locatives = chars("names", "locatives")
        self.tagger = str(lexicon()["names"].get("tagger", "fast"))
        run = "[" + "".join(sorted(self.letters)) + "]{1,6}"
        separators = re.escape(str(section.get("separators", "·")))
        self._joined = re.compile(f"{run}(?:[{separators}]{run}){{1,3}}")

    def analyze(self, text: str) -> list[Candidate]:
        if not any(char in self.letters for char in text):
            return []
        found = [
            Candidate(self.type, match.start(), match.end(), 0.8, self.name, False)
            for match in self._joined.finditer(text)
            if self._plausible(text, match.start(), match.end())
        ]
        for group in self._letter_runs(tagged_words(text, self.tagger)):
            start, end = group[0].start, group[-1].start + len(group[-1].word)
            if self._foreign(group, text[start:end]) and self._plausible(text, start, end):
                found.append(Candidate(self.type, start, end, 0.7, self.name, False))
        return refused_by_model(text, found)

    def _letter_runs(self, words_: tuple[TaggedWord, ...]) -> Iterator[tuple[TaggedWord, ...]]:
        """Maximal runs of adjacent jieba words made only of transliteration characters (雷德|克纳普)."""
        run: list[TaggedWord] = []
        for tagged in words_:
            letters_only = all(char in self.letters for char in tagged.word)
            if run and (not letters_only or run[-1].start + len(run[-1].word) != tagged.start):
                yield tuple(run)
                run = []
            if letters_only:
                run.append(tagged)
        if run:
            yield tuple(run)

    def _foreign(self, group: tuple[TaggedWord, ...], value: str) -> bool:
        """A word jieba tags nrt; a word of three or more tagged nr or made up by its HMM; or several
        pieces (奎|罗斯, 米拉|迈克|斯) of which one is such a guess. Never a word it knows as common."""
        if frequency(value) >= self.common_frequency:
            return False
        if len(group) == 1:
            (word,) = group
            if word.tag in _FOREIGN_TAGS:
                return len(value) >= 2
            return len(value) >= 3 and (word.tag in _PERSON_TAGS or word.frequency == 0)
        return len(value) >= 3 and any(w.tag in _PERSON_TAGS | _FOREIGN_TAGS or w.frequency == 0 for w in group)

    def _noun_and_place(self, value: str) -> bool:
        """An everyday word and a locative (卡里的钱, 卡内余额): jieba tags 卡里 nrt, but 卡 is a card."""
        return value[-1] in self.locatives and frequency(value[:-1]) >= self.common_frequency

    def _plausible(self, text: str, start: int, end: int) -> bool:
        """Not a denied brand or city, not the first part of a place (萨拉托夫州, 维拉公园), not a piece."""
        value, before, after = text[start:end], text[start - 1 : start] if start else "", text[end : end + 1]
        if value in self.deny_list or self._place_after.match(text, end) or self._noun_and_place(value):
            return False
        # A transliteration character touching the run makes it a piece: 盖蒂 in 盖蒂博物馆.
        return before not in self.letters and after not in self.letters
