"""Canonical JSON and the hash chain: each record's hash covers its content and the previous hash."""

from __future__ import annotations

import hashlib
import json
from typing import Any

GENESIS = "0" * 64


def canonical(value: Any) -> str:
    """Sorted keys, compact separators, Chinese kept readable: the same content always hashes the same."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def record_hash(prev_hash: str, envelope: dict[str, Any]) -> str:
    return hashlib.sha256(f"{prev_hash}\n{canonical(envelope)}".encode()).hexdigest()


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
