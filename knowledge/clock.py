"""Today's date for legal decisions, injectable so that "in force" can be tested on any day.

``today()`` is the date of the conversation: a test (or a replay of an old conversation) sets it
with :func:`fixed`, an operator with the ``CSBOT_TODAY`` environment variable (YYYY-MM-DD).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

_fixed: list[date] = []


def today() -> date:
    if _fixed:
        return _fixed[-1]
    configured = os.environ.get("CSBOT_TODAY")
    return date.fromisoformat(configured) if configured else date.today()


@contextmanager
def fixed(day: date) -> Iterator[date]:
    """Within the block, ``today()`` is ``day``."""
    _fixed.append(day)
    try:
        yield day
    finally:
        _fixed.pop()
