"""Person names that only their place in the sentence gives away, as news and longer messages write them.

``NameRecognizer`` insists that a name found without a cue word is made of given-name characters it
lists, which keeps 左耳 and 解释权 out but also cuts 谢霆强 to nothing and 董芬玮 to 董芬. Here the
sentence itself vouches for the name, so its given part may hold any character that can end a name:

- a role or title right before it and a clean end after it (主帅董芬玮在, 发言人田家敏近日);
- a speech verb right after it and a clause boundary right before it (，谢霆强说);
- a list whose items are ALL name-like (谭文红、谢礼旸、蔡博和王寿峰): one item that is not (北京、
  江苏) drops the whole list, so place and product lists survive;
- Latin-script names (Johns, Mary Walker) and transliterations (温格) in the same three positions.

Every span still starts with a listed surname (or is a transliteration or a capitalised Latin word)
and is not a word jieba's dictionary knows as common or as a place or organisation.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager

from guardrails.pii.lexicon import chars, words
from guardrails.pii.recognizer import Candidate
from guardrails.pii.recognizers.jieba_words import TaggedWord, dictionary_tag, tagged_words
from guardrails.pii.recognizers.name import NameRecognizer, refused_by_model

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"(?<![A-Za-z0-9_@.\-])[A-Z][a-z]{1,14}(?:[ \-][A-Z][a-z]{1,14}){0,2}(?![A-Za-z0-9_@\-])")
_PERSON_TAGS = frozenset({"nr", "nrfg", "nrt"})
_NOT_PERSON_TAGS = frozenset({"ns", "nt", "nz", "n", "v", "a", "t", "s", "f", "m"})


WordIndex = tuple[list[int], tuple[TaggedWord, ...]]
_current = threading.local()  # the index of the text this thread is analysing now


def _word_starts(text: str, tagger: str) -> WordIndex:
    """jieba's words of ``text`` and their start offsets, for a binary search by position. Within
    one ``analyze`` call the index is built once (a long text is segmented once, not once per
    lookup) and kept per thread only for that call, so no large text stays in memory after it."""
    held = getattr(_current, "index", None)
    if held is not None and held[0] is text and held[1] == tagger:
        index: WordIndex = held[2]
        return index
    tagged = tagged_words(text, tagger)
    return [word.start for word in tagged], tagged


@contextmanager
def word_index(text: str, tagger: str) -> Iterator[None]:
    """Within the block, every lookup in ``text`` shares one segmentation (see ``_word_starts``)."""
    _current.index = (text, tagger, _word_starts(text, tagger))
    try:
        yield
    finally:
        _current.index = None


def _alternation(items: tuple[str, ...]) -> str:
    return "|".join(re.escape(item) for item in items)


class NameInContextRecognizer(NameRecognizer):
    type = "name"
    name = "person_name_in_context"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.letters = chars("foreign_names", "transliteration_chars")
        self.foreign_deny = frozenset(words("foreign_names", "deny"))
        self.latin_deny = frozenset(words("names_in_context", "latin_deny"))
        self.separators = chars("names_in_context", "list_separators")
        self.joiners = words("names_in_context", "list_joiners")
        separator = "[" + re.escape("".join(sorted(self.separators))) + "]"
        self._separator = re.compile(separator)
        self._break = re.compile(_alternation(self._breaks))
        self._clause = re.compile("[^，。；！？,;!?\n]+")
        self._pair_joiner = re.compile(_alternation(self.joiners))
        self.list_end = re.compile(_alternation(words("names_in_context", "list_ends")))
        self.after_extra = re.compile(_alternation(words("names_in_context", "words_after")))
        roles = (*words("names", "roles_before"), *words("names", "titles_after"))
        self._role_before = re.compile(f"(?:{_alternation(roles)})[:： ]?")
        after = (
            *words("names", "verbs_after"),
            *words("names", "titles_after"),
            *words("names_in_context", "words_after"),
        )
        self._word_after = re.compile(f" ?(?:{_alternation(tuple(word for word in after if len(word) > 1))})")

    def analyze(self, text: str) -> list[Candidate]:
        with word_index(text, self.tagger):
            found = [*self._after_roles(text), *self._before_verbs(text), *self._in_lists(text), *self._in_pairs(text)]
        kept = [
            c
            for c in found
            if c.end > c.start and text[c.start : c.end] not in self.deny_list and not self._noun_and_place(text, c)
        ]
        return refused_by_model(text, kept)

    # -- what may be a name, starting at a given position --------------------------------------

    def clean_end(self, text: str, end: int) -> bool:
        """A name may end here: the text ends, a non-Chinese or stop character, a role, title or
        speech verb, a word that follows a subject (近日, 昨天, 率领, 等人), or a word of two or more
        characters jieba's dictionary knows begins right here (覃玮|握手)."""
        if self.ends_cleanly(text, end) or self.after_extra.match(text, end) is not None:
            return True
        starts, tagged = _word_starts(text, self.tagger)
        index = bisect_right(starts, end) - 1
        if index < 0 or starts[index] != end:
            return False
        word = tagged[index]
        return len(word.word) >= 2 and word.frequency > 0

    def chinese_names_at(self, text: str, start: int) -> Iterator[int]:
        """Ends of surname + one or two given characters (any but stop characters) at ``start``,
        longest first; a compound surname needs no strictness, an everyday-word surname does."""
        surname = self.surname_length(text, start, strict=True)
        if not surname:
            return
        for length in (2, 1):
            end = start + surname + length
            given = text[start + surname : end]
            if end > len(text) or len(given) != length or not all(_CJK.match(char) for char in given):
                continue
            if any(char in self.stop for char in given) or self._break.match(text, start + surname):
                continue
            if length == 2 and self._break.match(text, start + surname + 1):
                continue
            yield end

    def plausible(self, value: str) -> bool:
        """Not a common word, not a word jieba's dictionary tags as a place, organisation or noun."""
        if value in self.deny_list or value in self.foreign_deny or self.is_common_word(value):
            return False
        return dictionary_tag(value) not in _NOT_PERSON_TAGS

    def cuts_a_word(self, text: str, start: int, end: int) -> bool:
        """The span starts or ends inside a word jieba's dictionary knows that is not a person's
        name (班主|任和公|司: 和公 ends inside 公司)."""
        starts, tagged = _word_starts(text, self.tagger)
        for position in (start, end):
            index = bisect_right(starts, position) - 1
            if index < 0:
                continue
            word = tagged[index]
            inside = word.start < position < word.start + len(word.word)
            if inside and word.frequency > 0 and dictionary_tag(word.word) not in _PERSON_TAGS:
                return True
        return False

    def foreign_end(self, text: str, start: int) -> int:
        """End of a run of transliteration characters (with middle dots) at ``start``, 2-12 long."""
        end = start
        while end < len(text) and end - start < 12 and (text[end] in self.letters or text[end] in "·•"):
            end += 1
        while end > start and text[end - 1] in "·•":
            end -= 1
        return end if end - start >= 2 else start

    def name_at(self, text: str, start: int, *, ends: tuple[int, ...] = ()) -> int:
        """The end of a name starting at ``start``: a Chinese name ending at one of ``ends`` (or
        cleanly), else a whole transliteration, else a Latin name; ``start`` if none."""
        chinese = [
            end
            for end in self.chinese_names_at(text, start)
            if (end in ends if ends else self.clean_end(text, end))
            and self.plausible(text[start:end])
            and not self.cuts_a_word(text, start, end)
            and not (end - start == 2 and text[end - 1] in self.locatives)
        ]
        if len(chinese) == 2 and self.word_follows(text, chinese[1]):
            return chinese[1]  # 陈东等人: 陈东 before the word 等人, not 陈东等 before 人
        if chinese:
            return chinese[0]
        end = self.foreign_end(text, start)
        if end > start and (end in ends if ends else self.clean_end(text, end)) and self.plausible(text[start:end]):
            return end
        latin = _LATIN.match(text, start)
        if latin and latin.group() not in self.latin_deny and (not ends or latin.end() in ends):
            return latin.end()
        return start

    def word_follows(self, text: str, end: int) -> bool:
        """A role, title, verb or subject word (not just a stop character) begins at ``end``."""
        return self._after.match(text, end) is not None or self.after_extra.match(text, end) is not None

    # -- the three positions ------------------------------------------------------------------

    def _after_roles(self, text: str) -> list[Candidate]:
        """主帅董芬玮在, 发言人田家敏近日: a role, then a name that ends cleanly."""
        found = []
        for match in self._role_before.finditer(text):
            end = self.name_at(text, match.end())
            if end > match.end():
                found.append(Candidate(self.type, match.end(), end, 0.75, self.name, False))
        return found

    def _before_verbs(self, text: str) -> list[Candidate]:
        """，谢霆强说 / Taylor表示 / 许耘智教授: a clause boundary, a name, a speech verb, a title or a
        word that follows a subject (获得, 出任)."""
        found = []
        for match in self._word_after.finditer(text):
            verb = match.start()
            start = self.name_before(text, verb)
            if start is not None:
                found.append(Candidate(self.type, start, verb, 0.7, self.name, False))
        return found

    def name_before(self, text: str, end: int) -> int | None:
        """Start of the longest name ending at ``end`` that begins a clause (the text starts, or a
        punctuation mark, space or other non-word character comes before it)."""
        for start in range(max(0, end - 16), end - 1):
            if start and (_CJK.match(text[start - 1]) or text[start - 1].isalnum()):
                continue
            if self.name_at(text, start, ends=(end,)) == end:
                return start
        return None

    def _in_pairs(self, text: str) -> list[Candidate]:
        """张英靓与于俭握手, 韦禄晞和郭怡玲出席: a clause starting with two names joined by 与/和."""
        found = []
        for match in self._pair_joiner.finditer(text):
            start = self.name_before(text, match.start())
            tail = self.name_at(text, match.end()) if start is not None else match.end()
            if start is not None and tail > match.end():
                found.append(Candidate(self.type, start, match.start(), 0.7, self.name, False))
                found.append(Candidate(self.type, match.end(), tail, 0.7, self.name, False))
        return found

    def _in_lists(self, text: str) -> list[Candidate]:
        """谭文红、谢礼旸、蔡博和王寿峰: every item of a 、-list is a name, or none is reported."""
        found: list[Candidate] = []
        if not any(separator in text for separator in self.separators):
            return found
        for match in self._clause.finditer(text):
            if self._separator.search(text, match.start(), match.end()) is None:
                continue
            items = self._list_items(text, match.start(), match.end())
            if items:
                found.extend(Candidate(self.type, start, end, 0.7, self.name, False) for start, end in items)
        return found

    def _list_items(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """The name spans of the list text[start:end], or [] when one item is not name-like."""
        pieces = self._separator.split(text[start:end])
        offsets, position = [], start
        for piece in pieces:
            offsets.append((position, position + len(piece)))
            position += len(piece) + 1
        items = [self._first_item(text, *offsets[0])]
        items += [self._whole_item(text, *span) for span in offsets[1:-1]]
        items += self._last_items(text, *offsets[-1])
        return [item for item in items if item] if all(items) else []

    def _first_item(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """The first item is the longest name-like tail of the text before the first separator."""
        for length in range(min(12, end - start), 1, -1):
            if self.name_at(text, end - length, ends=(end,)) == end:
                return end - length, end
        return None

    def _whole_item(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        return (start, end) if start < end == self.name_at(text, start, ends=(end,)) else None

    def _last_items(self, text: str, start: int, end: int) -> list[tuple[int, int] | None]:
        """The last item ends at the list's end, at 等/也, or before a joiner and one more name."""
        for joiner in self.joiners:
            at = text.find(joiner, start, end)
            if at > start and self.name_at(text, start, ends=(at,)) == at:
                follow = at + len(joiner)
                stop = self.list_end.search(text, follow, end)
                tail = self.name_at(text, follow, ends=(stop.start(),) if stop else ())
                return [(start, at), (follow, tail) if tail > follow else None]
        stop = self.list_end.search(text, start, end)
        limit = stop.start() if stop else end
        last = self.name_at(text, start, ends=(limit,))
        return [(start, last) if start < last == limit else None]
