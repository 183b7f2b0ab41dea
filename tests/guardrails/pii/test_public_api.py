"""The public API other areas code against stays importable under its documented names."""

from __future__ import annotations

import guardrails.pii as pii

DOCUMENTED = {"detect", "Masker", "PlaceholderBook", "mask_text", "Vault", "open_vault", "TYPE_LABELS_ZH"}


def test_public_names_are_exported_and_exist() -> None:
    assert set(pii.__all__) >= DOCUMENTED
    assert all(hasattr(pii, name) for name in pii.__all__)
