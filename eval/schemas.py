"""The shapes of eval's own data files other than dialogue sets (those have ``eval/loader.py``)."""

from __future__ import annotations

from pydantic import Field

from knowledge.datafile import DataModel, Regex


class Promise(DataModel):
    id: str = Field(min_length=1)
    pattern: Regex


class PromisesFile(DataModel):
    """eval/promises.yaml: phrases that promise an outcome (the ``no_promise`` expectation)."""

    promises: list[Promise] = Field(min_length=1)


class KnownFailure(DataModel):
    id: str = Field(min_length=1)
    bug: str = Field(min_length=1)


class KnownFailuresFile(DataModel):
    """eval/known_failures.yaml: shipped dialogues that fail today because of a product bug."""

    known_failures: list[KnownFailure] | None = None
