"""Per-query topic prior, driven by ``knowledge/data/topics.yaml``.

A question about 离婚 is answered in 民法典's 婚姻家庭编, one about 加班费 in 劳动合同法, whatever
other law happens to share its words. When a topic's cue word occurs in the query, the articles of
the topic's laws (or of a part of a law, given as an article range) gain a flat boost; the core-law
prior (:mod:`knowledge.scope`) does the same for the customer-service laws on every query.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from pydantic import Field

from knowledge.datafile import DataModel, load_yaml_text, validate_data
from knowledge.expansion import entry_lines


@dataclass(frozen=True)
class Target:
    """A whole law (``first`` and ``last`` None) or an inclusive article range of it."""

    law: str
    first: int | None = None
    last: int | None = None

    def covers(self, law: str | None, article: int | None) -> bool:
        if law != self.law:
            return False
        if self.first is None or self.last is None:
            return True
        return article is not None and self.first <= article <= self.last


@dataclass(frozen=True)
class Topic:
    name: str
    when: tuple[str, ...]
    targets: tuple[Target, ...]
    with_all: tuple[str, ...] = ()

    def fires(self, query: str) -> bool:
        return any(w in query for w in self.when) and all(w in query for w in self.with_all)


def _words(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(w, str | int) and str(w).strip() for w in value)


def _target(raw: object, where: str) -> Target:
    if not isinstance(raw, dict) or not isinstance(raw.get("law"), str) or not raw["law"].strip():
        raise ValueError(f"{where}: every entry of 'laws' needs a 'law' name")
    span = raw.get("articles")
    if span is None:
        return Target(raw["law"].strip())
    valid = isinstance(span, list) and len(span) == 2 and all(isinstance(n, int) and n > 0 for n in span)
    if not valid or span[0] > span[1]:
        raise ValueError(f"{where}: 'articles' of {raw['law']} must be [first, last], positive, first <= last")
    return Target(raw["law"].strip(), span[0], span[1])


def parse_topics(data: object, origin: str = "topics.yaml", lines: Sequence[int] | None = None) -> tuple[Topic, ...]:
    """Validate and convert the YAML document; raises ValueError naming the file, entry and line."""
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise ValueError(f"{origin}: expected a mapping with a 'topics' list")
    topics = []
    for position, entry in enumerate(data["topics"], start=1):
        line = f" (line {lines[position - 1]})" if lines and position <= len(lines) else ""
        where = f"{origin}: entry #{position}{line}"
        if not isinstance(entry, dict):
            raise ValueError(f"{where} is not a mapping")
        if not _words(entry.get("when")):
            raise ValueError(f"{where} needs a non-empty 'when' list of words")
        if entry.get("with") is not None and not _words(entry["with"]):
            raise ValueError(f"{where} has a 'with' that is not a list of words")
        if not isinstance(entry.get("laws"), list) or not entry["laws"]:
            raise ValueError(f"{where} needs a non-empty 'laws' list")
        targets = tuple(_target(raw, where) for raw in entry["laws"])
        name = str(entry.get("name") or f"#{position}")
        topics.append(Topic(name, tuple(map(str, entry["when"])), targets, tuple(map(str, entry.get("with") or []))))
    return tuple(topics)


class TopicLaw(DataModel):
    law: Any = None
    articles: Any = None


class TopicEntry(DataModel):
    name: Any = None
    when: Any = None
    with_: Any = Field(default=None, alias="with")
    laws: list[TopicLaw] = Field(default_factory=list)


class TopicsFile(DataModel):
    """knowledge/data/topics.yaml: the values are checked by ``parse_topics``, the keys here."""

    topics: list[TopicEntry] = Field(default_factory=list)


def load_topics_text(text: str, origin: str = "topics.yaml") -> tuple[Topic, ...]:
    try:
        data, lines = yaml.safe_load(text), entry_lines(text, "topics")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ValueError(f"{origin}:{where} is not valid YAML ({getattr(error, 'problem', error)})") from error
    topics = parse_topics(data, origin, lines)
    validate_data(load_yaml_text(text, Path(origin)), TopicsFile, Path(origin))  # unknown keys
    return topics


@lru_cache(maxsize=1)
def topic_table() -> tuple[Topic, ...]:
    return load_topics_text((resources.files("knowledge") / "data" / "topics.yaml").read_text(encoding="utf-8"))


class TopicPrior:
    """One boolean mask per topic over the index's passages; ``mask(query)`` ORs the fired ones."""

    def __init__(
        self,
        records: Sequence[dict[str, Any]],
        resolve: Callable[[str], str | None],
        topics: Sequence[Topic] | None = None,
    ) -> None:
        self.topics = tuple(topics if topics is not None else topic_table())
        laws = np.array([r["law"] or "" for r in records], dtype=object)
        articles = np.array([r["article"] if r["article"] is not None else -1 for r in records], dtype=np.int64)
        self._masks = [self._topic_mask(topic, laws, articles, resolve) for topic in self.topics]
        self._size = len(records)

    @staticmethod
    def _topic_mask(
        topic: Topic, laws: np.ndarray, articles: np.ndarray, resolve: Callable[[str], str | None]
    ) -> np.ndarray:
        mask = np.zeros(len(laws), dtype=bool)
        for target in topic.targets:
            in_law = laws == (resolve(target.law) or target.law)
            if target.first is not None and target.last is not None:
                in_law &= (articles >= target.first) & (articles <= target.last)
            mask |= in_law
        return mask

    def fired(self, query: str) -> list[str]:
        return [topic.name for topic in self.topics if topic.fires(query)]

    def mask(self, query: str) -> np.ndarray:
        """Passages of every topic the query names (all False when none fires)."""
        out = np.zeros(self._size, dtype=bool)
        for topic, mask in zip(self.topics, self._masks, strict=True):
            if topic.fires(query):
                out |= mask
        return out
