"""``detect()``: normalise, run the recognisers, resolve overlaps, map spans back.

Overlap rule (deterministic, stated once): a validated match (checksum, date) beats an unvalidated
one; then the longer span wins; then the higher score; then the type listed earlier in
``pii.yaml``'s ``priority``; then the earlier start.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Sequence
from functools import cache

from guardrails.pii.config import load_config
from guardrails.pii.lexicon import lexicon
from guardrails.pii.nfkc_offsets import normalize
from guardrails.pii.recognizer import PLACEHOLDER, Candidate
from guardrails.pii.recognizers.jieba_words import held_words
from guardrails.pii.registry import RecognizerRegistry, default_registry
from guardrails.types import Entity


@cache
def _product_code() -> re.Pattern[str] | None:
    pattern = (lexicon().get("names") or {}).get("product_code_after")
    return re.compile(str(pattern)) if pattern else None


def drop_brands(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """A name-like word right before a model code (戴森 V12, 小米13) is a brand, not a person."""
    code = _product_code()
    if code is None or not any(c.type == "name" for c in candidates):
        return candidates
    return [c for c in candidates if c.type != "name" or code.match(text, c.end) is None]


@cache
def _name_shape() -> re.Pattern[str] | None:
    pattern = (lexicon().get("names") or {}).get("value_shape")
    return re.compile(str(pattern)) if pattern else None


_MASKED_RUN = re.compile(r"[0-9A-Za-z*]*\*\*[0-9A-Za-z*]*")


def drop_garbled_names(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """A name is letters only (``names.value_shape``) and never glued to a placeholder.

    A span holding a digit or a control character (谢0) is a tagging accident. A name starting
    where a placeholder or a masked run ends or ending where one begins (谢伟[手机号1], 130****0001谢伟)
    is a guess the first pass did
    not make on the raw value (the tagger read 谢伟13912345678 differently): reporting it now would
    mask already-masked text again, and masking must be idempotent.
    """
    if not any(c.type == "name" for c in candidates):
        return candidates
    shape = _name_shape()
    edges: set[int] = set()
    if "]" in text:
        for hit in PLACEHOLDER.finditer(text):
            edges.update(hit.span())
    if "**" in text:  # the mask operator's output (130****0001) is a placeholder too
        for hit in _MASKED_RUN.finditer(text):
            edges.update(hit.span())
    return [
        c
        for c in candidates
        if c.type != "name"
        or (
            (shape is None or shape.fullmatch(text, c.start, c.end) is not None)
            and c.start not in edges
            and c.end not in edges
        )
    ]


@cache
def _priority_rank() -> dict[str, int]:
    return {name: index for index, name in enumerate(load_config().priority)}


def resolve_overlaps(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Keep a set of non-overlapping candidates, chosen by the rule in the module docstring."""
    if len(candidates) < 2:
        return list(candidates)
    rank = _priority_rank()
    ordered = sorted(
        candidates,
        key=lambda c: (not c.validated, -(c.end - c.start), -c.score, rank.get(c.type, len(rank)), c.start),
    )
    # The kept spans never overlap, so sorted by start their ends are sorted too: a new candidate
    # can only overlap its two neighbours (bisect), which keeps a 1 MB message near-linear.
    kept: list[Candidate] = []
    starts: list[int] = []
    for candidate in ordered:
        index = bisect_right(starts, candidate.start)
        if index and kept[index - 1].end > candidate.start:
            continue
        if index < len(kept) and kept[index].start < candidate.end:
            continue
        starts.insert(index, candidate.start)
        kept.insert(index, candidate)
    return kept


def detect(
    text: str, types: Collection[str] | None = None, *, registry: RecognizerRegistry | None = None
) -> list[Entity]:
    """Personal data in ``text``; offsets index the ORIGINAL text, overlaps resolved, sorted by start."""
    if not text:
        return []
    normalized = normalize(text)
    searched = normalized.text
    present = set(searched)  # once per text: a recogniser whose characters are all absent is skipped
    candidates: list[Candidate] = []
    registry = registry or default_registry()
    with held_words(searched):  # the name recognisers share one segmentation of this text
        for required, trigger, find in registry.gates(types):
            if required is not None and present.isdisjoint(required):
                continue
            if trigger is not None and trigger(searched) is None:
                continue
            found = find(searched)
            if found:
                candidates.extend(found)
    candidates = drop_garbled_names(searched, drop_brands(searched, candidates))
    if not candidates:
        return []
    entities: list[Entity] = []
    for candidate in resolve_overlaps(candidates):
        start, end = normalized.span(candidate.start, candidate.end)
        entities.append(
            Entity(
                type=candidate.type,
                start=start,
                end=end,
                score=candidate.score,
                sensitive=registry.type_spec(candidate.type).sensitive,
                recognizer=candidate.recognizer,
                value=text[start:end],
            )
        )
    return entities
