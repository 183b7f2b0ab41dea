"""Read ``guardrails/config/pii.yaml``: each type's 个保法 第28条 class, label and context words.

The file is data a compliance officer can review; this module only turns it into typed values and
fails loudly at import if it is malformed, so a typo never silently disables a type.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from knowledge.datafile import DataError, DataModel, load_yaml, validate_data

CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"
PII_CONFIG = CONFIG_DIR / "pii.yaml"


class PiiConfigError(DataError):
    """The personal-data configuration file is malformed."""


class MaskWidth(DataModel):
    prefix: int = Field(default=0, ge=0)
    suffix: int = Field(default=0, ge=0)


class TypeEntry(DataModel):
    """One built-in type in pii.yaml."""

    class_: Literal["sensitive", "general"] = Field(alias="class")
    label: str = Field(min_length=1)
    mask: MaskWidth = MaskWidth()
    context: list[str] = Field(default_factory=list)
    negative_context: list[str] = Field(default_factory=list)


class PiiFile(DataModel):
    """guardrails/config/pii.yaml."""

    sensitive_mask_operator: Literal["placeholder", "mask", "redact", "hash"] = "placeholder"
    redact_text: str = "[已删除]"
    types: dict[str, TypeEntry]
    priority: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class TypeSpec:
    """What csbot knows about one kind of personal data."""

    type: str
    sensitive: bool
    label: str
    mask_prefix: int
    mask_suffix: int
    context: tuple[str, ...]
    negative_context: tuple[str, ...]


@dataclass(frozen=True)
class PiiConfig:
    types: dict[str, TypeSpec]
    priority: tuple[str, ...]
    sensitive_mask_operator: str
    redact_text: str


def _type_spec(name: str, entry: TypeEntry) -> TypeSpec:
    return TypeSpec(
        type=name,
        sensitive=entry.class_ == "sensitive",
        label=entry.label,
        mask_prefix=entry.mask.prefix,
        mask_suffix=entry.mask.suffix,
        context=tuple(entry.context),
        negative_context=tuple(entry.negative_context),
    )


def parse_config(raw: Any, path: Path = PII_CONFIG) -> PiiConfig:
    """Validate the loaded YAML document (errors name the file and line)."""
    try:
        model = validate_data({} if raw is None else raw, PiiFile, path)
    except DataError as error:
        raise PiiConfigError(str(error), error.problems) from error
    types = {name: _type_spec(name, entry) for name, entry in model.types.items()}
    priority = tuple(model.priority or types)
    unknown = set(priority) - set(types)
    if unknown:
        raise PiiConfigError(f"{path.name}: priority names unknown types: {sorted(unknown)}")
    return PiiConfig(
        types=types,
        priority=priority + tuple(name for name in types if name not in priority),
        sensitive_mask_operator=model.sensitive_mask_operator,
        redact_text=model.redact_text,
    )


def load_config_file(path: Path) -> PiiConfig:
    try:
        raw = load_yaml(path)
    except DataError as error:
        raise PiiConfigError(str(error), error.problems) from error
    return parse_config(raw, path)


@cache
def load_config() -> PiiConfig:
    return load_config_file(PII_CONFIG)


def unknown_type(entity_type: str) -> TypeSpec:
    """What a type nobody declared counts as: sensitive (the safe default), labelled by its id."""
    return TypeSpec(entity_type, True, entity_type, 0, 0, (), ())


def type_spec(entity_type: str) -> TypeSpec:
    """The spec of a type as the default registry knows it (built-in and the company's custom types).

    The registry (``guardrails.pii.registry``) is the one source of types; this is its shortcut for
    code that masks with the default registry.
    """
    from guardrails.pii.registry import default_registry

    return default_registry().type_spec(entity_type)


# The built-in types' labels and classes (pii.yaml); the registry adds the company's custom types.
TYPE_LABELS_ZH: dict[str, str] = {name: spec.label for name, spec in load_config().types.items()}
SENSITIVE_TYPES: frozenset[str] = frozenset(name for name, spec in load_config().types.items() if spec.sensitive)
