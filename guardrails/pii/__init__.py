"""Personal-data detection and masking for Chinese customer-service text.

``detect()`` finds personal data (offsets into the original text); ``Masker`` replaces it with
typed placeholders consistent within a conversation, partial masks, hashes or nothing; ``Vault``
keeps the values encrypted so an authorised agent can reveal one, every reveal recorded.
"""

from __future__ import annotations

from guardrails.pii.analyzer import detect, resolve_overlaps
from guardrails.pii.config import SENSITIVE_TYPES, TYPE_LABELS_ZH, PiiConfigError, type_spec
from guardrails.pii.operators import OPERATORS, Masker, mask_text
from guardrails.pii.placeholder_book import PlaceholderBook
from guardrails.pii.registry import RecognizerRegistry, default_registry
from guardrails.pii.vault import Vault, VaultError, open_vault

__all__ = [
    "OPERATORS",
    "SENSITIVE_TYPES",
    "TYPE_LABELS_ZH",
    "Masker",
    "PiiConfigError",
    "PlaceholderBook",
    "RecognizerRegistry",
    "Vault",
    "VaultError",
    "default_registry",
    "detect",
    "mask_text",
    "open_vault",
    "resolve_overlaps",
    "type_spec",
]
