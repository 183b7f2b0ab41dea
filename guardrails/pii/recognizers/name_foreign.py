"""Foreign person names written in Chinese transliteration (威尔·史密斯, 斯科拉里, 约翰森).

Two kinds of evidence, both from data in ``pii_lexicon.yaml`` (``foreign_names``): runs of the
characters translators use, joined by a middle dot or hyphen (the separator is itself the cue); and
a word jieba's dictionary tags ``nrt`` (transliterated person name) made only of those characters.
Brands and cities jieba also tags that way (特斯拉, 莫斯科) are in the deny list, a run followed by a
place suffix (萨拉托夫州) is a place, and a word jieba's dictionary knows often is an everyday one.
"""

from __future__ import annotations

import re

from guardrails.pii.lexicon import chars, lexicon, words
from guardrails.pii.recognizer import Candidate, Recognizer
from guardrails.pii.recognizers.jieba_words import tagged_words

_FOREIGN_TAGS = frozenset({"nrt"})


class ForeignNameRecognizer(Recognizer):
    type = "name"
    name = "foreign_person_name"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        section = lexicon()["foreign_names"]
        self.letters = chars("foreign_names", "transliteration_chars")
        self.place_suffixes = chars("foreign_names", "place_suffixes")
        self.deny_list = self.deny_list | frozenset(words("foreign_names", "deny"))
        self.common_frequency = int(lexicon()["names"].get("common_word_frequency", 100))
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
        for tagged in tagged_words(text, self.tagger):
            end = tagged.start + len(tagged.word)
            if (
                tagged.tag in _FOREIGN_TAGS
                and tagged.frequency < self.common_frequency
                and len(tagged.word) >= 2
                and all(char in self.letters for char in tagged.word)
                and self._plausible(text, tagged.start, end)
                and self._whole_run(text, tagged.start, end)
            ):
                found.append(Candidate(self.type, tagged.start, end, 0.7, self.name, False))
        return found

    def _plausible(self, text: str, start: int, end: int) -> bool:
        """Not a denied brand or city, and not the first part of a place name (萨拉托夫州)."""
        value = text[start:end]
        return value not in self.deny_list and text[end : end + 1] not in self.place_suffixes

    def _whole_run(self, text: str, start: int, end: int) -> bool:
        """No transliteration character touches the word: 盖蒂 in 盖蒂博物馆 or 库塔 in 沃尔库塔 is a piece."""
        before, after = text[start - 1 : start] if start else "", text[end : end + 1]
        return before not in self.letters and after not in self.letters
