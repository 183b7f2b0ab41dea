"""Read ``guardrails/config/pii.yaml``: each type's 个保法 第28条 class, label and context words.

The file is data a compliance officer can review; this module only turns it into typed values and
fails loudly at import if it is malformed, so a typo never silently disables a type.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"
PII_CONFIG = CONFIG_DIR / "pii.yaml"


class PiiConfigError(ValueError):
    """The personal-data configuration file is malformed."""


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


def _type_spec(name: str, raw: dict[str, Any]) -> TypeSpec:
    try:
        klass = raw["class"]
        if klass not in ("sensitive", "general"):
            raise PiiConfigError(f"type {name!r}: class must be sensitive or general, not {klass!r}")
        mask = raw.get("mask") or {}
        return TypeSpec(
            type=name,
            sensitive=klass == "sensitive",
            label=str(raw["label"]),
            mask_prefix=int(mask.get("prefix", 0)),
            mask_suffix=int(mask.get("suffix", 0)),
            context=tuple(str(word) for word in raw.get("context") or ()),
            negative_context=tuple(str(word) for word in raw.get("negative_context") or ()),
        )
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, PiiConfigError):
            raise
        raise PiiConfigError(f"type {name!r} in {PII_CONFIG.name}: {error!r}") from error


def parse_config(raw: Any) -> PiiConfig:
    """Validate the loaded YAML document."""
    if not isinstance(raw, dict) or not isinstance(raw.get("types"), dict):
        raise PiiConfigError(f"{PII_CONFIG.name} must be a mapping with a 'types' mapping")
    types = {name: _type_spec(name, spec or {}) for name, spec in raw["types"].items()}
    priority = tuple(raw.get("priority") or types)
    unknown = set(priority) - set(types)
    if unknown:
        raise PiiConfigError(f"priority names unknown types: {sorted(unknown)}")
    return PiiConfig(
        types=types,
        priority=priority + tuple(name for name in types if name not in priority),
        sensitive_mask_operator=str(raw.get("sensitive_mask_operator", "placeholder")),
        redact_text=str(raw.get("redact_text", "[已删除]")),
    )


@cache
def load_config() -> PiiConfig:
    with PII_CONFIG.open(encoding="utf-8") as handle:
        return parse_config(yaml.safe_load(handle))


_CUSTOM_TYPES: dict[str, TypeSpec] = {}


def register_type(spec: TypeSpec) -> None:
    """Make a company-defined type (from custom_recognizers.yaml) known to the maskers."""
    _CUSTOM_TYPES[spec.type] = spec


def type_spec(entity_type: str) -> TypeSpec:
    """The spec of a type; an unknown type counts as sensitive (the safe default)."""
    spec = load_config().types.get(entity_type) or _CUSTOM_TYPES.get(entity_type)
    if spec is None:
        return TypeSpec(entity_type, True, entity_type, 0, 0, (), ())
    return spec


TYPE_LABELS_ZH: dict[str, str] = {name: spec.label for name, spec in load_config().types.items()}
SENSITIVE_TYPES: frozenset[str] = frozenset(name for name, spec in load_config().types.items() if spec.sensitive)
