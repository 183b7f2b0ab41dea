"""Each package's public API is what its ``__all__`` says, and every name there exists."""

from __future__ import annotations

import importlib

import pytest

PUBLIC_PACKAGES = [
    "bot.records",
    "bot.drafting",
    "guardrails.pii",
    "guardrails.pii.recognizers",
    "guardrails.rails",
    "eval",
]


@pytest.mark.parametrize("package", PUBLIC_PACKAGES)
def test_every_name_in_all_is_importable(package: str) -> None:
    module = importlib.import_module(package)
    exported = module.__all__
    assert exported, f"{package} exports nothing"
    assert len(set(exported)) == len(exported), f"{package}.__all__ repeats a name"
    missing = [name for name in exported if not hasattr(module, name)]
    assert missing == [], f"{package}.__all__ names what it does not define: {missing}"


@pytest.mark.parametrize("package", PUBLIC_PACKAGES)
def test_star_import_gives_exactly_all(package: str) -> None:
    namespace: dict[str, object] = {}
    exec(f"from {package} import *", namespace)
    namespace.pop("__builtins__", None)
    assert sorted(namespace) == sorted(importlib.import_module(package).__all__)
