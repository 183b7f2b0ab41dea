"""Chinese names typed with a space inside (欧阳 振华, 收件人：王 小明, 李 明先生).

The other name recognisers read a name as one run of Chinese characters, so a space between the
surname and the given name hides it. Here a compound surname (not an everyday word such as 东方)
followed by a space and a one- or two-character given name of given-name characters is a name on
its own; a single-character surname needs more: a cue word before it (我叫, 收件人) or a title
after it (先生, 经理). The span covers the space, so masking leaves no half of the name behind.
"""

from __future__ import annotations

import re

from guardrails.pii.lexicon import words
from guardrails.pii.recognizer import Candidate
from guardrails.pii.recognizers.name import NameRecognizer, _alternation

_CJK_CHAR = re.compile("[\u4e00-\u9fff]")
_CUE_WINDOW = 8  # characters before the surname searched for a cue word


class SpacedNameRecognizer(NameRecognizer):
    type = "name"
    name = "cn_person_name_spaced"
    trigger_chars = " \u3000"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        compounds = [c for c in self.compound if c not in self.everyday_compounds]
        single = "".join(sorted(self.surnames - self.ambiguous))
        self._spaced = re.compile(
            f"(?:(?P<compound>{_alternation(tuple(compounds))})|(?P<single>[{single}]))"
            f"[ \u3000]{{1,2}}(?P<given>[\u4e00-\u9fff]{{1,2}})"
        )
        self._cues = re.compile(_alternation(words("names", "cues_before")))
        self._titles_after = re.compile(f"[ \u3000]?(?:{_alternation(self.titles)})")

    def analyze(self, text: str) -> list[Candidate]:
        found: list[Candidate] = []
        for match in self._spaced.finditer(text):
            given_start = match.start("given")
            end = self.given_name_end(text, given_start, listed=True)
            if end == given_start or not self.ends_cleanly(text, end):
                continue
            if match.group("single") and not self._backed(text, match.start(), end):
                continue
            if (
                match.group("single")
                and match.start()
                and _CJK_CHAR.match(text, match.start() - 1)
                and not (self._cues.search(text, max(0, match.start() - _CUE_WINDOW), match.start()))
            ):
                continue
            value = text[match.start() : end]
            if value.replace(" ", "").replace("\u3000", "") in self.deny_list:
                continue
            found.append(Candidate(self.type, match.start(), end, 0.85, self.name, False))
        return found

    def _backed(self, text: str, start: int, end: int) -> bool:
        """A single-character surname needs a cue before it or a title after it."""
        window = text[max(0, start - _CUE_WINDOW) : start]
        return self._cues.search(window) is not None or self._titles_after.match(text, end) is not None
