"""Who owns a case: the one place that reads it (``case_owner``), from the case's own records.

An agent takes a case (a ``take`` record naming them) and holds it until they release it (``release``)
or the conversation is ended (``end``); another agent's ``take`` moves it to them. The records are the
hash-chained evidence, so ownership needs no table of its own and reads the same in every process.
While an agent owns a case the bot drafts for that agent only (the customer widget asks ``case_owner``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

TAKE, RELEASE, NOTE = "take", "release", "note"


def owner_in(rows: Iterable[Mapping[str, Any]]) -> str | None:
    """The agent holding the case after these records (oldest first), or None."""
    owner: str | None = None
    for row in rows:
        if row["kind"] == TAKE:
            owner = str(row["body"]["agent_id"])
        elif row["kind"] in (RELEASE, "end"):
            owner = None
    return owner


def case_owner(records: Any, case_id: str) -> str | None:
    """The agent who owns case ``case_id`` now (None: the bot answers the customer)."""
    return owner_in(records.for_case(case_id))
