"""The base recogniser: named patterns, a validator with three answers, and context words.

Modelled on Presidio's ``PatternRecognizer``. Chinese has no spaces, so context is looked for in a
window of characters before the match instead of a window of tokens. The nearest context word
wins: a supporting word (手机, 身份证) raises the score, a contradicting one (订单号, 快递单号) drops
the match, so ``订单号：110101199003071234`` survives even when its digits happen to pass a checksum.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

CONTEXT_WINDOW = 12  # characters before the match searched for context words
CONTEXT_BOOST = 0.35
MIN_SCORE = 0.5  # a candidate below this (after context) is not reported
MASK_CHAR = "*"
# the Masker's placeholders: [银行卡号1] and the hash operator's [银行卡号#abcdefghij]
PLACEHOLDER = re.compile(r"\[[^\[\]\d#]{1,8}(?:\d{0,4}|#[a-z]{10})\]")
_PLACEHOLDER_MAX = 21

# Numbers embedded in longer alphanumeric runs are never personal data on their own.
DIGIT_LEFT = r"(?<![0-9A-Za-z])"
DIGIT_RIGHT = r"(?![0-9A-Za-z])"


@dataclass(frozen=True)
class Pattern:
    """One named regular expression with the score a bare match gets."""

    name: str
    regex: str
    score: float
    flags: int = 0
    # The regex holds its own cue (a lookahead: 1024566789是我的QQ号), which vouches as a context word would.
    cued: bool = False
    compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)
    group: str | int = field(init=False, repr=False, compare=False)  # "value" when the regex names it

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", re.compile(self.regex, self.flags))
        object.__setattr__(self, "group", "value" if "value" in self.compiled.groupindex else 0)


class Candidate(NamedTuple):
    """A match in the NORMALISED text, before mapping back and overlap resolution (a tuple: cheap)."""

    type: str
    start: int
    end: int
    score: float
    recognizer: str
    validated: bool


class Gate(NamedTuple):
    """A recogniser as ``detect`` runs it: skip when none of ``required_chars`` is in the text or
    ``trigger`` finds nothing, else ``find`` the candidates."""

    required_chars: frozenset[str] | None
    trigger: Callable[[str], object] | None
    find: Callable[[str], list[Candidate]]


class Recognizer:
    """Base class: subclasses set ``type``, ``patterns`` and may override ``validate``/``canonical``.

    ``validate`` answers True (checked: score 1.0), False (drop) or None (no opinion).
    ``context`` and ``negative_context`` come from ``guardrails/config/pii.yaml`` unless given.
    ``requires_context`` makes a bare match worthless (QQ numbers are just digits).
    """

    type: str = ""
    name: str = ""
    patterns: Sequence[Pattern] = ()
    requires_context: bool = False
    # Characters before a match searched for context words (a passport number often comes a
    # sentence after 护照).
    context_window: int = CONTEXT_WINDOW
    # A cheap regex every text holding this kind must contain ('@' for e-mail); texts without it
    # skip the recogniser entirely. This is where most of the speed over Presidio comes from.
    trigger: str | None = None
    # Characters at least one of which every text the trigger matches contains ("@" for e-mail).
    # ``detect`` checks them against the set of the text's characters, computed once for all
    # recognisers, before it calls ``analyze`` at all: cheaper than one regex search per recogniser.
    trigger_chars: str | None = None

    def __init__(
        self,
        *,
        context: Iterable[str] = (),
        negative_context: Iterable[str] = (),
        deny_list: Iterable[str] = (),
        patterns: Sequence[Pattern] | None = None,
        type: str | None = None,
        name: str | None = None,
    ) -> None:
        if type is not None:
            self.type = type
        if name is not None:
            self.name = name
        if patterns is not None:
            self.patterns = tuple(patterns)
        self.name = self.name or f"{self.type}_recognizer"
        self.context = tuple(sorted(set(context), key=len, reverse=True))
        self.negative_context = tuple(sorted(set(negative_context), key=len, reverse=True))
        self.deny_list = frozenset(deny_list)
        self._context_re = _words_regex(self.context)
        self._negative_re = _words_regex(self.negative_context)
        # Most windows hold no context word at all: one search for any of them settles that.
        self._any_context_re = _words_regex((*self.context, *self.negative_context))
        self._trigger = re.compile(self.trigger) if self.trigger else None
        self.required_chars = None if self.trigger_chars is None else case_variants(self.trigger_chars)
        if self.requires_context:
            self._trigger = self._context_re
            self.required_chars = case_variants("".join(word[0] for word in self.context))

    def validate(self, value: str) -> bool | None:
        """True: verified (checksum, date); False: not this type; None: no opinion."""
        return None

    def shaped_after_cue(self, value: str) -> bool:
        """True when ``value`` has this kind's shape although ``validate`` refused it (a wrong check
        digit): right after a supporting context word it is kept, since a mistyped id card or card
        number is still someone's personal data."""
        return False

    def canonical(self, value: str) -> str:
        """The form under which two spellings of the same value are the same (for placeholders)."""
        return value

    def partial_mask(self, canonical: str, prefix: int, suffix: int) -> str:
        """The "mask" operator's output for this kind (138****5678); overridden where format matters."""
        return partial_mask(canonical, prefix, suffix)

    def analyze(self, text: str) -> list[Candidate]:
        """All candidates of this type in normalised ``text``."""
        if self._trigger is not None and self._trigger.search(text) is None:
            return []
        return self.find(text)

    def find(self, text: str) -> list[Candidate]:
        """The candidates of every pattern, without the trigger check (``analyze`` does that)."""
        found: list[Candidate] = []
        for pattern in self.patterns:
            for match in pattern.compiled.finditer(text):
                candidate = self._score(text, match, pattern)
                if candidate is not None:
                    found.append(candidate)
        return found

    def gate(self) -> Gate:
        """What ``detect`` runs for this recogniser: plain functions, no method call per check.

        A subclass that overrides ``analyze`` keeps its own checks, so it gets no trigger here.
        """
        if type(self).analyze is not Recognizer.analyze:
            return Gate(self.required_chars, None, self.analyze)
        return Gate(self.required_chars, None if self._trigger is None else self._trigger.search, self.find)

    def _score(self, text: str, match: re.Match[str], pattern: Pattern) -> Candidate | None:
        start, end = match.span(pattern.group)
        value = text[start:end]
        if not value or value in self.deny_list:
            return None
        verdict = self.validate(value)
        support = self.context_support(text, start)
        if pattern.cued and support is None:
            support = True
        if verdict is False:
            # A failed check is forgiven only right after a cue with no masked value in between, so
            # that masking twice masks nothing more ([银行卡号1] must not vouch for the next number).
            if support is not True or not self.shaped_after_cue(value) or "]" in text[max(0, start - 24) : start]:
                return None
            verdict = None
        if support is False:
            return None
        if self.requires_context and support is not True:
            return None
        score = 1.0 if verdict else pattern.score
        if support:
            score = min(1.0, score + CONTEXT_BOOST)
        if score < MIN_SCORE:
            return None
        return Candidate(self.type, start, end, score, self.name, bool(verdict))

    def context_support(self, text: str, start: int) -> bool | None:
        """The nearest context word before ``start``: True supporting, False contradicting, None none."""
        if self._any_context_re is None:
            return None
        window = text[max(0, start - self.context_window) : start]
        if self._any_context_re.search(window) is None:
            return None
        if "]" in window:  # a placeholder of an earlier mask ([银行卡号1]) is no cue: masking stays idempotent
            # blanked whole, even where the window starts inside it (the hash [银行卡号#nwgcwxipak] holds "wx")
            wider = text[max(0, start - self.context_window - _PLACEHOLDER_MAX) : start]
            window = PLACEHOLDER.sub(lambda hit: " " * len(hit.group()), wider)[-self.context_window :]
        positive = _last_hit(self._context_re, window)
        negative = _last_hit(self._negative_re, window)
        if positive < 0 and negative < 0:
            return None
        return positive > negative


