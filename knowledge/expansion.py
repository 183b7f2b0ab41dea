"""Colloquial-to-legal query expansion, driven by ``knowledge/data/expansions.yaml`` and the topic
files in ``knowledge/data/expansions/*.yaml`` (labour, family, property, torts ... one file per area).

Customers write 假货, 跑路, 泄露我电话; the statutes write 欺诈, 预收款, 个人信息 泄露. Matching is
by substring on the raw query (jieba cannot be trusted to keep colloquial phrases whole).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field

from knowledge.datafile import DataModel, load_yaml_text, validate_data


@dataclass(frozen=True)
class Expansion:
    when: tuple[str, ...]
    add: tuple[str, ...]
    with_all: tuple[str, ...] = ()

    def fires(self, query: str) -> bool:
        return any(w in query for w in self.when) and all(w in query for w in self.with_all)


def _where(origin: str, position: int, lines: Sequence[int] | None) -> str:
    """``file: entry #N (line L)`` so a bad entry can be found in a long table."""
    line = f" (line {lines[position - 1]})" if lines and position <= len(lines) else ""
    return f"{origin}: entry #{position}{line}"


def _words(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(w, str | int) and str(w).strip() for w in value)


def parse_expansions(
    data: object, origin: str = "expansions.yaml", lines: Sequence[int] | None = None
) -> tuple[Expansion, ...]:
    """Validate and convert the YAML document; raises ValueError naming the file, entry and line."""
    if not isinstance(data, dict) or not isinstance(data.get("expansions"), list):
        raise ValueError(f"{origin}: expected a mapping with an 'expansions' list")
    table = []
    for position, entry in enumerate(data["expansions"], start=1):
        if not isinstance(entry, dict):
            raise ValueError(f"{_where(origin, position, lines)} is not a mapping")
        when, add, with_all = entry.get("when"), entry.get("add"), entry.get("with")
        if not _words(when) or not _words(add):
            raise ValueError(f"{_where(origin, position, lines)} needs non-empty 'when' and 'add' lists of words")
        if with_all is not None and not _words(with_all):
            raise ValueError(f"{_where(origin, position, lines)} has a 'with' that is not a list of words")
        words = (tuple(map(str, entry["when"])), tuple(map(str, entry["add"])), tuple(map(str, with_all or [])))
        table.append(Expansion(*words))
    return tuple(table)


class ExpansionEntry(DataModel):
    when: Any = None
    add: Any = None
    with_: Any = Field(default=None, alias="with")


class ExpansionsFile(DataModel):
    """knowledge/data/expansions*.yaml: the values are checked by ``parse_expansions``, the keys here."""

    expansions: list[ExpansionEntry] = Field(default_factory=list)


def entry_lines(text: str, key: str = "expansions") -> list[int]:
    """1-based line of every item of the document's top-level ``key`` list (for error messages)."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.MappingNode):
        return []
    for name, value in node.value:
        if name.value == key and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def load_expansion_text(text: str, origin: str) -> tuple[Expansion, ...]:
    """Parse one table file; a YAML syntax error is reported with the file name and line too."""
    try:
        data, lines = yaml.safe_load(text), entry_lines(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ValueError(f"{origin}:{where} is not valid YAML ({getattr(error, 'problem', error)})") from error
    table = parse_expansions(data, origin, lines)
    validate_data(load_yaml_text(text, Path(origin)), ExpansionsFile, Path(origin))  # unknown keys
    return table


def table_files(data_dir: Path) -> list[Path]:
    """The main table, then every topic file of ``expansions/`` in name order."""
    folder = data_dir / "expansions"
    topic_files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    return [data_dir / "expansions.yaml", *topic_files]


def load_expansion_files(paths: Sequence[Path], base: Path | None = None) -> tuple[Expansion, ...]:
    """Every table in order; errors name the file relative to ``base`` (the data folder)."""
    table: list[Expansion] = []
    for path in paths:
        origin = str(path.relative_to(base)) if base is not None and path.is_relative_to(base) else path.name
        table.extend(load_expansion_text(path.read_text(encoding="utf-8"), origin))
    return tuple(table)


@lru_cache(maxsize=1)
def expansion_table() -> tuple[Expansion, ...]:
    data_dir = Path(str(resources.files("knowledge") / "data"))
    return load_expansion_files(table_files(data_dir), data_dir)


def expand(query: str, table: tuple[Expansion, ...] | None = None) -> list[str]:
    """Legal terms to add to the query, each once, in table order."""
    added: dict[str, None] = {}
    for entry in table if table is not None else expansion_table():
        if entry.fires(query):
            added.update(dict.fromkeys(entry.add))
    return list(added)
