"""Chinese person names: surname list (compound surnames first), cue words, titles, roles, jieba.

Sources, strongest first: a cue before the name (我叫张三, 收件人：李四); a title after it
(王先生, 王秀英女士); a role before it (记者马力, 总监张大伟) or a speech verb after it (曹鹏飞说,
李力预计); and jieba's guess (a word its dictionary tags ``nr`` or one its HMM makes up) on a word
starting with a surname. Without a cue word the given name must be made of given-name characters
(左耳, 解释权 are not names: 耳, 释 are not such characters) and the whole must not be a word jieba
knows as common (修正, 齐全 are tagged ``nr`` in its dictionary). Surnames that are also everyday
words (高, 和, 平) only count with a cue. Famous figures and brands (李白, 李宁) are denied.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from guardrails.pii import lac
from guardrails.pii.lexicon import chars, lexicon, words
from guardrails.pii.recognizer import Candidate, Recognizer
from guardrails.pii.recognizers.jieba_words import TaggedWord, dictionary_tag, frequency, held_words, tagged_words

_CJK = re.compile(r"[\u4e00-\u9fff]")
_NAME_TAGS = frozenset({"nr"})
_PERSON_TAGS = frozenset({"nr", "nrfg", "nrt"})  # jieba: person, historical person, transliterated


def refused_by_model(text: str, found: list[Candidate]) -> list[Candidate]:
    """Drop guesses (score under ``names_model.veto_below``) that lie inside a word LAC tags as a
    place (萧山, 张江高科): the model reads the whole sentence, a rule only a window.
    LAC runs only when there is a guess to check."""
    settings = lexicon().get("names_model") or {}
    tags, below = frozenset(settings.get("veto_tags", ())), float(settings.get("veto_below", 0.0))
    if not tags or not any(c.score < below for c in found):
        return found
    places = sorted((word for word in lac.tag(text) if word.tag in tags), key=lambda word: word.start)
    starts = [word.start for word in places]

    def inside_a_place(c: Candidate) -> bool:  # LAC's words do not overlap: only the one starting last before c
        index = bisect_right(starts, c.start) - 1
        return index >= 0 and c.end <= places[index].end

    return [c for c in found if c.score >= below or not inside_a_place(c)]


def _alternation(items: tuple[str, ...]) -> str:
    return "|".join(re.escape(item) for item in items)


class NameRecognizer(Recognizer):
    type = "name"
    name = "cn_person_name"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        names = lexicon()["names"]
        self.compound = words("names", "compound_surnames")
        self.surnames = chars("names", "surnames")
        self.ambiguous = chars("names", "ambiguous_surnames")
        self.given_chars = chars("names", "given_name_chars")
        self.stop = chars("names", "not_in_name")
        self.locatives = chars("names", "locatives")
        self.cue_terms = words("names", "cue_terms")
        self.function_tags = frozenset(words("names", "function_word_tags"))
        self.deny_list = self.deny_list | frozenset(words("names", "deny"))
        self.titles = words("names", "titles_after")
        self.tagger = str(names.get("tagger", "fast"))
        self.common_frequency = int(names.get("common_word_frequency", 100))
        self.rare_frequency = int(names.get("rare_word_frequency", 10))
        self.unlisted_in_guess = int(names.get("unlisted_in_guess", 0))
        self.everyday_compounds = frozenset(words("names", "everyday_compound_surnames"))
        strong, weak = _alternation(words("names", "cues_before")), _alternation(words("names", "cues_before_weak"))
        self._cue = re.compile(f"(?:(?P<strong>{strong})|(?P<weak>{weak}))[:：是为 ]{{0,2}}(?=[\u4e00-\u9fff])")
        surname_cues = words("names", "cues_before_surname")
        self._surname_cue = re.compile(f"(?:{_alternation(surname_cues)})[:：是 ]?") if surname_cues else None
        self._title = re.compile(f"(?<=[\u4e00-\u9fff])(?:{_alternation(self.titles)})")
        roles = words("names", "roles_before")
        self._breaks = tuple(sorted({*self.titles, *roles}, key=len, reverse=True))
        self._role = re.compile(f"(?:{_alternation(roles)})[:： ]?(?=[\u4e00-\u9fff])")
        self._place_after = re.compile(_alternation(words("names", "place_words_after")))
        self._after = re.compile(f"(?:{_alternation((*self._breaks, *words('names', 'verbs_after')))})")
        self._verb = re.compile(f"(?<=[\u4e00-\u9fff])(?:{_alternation(words('names', 'verbs_after'))})")

    def surname_length(self, text: str, start: int, *, strict: bool) -> int:
        """Length of the surname starting at ``start`` (0 if none); strict refuses everyday-word surnames."""
        for compound in self.compound:
            if text.startswith(compound, start):
                return 0 if strict and compound in self.everyday_compounds else len(compound)
        char = text[start : start + 1]
        if char in self.surnames and not (strict and char in self.ambiguous):
            return 1
        return 0

    def given_name_end(self, text: str, start: int, *, listed: bool = False) -> int:
        """End of a 1-2 character given name beginning at ``start`` (``start`` if there is none).

        ``listed``: every character must be a given-name character (the evidence a name needs when
        no cue word vouches for it)."""
        end = start
        while end < min(len(text), start + 2) and _CJK.match(text[end]) and text[end] not in self.stop:
            if listed and text[end] not in self.given_chars:
                break
            if any(text.startswith(word, end) for word in self._breaks):
                break
            end += 1
        return end

    def cued_given_name_end(self, text: str, start: int) -> int:
        """After a cue any characters may form the given name (我叫张三), but a listed one followed by an
        unlisted one is a one-character name and a verb (找马云投诉 -> 马云)."""
        end = self.given_name_end(text, start)
        if end - start == 2 and text[start] in self.given_chars and text[start + 1] not in self.given_chars:
            return start + 1
        return end

    def ends_cleanly(self, text: str, end: int) -> bool:
        """Nothing name-like runs on past ``end``: the text ends, or a non-Chinese character, a stop
        character, a verb, role or title follows (贾德界表示 is not 贾德 + 界)."""
        if end >= len(text) or not _CJK.match(text[end]) or text[end] in self.stop:
            return True
        return self._after.match(text, end) is not None

    def is_common_word(self, word: str) -> bool:
        """A word jieba's dictionary has seen often is an everyday word or a public figure."""
        return frequency(word) >= self.common_frequency

    def analyze(self, text: str) -> list[Candidate]:
        if not _CJK.search(text):
            return []
        with held_words(text):
            found = [
                *self._from_cues(text),
                *self._from_titles(text),
                *self._from_surname_cues(text),
                *self._from_roles(text),
                *self._from_verbs(text),
                *self._from_jieba(text),
            ]
        kept = [c for c in found if text[c.start : c.end] not in self.deny_list and not self._noun_and_place(text, c)]
        return refused_by_model(text, kept)

    def _noun_and_place(self, text: str, candidate: Candidate) -> bool:
        """A single-character surname and a locative is a noun and a place word (包里, 车上, 卡内)."""
        return candidate.end - candidate.start == 2 and text[candidate.end - 1] in self.locatives

    def _from_cues(self, text: str) -> list[Candidate]:
        found = []
        for match in self._cue.finditer(text):
            start = match.end()
            if self._cue_inside_term(text, match.start(), match.end(match.lastgroup or 0)):
                continue
            if text.startswith(self.titles, start):
                continue  # 麻烦师傅送上楼: a title after the cue, not a surname (师) and a given name
            weak = match.group("weak") is not None
            surname = self.surname_length(text, start, strict=weak)
            end = self.cued_given_name_end(text, start + surname) if surname else start
            if surname and end > start + surname and not self._everyday_word(text, start, end, surname, weak=weak):
                found.append(Candidate(self.type, start, end, 0.9, self.name, False))
        return found

    def _from_surname_cues(self, text: str) -> list[Candidate]:
        """我姓欧阳，全名…: a surname alone after its cue, where the clause ends or a name word follows."""
        if self._surname_cue is None:
            return []
        found = []
        for match in self._surname_cue.finditer(text):
            start = match.end()
            end = start + self.surname_length(text, start, strict=False)
            if end > start and (self.ends_cleanly(text, end) or text.startswith(("叫", "名", "全名", "单名"), end)):
                found.append(Candidate(self.type, start, end, 0.85, self.name, False))
        return found

    def _cue_inside_term(self, text: str, start: int, end: int) -> bool:
        """The cue is the start of a listed term (姓名权人) or of a dictionary word jieba reads across
        its end (开户|名单 holds no 户名): then it labels no name."""
        if any(text.startswith(term, start) for term in self.cue_terms):
            return True
        for word in tagged_words(text, self.tagger):
            if word.start < end < word.start + len(word.word):
                return word.frequency > 0 and word.tag not in _NAME_TAGS
        return False

    def _everyday_word(self, text: str, start: int, end: int, surname: int, *, weak: bool) -> bool:
        """What follows a cue must look like a name, not everyday words. It cuts no dictionary word at
        its end (和|利害关系人), and neither it nor a shorter word jieba reads in it is a common word not
        tagged as a person with a given part holding an unlisted character (公司, 马上, 单位|那). A
        given name of listed characters jieba reads as a word (姚|丹东, 邓|峰峰, 程志|毅) still counts,
        except after a weak cue (找房东修). 李四 (``nr``) and 李家 (``nrfg``) count."""
        for word in tagged_words(text, self.tagger):
            word_end = word.start + len(word.word)
            if word.start < end < word_end and word.frequency > 0 and dictionary_tag(word.word) not in _PERSON_TAGS:
                return True
            if start <= word.start and word_end <= end and len(word.word) >= 2:
                given = word.word[surname:] if word.start == start else word.word
                unlisted = any(char not in self.given_chars for char in given)
                if self._common_non_person(word.word) and (unlisted or (weak and len(word.word) < end - start)):
                    return True
        value = text[start:end]
        return self._common_non_person(value) and any(char not in self.given_chars for char in value[surname:])

    def _common_non_person(self, word: str) -> bool:
        return self.is_common_word(word) and dictionary_tag(word) not in _PERSON_TAGS

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
                if surname and self.given_name_end(text, start + surname, listed=True) >= title_start:
                    best = length
            if best == 1 and self._function_word(text, title_start - 1):
                continue
            if best and not self._inside_a_word(text, title_start - best, title_start):
                found.append(Candidate(self.type, title_start - best, title_start, 0.85, self.name, False))
        return found

    def _function_word(self, text: str, index: int) -> bool:
        """The character at ``index`` follows a Chinese character and jieba's dictionary tags it a
        function word (老师和同学): then it is no bare surname before a title."""
        return (
            index > 0 and _CJK.match(text[index - 1]) is not None and dictionary_tag(text[index]) in self.function_tags
        )

    def _inside_a_word(self, text: str, start: int, end: int) -> bool:
        """The name would cut a word jieba knows: the surname ends a dictionary word (设计|总监 holds no
        计 + 总监), or a common word runs across the title (班主任). 请王|秀英 (a made-up word) and
        李老师 (rare) do not count."""
        for word in tagged_words(text, self.tagger):
            if word.start <= start < word.start + len(word.word):
                if word.start < start and word.frequency > 0:
                    return True
                return word.start + len(word.word) > end and word.frequency >= self.common_frequency
        return False

    def _from_roles(self, text: str) -> list[Candidate]:
        """记者马力, 总监张大伟介绍: a surname and listed given-name characters after a role word."""
        found = []
        for match in self._role.finditer(text):
            start = match.end()
            # 记者于有斌: after a role even an everyday-word surname counts; the common-word test
            # below still keeps 经理高兴 and 记者金融 out.
            surname = self.surname_length(text, start, strict=False)
            end = self.given_name_end(text, start + surname, listed=True) if surname else start
            full = end - start - surname == 2 or (end > start + surname and self.ends_cleanly(text, end))
            if full and not self.is_common_word(text[start:end]):
                found.append(Candidate(self.type, start, end, 0.8, self.name, False))
        return found

    def _from_verbs(self, text: str) -> list[Candidate]:
        """曹鹏飞说, 李力预计: the longest surname + listed given name ending right before a speech verb."""
        found = []
        for match in self._verb.finditer(text):
            verb_start = match.start()
            for length in (4, 3, 2):
                start = verb_start - length
                surname = self.surname_length(text, start, strict=True) if start >= 0 else 0
                if not surname or start + surname >= verb_start:
                    continue
                if self.given_name_end(text, start + surname, listed=True) != verb_start:
                    continue
                if not self.is_common_word(text[start:verb_start]):
                    found.append(Candidate(self.type, start, verb_start, 0.75, self.name, False))
                    break
        return found

    def _from_jieba(self, text: str) -> list[Candidate]:
        found = []
        words_ = tagged_words(text, self.tagger)
        for index, tagged in enumerate(words_):
            span = self._name_in_word(text, tagged.start, tagged.word, tagged.tag, tagged.frequency)
            if span is None and index + 1 < len(words_):
                span = self._split_name(tagged.word, tagged.tag, words_[index + 1])
            if span is not None and not self._place_after.match(text, span[1]):
                found.append(Candidate(self.type, span[0], span[1], 0.7, self.name, False))
        return found

    def _split_name(self, word: str, tag: str | None, following: TaggedWord) -> tuple[int, int] | None:
        """A surname jieba tagged ``nr`` on its own, then a rare word of given-name characters (曹|鹏飞)."""
        if tag not in _NAME_TAGS or not self.surname_length(word, 0, strict=True) == len(word) == 1:
            return None
        given = following.word
        if not 1 <= len(given) <= 2 or following.frequency >= self.common_frequency:
            return None
        if any(char not in self.given_chars or char in self.stop for char in given):
            return None
        return following.start - 1, following.start + len(given)

    def _name_in_word(self, text: str, start: int, word: str, tag: str | None, seen: int) -> tuple[int, int] | None:
        """The name a jieba word holds: a tagged/new word starting with a surname, its given name
        clipped to listed characters (蔡雪帮 -> 蔡雪), or a compound surname jieba split off its given
        name (欧阳|康萍)."""
        if word in self.compound and word not in self.everyday_compounds:
            end = self.given_name_end(text, start + len(word), listed=True)
            return (start, end) if end > start + len(word) else None
        guessed = (
            (tag in _NAME_TAGS and seen < self.common_frequency)
            or (seen == 0 and tag in (None, *_NAME_TAGS))
            or (len(word) == 3 and seen < self.rare_frequency)  # 陆俨少 is in the dictionary as a verb
        )
        if not guessed or not 2 <= len(word) <= 4:
            return None
        surname = self.surname_length(word, 0, strict=True)
        if not surname or word[0] == word[surname : surname + 1]:
            return None
        # Trimmed at a stop character (蔡雪帮 -> 蔡雪), what jieba put in the word must all be given-name
        # characters: 查良镛 with an unlisted 镛 is left alone rather than cut to a wrong 查良.
        end = min(self.given_name_end(text, start + surname), start + len(word))
        unlisted = sum(char not in self.given_chars for char in text[start + surname : end])
        # One unlisted character is allowed in a made-up surname + two-character word that nothing
        # trimmed (谢霆强): jieba's HMM joined the three, and one listed character still vouches.
        whole_guess = seen == 0 and end - start - surname == 2 and end == start + len(word)
        if end == start + surname or unlisted > (self.unlisted_in_guess if whole_guess else 0):
            return None
        return start, end
