"""Required reply elements (bot/config/elements.yaml): what a reply at a step must contain.

The procedure names the elements; this module turns them into concrete strings for one case (the
case number, the facts collected, the remedies allowed) that the output rails look for, and the
fallback sentence they append when the draft forgot one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.yamlmarks import DataError, load_yaml, where

ELEMENTS_FILE = Path(__file__).resolve().parent / "config" / "elements.yaml"


@dataclass(frozen=True)
class ElementSpec:
    name: str
    any_of: tuple[str, ...]
    fallback: str
    description: str = ""


@dataclass(frozen=True)
class Element:
    """An element made concrete for one case: the draft must contain one of ``any_of``."""

    name: str
    any_of: tuple[str, ...]
    fallback: str


def load_elements(path: Path = ELEMENTS_FILE) -> dict[str, ElementSpec]:
    raw = load_yaml(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("elements"), dict):
        raise DataError(f"{path.name}:1: expected a top-level 'elements' mapping")
    specs = {}
    for name, item in raw["elements"].items():
        if not isinstance(item, dict) or not item.get("any_of") or not item.get("fallback"):
            raise DataError(f"{where(path, item)}: element '{name}' needs 'any_of' and 'fallback'")
        specs[name] = ElementSpec(name, tuple(item["any_of"]), str(item["fallback"]), str(item.get("description", "")))
    return specs


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def resolve_elements(
    specs: Mapping[str, ElementSpec],
    names: Sequence[str],
    values: Mapping[str, str],
    fact_values: Sequence[str] = (),
    remedy_values: Sequence[str] = (),
) -> tuple[Element, ...]:
    """Concrete elements for the given names; an element with nothing to look for is dropped."""
    fields = _Blank(values)
    elements = []
    for name in dict.fromkeys(names):
        spec = specs[name]
        any_of: list[str] = []
        for pattern in spec.any_of:
            if "{fact_values}" in pattern:
                any_of += list(fact_values)
            elif "{remedy_values}" in pattern:
                any_of += list(remedy_values)
            else:
                any_of.append(pattern.format_map(fields))
        any_of = [item for item in any_of if item]
        if any_of:
            elements.append(Element(name, tuple(any_of), spec.fallback.format_map(fields)))
    return tuple(elements)
