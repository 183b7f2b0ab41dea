"""Shared test set-up: a clean environment for every test and fixtures from tests/fixtures/."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

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
