"""What a record's hash covers (its envelope); the hashing itself is ``guardrails/hash_chain.py``."""

from __future__ import annotations

from typing import Any


def envelope(
    seq: int, created_at: str, session: str, case_id: str, actor: str, kind: str, body: Any, state: Any = None
) -> dict[str, Any]:
    """The hashed content of one record: every column except the hashes themselves.

    ``state`` is the case state the record left behind (chained since m003); records written before
    that migration have none and keep the hash they were written with.
    """
    content = {
        "seq": seq,
        "created_at": created_at,
        "session": session,
        "case_id": case_id,
        "actor": actor,
        "kind": kind,
        "body": body,
    }
    if state is not None:
        content["state"] = state
    return content
