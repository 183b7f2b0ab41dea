"""Resolve the many spellings of a law name to its full name.

Sources, in order: the exact full name; the name without 中华人民共和国; the alias table in
``knowledge/data/law_aliases.yaml`` (消法, 个保法 …); the repealed-law table (合同法 …).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import Field

from knowledge.datafile import DataModel, load_model
from knowledge.numerals import PRC_PREFIX
from knowledge.repealed import repealed_names

_STRIP = re.compile(r"[\s《》<>〈〉“”\"]")


@lru_cache(maxsize=1)
def alias_table() -> dict[str, str]:
    """alias -> full name, from the shipped data file."""
    path = Path(str(resources.files("knowledge") / "data" / "law_aliases.yaml"))
    model = load_model(path, LawAliasesFile)
    return {alias: full_name for full_name, aliases in model.aliases.items() for alias in aliases}


class LawAliasesFile(DataModel):
    """knowledge/data/law_aliases.yaml: full law name → the short names customers use."""

    aliases: dict[str, list[str]] = Field(default_factory=dict)


def clean_name(name: str) -> str:
    """Remove book-title marks and whitespace: 《 民法典 》 -> 民法典."""
    return _STRIP.sub("", name)


class LawNameResolver:
    """Spelling -> full name over the laws of one statute store plus the repealed laws."""

    def __init__(self, known_laws: dict[str, str] | set[str]) -> None:
        self._known = set(known_laws)
        self._repealed = repealed_names()
        self._lookup: dict[str, str] = {}
        for law in self._known:
            self._lookup.setdefault(law.removeprefix(PRC_PREFIX), law)
            self._lookup[law] = law
        for alias, full in alias_table().items():
            if full in self._known:
                self._lookup.setdefault(alias, full)
        for spelling, full in self._repealed.items():
            self._lookup.setdefault(spelling, full)

    def resolve(self, name: str) -> str | None:
        cleaned = clean_name(name)
        return self._lookup.get(cleaned) or self._lookup.get(cleaned.removeprefix(PRC_PREFIX))

    def is_repealed(self, full_name: str) -> bool:
        return full_name in set(self._repealed.values()) and full_name not in self._known

    def spellings(self) -> list[str]:
        """Every known spelling, longest first (for regex alternation in citation parsing)."""
        return sorted(self._lookup, key=len, reverse=True)
