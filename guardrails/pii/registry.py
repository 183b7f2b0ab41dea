"""The registry of recognisers: the built-in ones plus any a company declares in YAML.

A company adds its own kind (a membership card, an employee number) in
``guardrails/config/custom_recognizers.yaml`` without writing code::

    recognizers:
      - name: member_card
        type: member_card
        label: 会员卡号
        class: general            # or sensitive (个保法 第28条)
        patterns: [{name: member, regex: "M\\d{10}", score: 0.6}]
        context: [会员卡, 会员号]
        negative_context: [订单]
        deny_list: [M0000000000]
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from guardrails.pii.config import CONFIG_DIR, PiiConfigError, TypeSpec, load_config, register_type
from guardrails.pii.recognizer import Gate, Pattern, Recognizer
from guardrails.pii.recognizers import BUILTIN

CUSTOM_RECOGNIZERS = CONFIG_DIR / "custom_recognizers.yaml"


class RecognizerRegistry:
    """Recognisers by name, each knowing the type it reports."""

    def __init__(self, recognizers: Iterable[Recognizer] = ()) -> None:
        self._recognizers: dict[str, Recognizer] = {}
        self._selection: dict[frozenset[str] | None, list[Recognizer]] = {}
        self._gates: dict[frozenset[str] | None, tuple[Gate, ...]] = {}
        for recognizer in recognizers:
            self.add(recognizer)

    def add(self, recognizer: Recognizer) -> None:
        if recognizer.name in self._recognizers:
            raise ValueError(f"a recognizer named {recognizer.name!r} is already registered")
        self._recognizers[recognizer.name] = recognizer
        self._selection = {}
        self._gates = {}

    def get(self, name: str) -> Recognizer:
        return self._recognizers[name]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._recognizers)

    @property
    def types(self) -> frozenset[str]:
        return frozenset(recognizer.type for recognizer in self._recognizers.values())

    def for_types(self, types: Collection[str] | None) -> list[Recognizer]:
        """The recognisers reporting these types (all when None); the selection is cached."""
        key = None if types is None else frozenset(types)
        selected = self._selection.get(key)
        if selected is None:
            unknown = (key or frozenset()) - self.types
            if unknown:
                raise ValueError(f"unknown personal-data types: {sorted(unknown)}; known: {sorted(self.types)}")
            selected = [r for r in self._recognizers.values() if key is None or r.type in key]
            self._selection[key] = selected
        return selected

    def gates(self, types: Collection[str] | None) -> tuple[Gate, ...]:
        """``for_types`` as ``detect`` runs them (see ``Recognizer.gate``); cached per selection."""
        key = None if types is None else frozenset(types)
        gates = self._gates.get(key)
        if gates is None:
            gates = self._gates[key] = tuple(recognizer.gate() for recognizer in self.for_types(key))
        return gates


def builtin_recognizers() -> list[Recognizer]:
    """Instantiate every built-in recogniser with the context words from pii.yaml."""
    config = load_config()
    found: list[Recognizer] = []
    for cls in BUILTIN:
        spec = config.types[cls.type]
        found.append(cls(context=spec.context, negative_context=spec.negative_context))
    return found


def custom_recognizers(raw: Any, source: str = "custom recognizers") -> list[Recognizer]:
    """Build recognisers from a parsed YAML document; raise PiiConfigError naming what is wrong."""
    if raw is None:
        return []
    if not isinstance(raw, dict) or not isinstance(raw.get("recognizers", []), list):
        raise PiiConfigError(f"{source}: expected a mapping with a 'recognizers' list")
    return [_custom(entry, source) for entry in raw.get("recognizers") or []]


def _custom(entry: Any, source: str) -> Recognizer:
    if not isinstance(entry, dict) or "name" not in entry or "patterns" not in entry:
        raise PiiConfigError(f"{source}: each recognizer needs at least 'name' and 'patterns'")
    name = str(entry["name"])
    entity_type = str(entry.get("type", name))
    try:
        patterns = [
            Pattern(str(item["name"]), str(item["regex"]), float(item.get("score", 0.6))) for item in entry["patterns"]
        ]
    except (KeyError, TypeError, ValueError, re.error) as error:
        raise PiiConfigError(f"{source}: recognizer {name!r} has a bad pattern: {error}") from error
    if entity_type not in load_config().types:
        klass = entry.get("class", "sensitive")
        if klass not in ("sensitive", "general"):
            raise PiiConfigError(f"{source}: recognizer {name!r}: class must be sensitive or general")
        register_type(TypeSpec(entity_type, klass == "sensitive", str(entry.get("label", entity_type)), 0, 0, (), ()))
    return Recognizer(
        type=entity_type,
        name=name,
        patterns=patterns,
        context=[str(word) for word in entry.get("context") or ()],
        negative_context=[str(word) for word in entry.get("negative_context") or ()],
        deny_list=[str(word) for word in entry.get("deny_list") or ()],
    )


def load_custom_file(path: Path) -> list[Recognizer]:
    if not path.exists():
        return []
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise PiiConfigError(f"{path.name} is not valid YAML: {error}") from error
    return custom_recognizers(raw, path.name)


@cache
def default_registry() -> RecognizerRegistry:
    """Built-in recognisers plus the company's custom ones (built once per process)."""
    return RecognizerRegistry([*builtin_recognizers(), *load_custom_file(CUSTOM_RECOGNIZERS)])
