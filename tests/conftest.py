"""Shared test set-up: a clean environment for every test and fixtures from tests/fixtures/."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from bot.settings import OFFLINE_ENVIRONMENT

# CI explores the same examples on every run (HYPOTHESIS_PROFILE=ci, set by .ci/run), so a red build
# is reproducible; a developer's run keeps searching new random examples, and what it finds is added
# to the test as an @example.
hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("HYPOTHESIS_PROFILE"):
    hypothesis_settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])

# Each team area keeps its fixtures in its own module under tests/fixtures/.
pytest_plugins = sorted(
    f"tests.fixtures.{path.stem}"
    for path in (Path(__file__).parent / "fixtures").glob("*.py")
    if path.stem != "__init__"
)

for _key, _value in OFFLINE_ENVIRONMENT.items():
    os.environ[_key] = _value


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test sees an operator's CSBOT_*, API keys or proxies; CSBOT_HOME is a fresh folder.

    ``CSBOT_TEST_*`` variables (set by .ci/run, e.g. the PostgreSQL URL) are kept.
    """
    for key in list(os.environ):
        if key.startswith("CSBOT_TEST_"):
            continue  # test infrastructure (e.g. CSBOT_TEST_PG_URL), not product configuration
        if key.startswith(("CSBOT_", "OPENAI_")) or key.lower() in {"http_proxy", "https_proxy", "all_proxy"}:
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("CSBOT_HOME", str(tmp_path / "csbot-home"))
    yield


@pytest.fixture(scope="session", autouse=True)
def shared_read_only_parts() -> Iterator[None]:
    """Load the shipped engine (procedures, slots, classifier), templates and reply elements once per
    test session instead of once per bot: parsing their YAML is most of what a fresh bot costs before
    its first turn. Every bot still gets its own stores (records, vault, orders) in its own home.

    Only the shipped files are shared (a test that loads from another path gets a fresh load), and
    each bot gets its own shallow copy of the engine, whose ``orders`` is set per home.
    """
    from bot import reply_elements as elements
    from bot.drafting.template import TEMPLATES_DIR, TemplateBook
    from bot.engine import Engine

    loaded: dict[Any, Any] = {}
    load_engine, load_book, load_elements = Engine.load, TemplateBook.load, elements.load_elements

    def engine(cls: type[Engine], escalate_after_turns: int = 8) -> Engine:
        import bot.facts
        import bot.slots

        # a test that patches what the engine is loaded from gets a fresh (validated) load
        key = ("engine", escalate_after_turns, bot.facts.dialogue_rules, bot.slots.load_slot_specs)
        if key not in loaded:
            loaded[key] = load_engine(escalate_after_turns)
        return copy.copy(loaded[key])

    def book(cls: type[TemplateBook], directory: Path = TEMPLATES_DIR) -> TemplateBook:
        if directory != TEMPLATES_DIR:
            return load_book(directory)
        if "book" not in loaded:
            loaded["book"] = load_book()
        return loaded["book"]  # type: ignore[no-any-return]

    def element_specs(path: Path = elements.ELEMENTS_FILE) -> dict[str, elements.ElementSpec]:
        if path != elements.ELEMENTS_FILE:
            return load_elements(path)
        if "elements" not in loaded:
            loaded["elements"] = load_elements()
        return dict(loaded["elements"])

    patch = pytest.MonkeyPatch()
    patch.setattr(Engine, "load", classmethod(engine))
    patch.setattr(TemplateBook, "load", classmethod(book))
    patch.setattr(elements, "load_elements", element_specs)
    yield
    patch.undo()
