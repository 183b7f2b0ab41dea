"""Repealed laws and their successors, read from ``knowledge/data/repealed_laws.yaml``.

A repealed law (合同法, 侵权责任法 …) is not in laws.db at all, so citation checks and law-name
resolution consult this table to name the successor and, where known, the successor articles.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import Field

from knowledge.datafile import DataModel, load_yaml, validate_data
from knowledge.numerals import PRC_PREFIX


@dataclass(frozen=True)
class RepealedLaw:
    name: str
    aliases: tuple[str, ...]
    repealed_on: str | None
    successor: str | None
    source: str | None
    article_map: dict[int, tuple[int, ...]]


class ArticleMove(DataModel):
    old: int
    new: list[int] | int = Field(default_factory=list)
    topic: str = ""
    source: str = ""


class RepealedEntry(DataModel):
    name: str
    aliases: list[str] = Field(default_factory=list)
    repealed_on: str | None = None
    successor: str | None = None
    source: str | None = None
    articles: list[ArticleMove] = Field(default_factory=list)


class RepealedFile(DataModel):
    """knowledge/data/repealed_laws.yaml."""

    laws: list[RepealedEntry] = Field(default_factory=list)


def _data_path() -> Path:
    return Path(str(resources.files("knowledge") / "data" / "repealed_laws.yaml"))


def parse_repealed(data: object, origin: str) -> dict[str, RepealedLaw]:
    """Turn the YAML document into ``{full name: RepealedLaw}``; a malformed entry raises ValueError."""
    if data is None:
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("laws", []), list):
        raise ValueError(f"{origin}: expected a mapping with a 'laws' list")
    table: dict[str, RepealedLaw] = {}
    for position, entry in enumerate(data.get("laws") or [], start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ValueError(f"{origin}: law #{position} has no name")
        article_map: dict[int, tuple[int, ...]] = {}
        for mapping in entry.get("articles") or []:
            new = mapping.get("new") or []
            article_map[int(mapping["old"])] = tuple(int(n) for n in (new if isinstance(new, list) else [new]))
        table[entry["name"]] = RepealedLaw(
            name=entry["name"],
            aliases=tuple(str(a) for a in entry.get("aliases") or ()),
            repealed_on=entry.get("repealed_on"),
            successor=entry.get("successor"),
            source=entry.get("source"),
            article_map=article_map,
        )
    return table


@lru_cache(maxsize=1)
def repealed_laws() -> dict[str, RepealedLaw]:
    """The shipped table; empty when the data file is absent."""
    path = _data_path()
    if not path.exists():
        return {}
    raw = load_yaml(path)
    table = parse_repealed(raw, str(path))
    validate_data({} if raw is None else raw, RepealedFile, path)  # unknown keys
    return table


def repealed_names() -> dict[str, str]:
    """Every spelling of a repealed law (full name, without prefix, aliases) -> full name."""
    names: dict[str, str] = {}
    for law in repealed_laws().values():
        for spelling in (law.name, law.name.removeprefix(PRC_PREFIX), *law.aliases):
            names[spelling] = law.name
    return names
