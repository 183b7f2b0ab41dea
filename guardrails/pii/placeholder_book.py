"""Placeholders that stay the same within one conversation: 13812345678 is [手机号1] every time.

The book remembers which value got which number only through a keyed HMAC of the value's
canonical form, so ``to_dict()`` can be stored with the conversation without storing personal
data. Phone numbers are a small space: an unkeyed hash could be reversed by trying them all, hence
the key (BLAKE2b keyed mode, a MAC), which lives with the settings' secrets and never in the dict.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from guardrails.pii.config import type_spec

BOOK_VERSION = 1


def keyed_digest(key: bytes, message: str) -> bytes:
    """A MAC of ``message`` (BLAKE2b in keyed mode: one C call, unlike the hmac module)."""
    return hashlib.blake2b(message.encode(), key=key[:64], digest_size=32).digest()


class PlaceholderBook:
    """Per-conversation map from (type, canonical value) to a typed, numbered placeholder."""

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key or secrets.token_bytes(32)
        self._entries: dict[str, str] = {}
        self._counters: dict[str, int] = {}

    def _digest(self, entity_type: str, canonical: str) -> str:
        return keyed_digest(self._key, f"{entity_type}\x1f{canonical}").hex()

    def placeholder(self, entity_type: str, canonical: str, label: str | None = None) -> str:
        """The placeholder for this value, allocating the next number on first sight.

        ``label`` is the type's label from the masker's registry (default: the default registry's).
        """
        digest = self._digest(entity_type, canonical)
        existing = self._entries.get(digest)
        if existing is not None:
            return existing
        number = self._counters.get(entity_type, 0) + 1
        self._counters[entity_type] = number
        placeholder = f"[{label or type_spec(entity_type).label}{number}]"
        self._entries[digest] = placeholder
        return placeholder

    def known(self, entity_type: str, canonical: str) -> str | None:
        """The placeholder this value already has in the conversation, or None (allocates nothing)."""
        return self._entries.get(self._digest(entity_type, canonical))

    def __len__(self) -> int:
        return len(self._entries)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe form holding HMACs and placeholders only, never a value."""
        return {"version": BOOK_VERSION, "counters": dict(self._counters), "entries": dict(self._entries)}

    @classmethod
    def from_dict(cls, data: dict[str, Any], key: bytes | None = None) -> PlaceholderBook:
        """Restore a book; pass the same ``key`` it was built with or known values get new numbers."""
        if not isinstance(data, dict) or data.get("version") != BOOK_VERSION:
            raise ValueError(f"not a placeholder book of version {BOOK_VERSION}")
        book = cls(key)
        book._counters = {str(k): int(v) for k, v in dict(data.get("counters", {})).items()}
        book._entries = {str(k): str(v) for k, v in dict(data.get("entries", {})).items()}
        return book
