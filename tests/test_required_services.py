"""A missing PostgreSQL or chromium skips its tests on a developer's machine and fails them in CI."""

from __future__ import annotations

import pytest

from tests.fixtures.services import REQUIRE_ENV, missing_service


def test_a_missing_service_skips_on_a_developers_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="PostgreSQL"):
        missing_service("PostgreSQL not available")


def test_a_missing_service_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match="CI requires it"):
        missing_service("PostgreSQL not available")