def partial_mask(canonical: str, prefix: int, suffix: int) -> str:
    """Keep ``prefix`` and ``suffix`` characters, star the rest (at least one character starred)."""
    if len(canonical) <= prefix + suffix:
        return MASK_CHAR * len(canonical)
    tail = canonical[len(canonical) - suffix :] if suffix else ""
    return canonical[:prefix] + MASK_CHAR * (len(canonical) - prefix - suffix) + tail


@cache
def case_variants(chars: str) -> frozenset[str]:
    """``chars`` plus every character an IGNORECASE regex treats as one of them (k: K, i: İ ı).

    Non-ASCII characters whose case folds onto ASCII all lie below U+2200 (İ ı ſ K), so that range
    is scanned; a test checks the whole of Unicode for the ASCII letters.
    """
    if not chars:
        return frozenset()
    same = re.compile("[" + "".join(re.escape(char) for char in set(chars)) + "]", re.IGNORECASE)
    found = {char for char in map(chr, range(0x2200)) if same.fullmatch(char)}
    return frozenset(found | set(chars) | set(chars.lower()) | set(chars.upper()))


def _words_regex(words: Sequence[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    return re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)


def _last_hit(regex: re.Pattern[str] | None, window: str) -> int:
    """End position of the last occurrence of any word in ``window`` (-1 if none)."""
    if regex is None:
        return -1
    last = -1
    for match in regex.finditer(window):
        last = match.end()
    return last
