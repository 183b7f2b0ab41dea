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

from collections.abc import Collection, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from guardrails.pii.config import CONFIG_DIR, PiiConfigError, TypeSpec, load_config, unknown_type
from guardrails.pii.recognizer import Gate, Pattern, Recognizer
from guardrails.pii.recognizers import BUILTIN
from knowledge.datafile import DataError, DataModel, Regex, load_yaml, validate_data

CUSTOM_RECOGNIZERS = CONFIG_DIR / "custom_recognizers.yaml"


class CustomPattern(DataModel):
    name: str
    regex: Regex
    score: float = Field(default=0.6, ge=0, le=1)


class CustomRecognizerEntry(DataModel):
    """One company recogniser in custom_recognizers.yaml."""

    name: str = Field(min_length=1)
    type: str | None = None
    label: str | None = None
    class_: Literal["sensitive", "general"] = Field(default="sensitive", alias="class")
    patterns: list[CustomPattern] = Field(min_length=1)
    context: list[str] = Field(default_factory=list)
    negative_context: list[str] = Field(default_factory=list)
    deny_list: list[str] = Field(default_factory=list)


class CustomRecognizersFile(DataModel):
    """guardrails/config/custom_recognizers.yaml."""

    recognizers: list[CustomRecognizerEntry] = Field(default_factory=list)


class CustomRecognizer(Recognizer):
    """A company recogniser together with the type it declares (label, class)."""

    def __init__(self, spec: TypeSpec, **fields: Any) -> None:
        super().__init__(**fields)
        self.type_declared = spec


class RecognizerRegistry:
    """Recognisers by name, each knowing the type it reports, and every type's spec.

    The one source of personal-data types: the built-in ones from pii.yaml and each custom
    recogniser's own type (label, class), so placeholders, masks and the output rail's check for
    invented placeholders all see the company's types too.
    """

    def __init__(self, recognizers: Iterable[Recognizer] = (), types: Mapping[str, TypeSpec] | None = None) -> None:
        self._recognizers: dict[str, Recognizer] = {}
        self._selection: dict[frozenset[str] | None, list[Recognizer]] = {}
        self._gates: dict[frozenset[str] | None, tuple[Gate, ...]] = {}
        self._types: dict[str, TypeSpec] = dict(load_config().types if types is None else types)
        for recognizer in recognizers:
            self.add(recognizer)

    def type_spec(self, entity_type: str) -> TypeSpec:
        """The spec of a type; a type nobody declared counts as sensitive (the safe default)."""
        return self._types.get(entity_type) or unknown_type(entity_type)

    @property
    def labels(self) -> dict[str, str]:
        """Type → Chinese label (the word inside a placeholder such as ``[会员卡号1]``)."""
        return {name: spec.label for name, spec in self._types.items()}

    def add(self, recognizer: Recognizer) -> None:
        if recognizer.name in self._recognizers:
            raise ValueError(f"a recognizer named {recognizer.name!r} is already registered")
        self._recognizers[recognizer.name] = recognizer
        declared = getattr(recognizer, "type_declared", None)
        if isinstance(declared, TypeSpec) and declared.type not in self._types:
            self._types[declared.type] = declared
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


def custom_recognizers(raw: Any, source: str | Path = "custom recognizers") -> list[Recognizer]:
    """Build recognisers from a parsed YAML document; raise PiiConfigError naming what is wrong.

    Each carries the type it declares; a registry it is added to learns that type (label, class).
    """
    if raw is None:
        return []
    try:
        model = validate_data(raw, CustomRecognizersFile, Path(source))
    except DataError as error:
        raise PiiConfigError(str(error), error.problems) from error
    return [_custom(entry) for entry in model.recognizers]


def _custom(entry: CustomRecognizerEntry) -> Recognizer:
    entity_type = entry.type or entry.name
    builtin = load_config().types.get(entity_type)
    spec = builtin or TypeSpec(entity_type, entry.class_ == "sensitive", entry.label or entity_type, 0, 0, (), ())
    return CustomRecognizer(
        spec,
        type=entity_type,
        name=entry.name,
        patterns=[Pattern(item.name, item.regex, item.score) for item in entry.patterns],
        context=list(entry.context),
        negative_context=list(entry.negative_context),
        deny_list=list(entry.deny_list),
    )


def load_custom_file(path: Path) -> list[Recognizer]:
    if not path.exists():
        return []
    try:
        raw = load_yaml(path)
    except DataError as error:
        raise PiiConfigError(str(error), error.problems) from error
    return custom_recognizers(raw, path)


@cache
def default_registry() -> RecognizerRegistry:
    """Built-in recognisers plus the company's custom ones (built once per process)."""
    return RecognizerRegistry([*builtin_recognizers(), *load_custom_file(CUSTOM_RECOGNIZERS)])
