"""The facts a rights table needs, read from the customer's (masked) words with ``facts.yaml``.

Deliberately simple keyword and number patterns: a fact not found stays unknown, and the table's
general rule then states the law both ways instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from knowledge.datafile import DataError, load_yaml, validate_data
from knowledge.numerals import chinese_to_arabic

FACTS_FILE = Path(__file__).resolve().parent / "facts.yaml"


class _Pattern(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: str | bool
    pattern: str


class _Number(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pattern: str
    scale: float = 1


class _Kind(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str
    when: list[str]
    needs_any: list[str] = []  # when given, one of these facts must be known too (a service AND a harm)
    words: str | None = None


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    facts: dict[str, list[_Pattern]]
    numbers: dict[str, list[_Number]]
    kinds: list[_Kind]


@dataclass(frozen=True)
class FactReader:
    spec: _Spec

    def read(self, text: str) -> dict[str, object]:
        facts: dict[str, object] = {}
        for name, patterns in self.spec.facts.items():
            hit = next((p for p in patterns if re.search(p.pattern, text)), None)
            if hit is not None:
                facts[name] = hit.value
        for name, numbers in self.spec.numbers.items():
            for number in numbers:
                match = re.search(number.pattern, text)
                if match is None:
                    continue
                digits = next(g for g in match.groups() if g)
                value = float(digits) if digits[0].isdigit() else float(chinese_to_arabic(digits))
                facts[name] = int(value * number.scale) if (value * number.scale).is_integer() else value * number.scale
                break
        return facts

    def kind(self, facts: dict[str, object], text: str) -> str | None:
        for entry in self.spec.kinds:
            if entry.needs_any and not any(name in facts for name in entry.needs_any):
                continue
            if any(name in facts for name in entry.when) or (entry.words and re.search(entry.words, text)):
                return entry.kind
        return None


@lru_cache(maxsize=2)
def fact_reader(path: Path = FACTS_FILE) -> FactReader:
    spec = validate_data(load_yaml(path), _Spec, path)
    patterns: list[_Pattern | _Number] = [p for group in spec.facts.values() for p in group]
    patterns += [p for group in spec.numbers.values() for p in group]
    for p in patterns:
        try:
            re.compile(p.pattern)
        except re.error as error:
            raise DataError(f"{path.name}: bad pattern {p.pattern!r}: {error}") from error
    return FactReader(spec)
