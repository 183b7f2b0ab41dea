"""Colloquial-to-legal query expansion, driven by ``knowledge/data/expansions.yaml``.

Customers write 假货, 跑路, 泄露我电话; the statutes write 欺诈, 预收款, 个人信息 泄露. Matching is
by substring on the raw query (jieba cannot be trusted to keep colloquial phrases whole).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Expansion:
    when: tuple[str, ...]
    add: tuple[str, ...]
    with_all: tuple[str, ...] = ()

    def fires(self, query: str) -> bool:
        return any(w in query for w in self.when) and all(w in query for w in self.with_all)


def parse_expansions(data: object, origin: str = "expansions.yaml") -> tuple[Expansion, ...]:
    """Validate and convert the YAML document; raises ValueError naming the bad entry."""
    if not isinstance(data, dict) or not isinstance(data.get("expansions"), list):
        raise ValueError(f"{origin}: expected a mapping with an 'expansions' list")
    table = []
    for position, entry in enumerate(data["expansions"], start=1):
        if not isinstance(entry, dict):
            raise ValueError(f"{origin}: entry #{position} is not a mapping")
        when, add = entry.get("when"), entry.get("add")
        if not isinstance(when, list) or not when or not isinstance(add, list) or not add:
            raise ValueError(f"{origin}: entry #{position} needs non-empty 'when' and 'add' lists")
        with_all = entry.get("with") or []
        table.append(Expansion(tuple(map(str, when)), tuple(map(str, add)), tuple(map(str, with_all))))
    return tuple(table)


@lru_cache(maxsize=1)
def expansion_table() -> tuple[Expansion, ...]:
    text = (resources.files("knowledge") / "data" / "expansions.yaml").read_text(encoding="utf-8")
    return parse_expansions(yaml.safe_load(text))


def expand(query: str, table: tuple[Expansion, ...] | None = None) -> list[str]:
    """Legal terms to add to the query, each once, in table order."""
    added: dict[str, None] = {}
    for entry in table if table is not None else expansion_table():
        if entry.fires(query):
            added.update(dict.fromkeys(entry.add))
    return list(added)
