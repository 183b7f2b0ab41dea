"""Required reply elements (bot/config/elements.yaml): what a reply at a step must contain.

The procedure names the elements; this module turns them into concrete strings for one case (the
case number, the facts collected, the remedies allowed) that the output rails look for, and the
fallback sentence they append when the draft forgot one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from knowledge.datafile import DataModel, load_model

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


class ElementEntry(DataModel):
    description: str = ""
    any_of: list[str] = Field(min_length=1)
    fallback: str = Field(min_length=1)


class ElementsFile(DataModel):
    """bot/config/elements.yaml."""

    elements: dict[str, ElementEntry]


def load_elements(path: Path = ELEMENTS_FILE) -> dict[str, ElementSpec]:
    model = load_model(path, ElementsFile)
    return {
        name: ElementSpec(name, tuple(item.any_of), item.fallback, item.description)
        for name, item in model.elements.items()
    }


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
