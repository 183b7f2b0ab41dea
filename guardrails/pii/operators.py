"""Masking operators: partial mask, placeholder, hash, redact; and the ``Masker`` that applies them.

Masking is a separate step from detection (as in Presidio's anonymizer): it returns the new text
and the list of what changed where, in original offsets, which is the audit trail the written
record stores. Sensitive kinds (个保法 第28条) never get a partial mask unless a per-type operator
says so: the "mask" operator falls back to ``sensitive_mask_operator`` (a placeholder) for them.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Literal

from guardrails.pii.analyzer import detect
from guardrails.pii.config import TYPE_LABELS_ZH, load_config
from guardrails.pii.nfkc_offsets import fold
from guardrails.pii.placeholder_book import PlaceholderBook, keyed_digest
from guardrails.pii.registry import RecognizerRegistry, default_registry
from guardrails.types import Entity, MaskChange, MaskedText

if TYPE_CHECKING:
    from guardrails.pii.vault import Vault

OperatorName = Literal["placeholder", "mask", "hash", "redact"]
OPERATORS: tuple[str, ...] = ("placeholder", "mask", "hash", "redact")

# Text csbot itself produced: never detect inside it again (keeps masking idempotent).
_OWN_OUTPUT = re.compile(r"\[[^\[\]\s]{1,12}?(?:\d{1,6}|#[a-z]{10})\]|\[已删除\]")


class Masker:
    """Masks one conversation's texts consistently (one ``PlaceholderBook`` per conversation)."""

    def __init__(
        self,
        operator: str = "placeholder",
        *,
        book: PlaceholderBook | None = None,
        vault: Vault | None = None,
        conversation_id: str | None = None,
        hash_key: bytes | None = None,
        operators: Mapping[str, str] | None = None,
        types: Collection[str] | None = None,
        registry: RecognizerRegistry | None = None,
    ) -> None:
        for name in (operator, *(operators or {}).values()):
            if name not in OPERATORS:
                raise ValueError(f"unknown operator {name!r}; choose one of {', '.join(OPERATORS)}")
        if vault is not None and conversation_id is None:
            raise ValueError("a vault needs the conversation_id the values belong to")
        self.operator = operator
        self.operators = dict(operators or {})
        self.hash_key = hash_key or secrets.token_bytes(32)
        self.book = book if book is not None else PlaceholderBook(hash_key)
        self.vault = vault
        self.conversation_id = conversation_id
        self.types = None if types is None else frozenset(types)
        self.registry = registry or default_registry()

    def operator_for(self, entity_type: str) -> str:
        """The operator applied to this type (explicit per-type choice, else the stricter default)."""
        if entity_type in self.operators:
            return self.operators[entity_type]
        if self.operator == "mask" and self.registry.type_spec(entity_type).sensitive:
            return load_config().sensitive_mask_operator
        return self.operator

    def mask(self, text: str) -> MaskedText:
        """Replace every detected entity; ``changes`` carry original offsets, never values."""
        return self.mask_with_entities(text)[0]

    def mask_with_entities(self, text: str) -> tuple[MaskedText, list[Entity]]:
        """``mask()`` plus the entities it replaced (for callers that report scores)."""
        entities = self.detect(text)
        pieces: list[str] = []
        changes: list[MaskChange] = []
        cursor = 0
        for entity in entities:
            operator = self.operator_for(entity.type)
            replacement = self._replace(entity, operator)
            pieces.append(text[cursor : entity.start])
            pieces.append(replacement)
            changes.append(MaskChange(entity.type, entity.start, entity.end, operator, replacement))
            cursor = entity.end
        pieces.append(text[cursor:])
        return MaskedText("".join(pieces), tuple(changes)), entities

    def detect(self, text: str) -> list[Entity]:
        """Entities outside text csbot already masked."""
        entities = detect(text, self.types, registry=self.registry)
        if not entities or "[" not in text:  # no bracket, no placeholder of ours: nothing to filter
            return entities
        own = [match.span() for match in _OWN_OUTPUT.finditer(text)]
        return [e for e in entities if all(e.end <= start or e.start >= end for start, end in own)]

    def _replace(self, entity: Entity, operator: str) -> str:
        recognizer = self.registry.get(entity.recognizer)
        canonical = recognizer.canonical(fold(entity.value))
        if operator == "placeholder":  # the default and the common case: checked first
            placeholder = self.book.placeholder(entity.type, canonical, self.registry.type_spec(entity.type).label)
            if self.vault is not None and self.conversation_id is not None:
                self.vault.put(self.conversation_id, placeholder, entity.type, entity.value)
            return placeholder
        spec = self.registry.type_spec(entity.type)
        if operator == "mask":
            return recognizer.partial_mask(canonical, spec.mask_prefix, spec.mask_suffix)
        if operator == "redact":
            return load_config().redact_text
        digest = keyed_digest(self.hash_key, f"{entity.type}\x1f{canonical}")  # "hash": the only one left
        return f"[{spec.label}#{''.join(chr(97 + byte % 26) for byte in digest[:10])}]"


def mask_text(text: str, operator: str = "placeholder") -> MaskedText:
    """One-shot masking with a fresh placeholder book."""
    return Masker(operator).mask(text)


__all__ = ["OPERATORS", "TYPE_LABELS_ZH", "Masker", "OperatorName", "mask_text"]
