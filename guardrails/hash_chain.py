"""Canonical JSON and the hash chain: each row's hash covers its content and the previous row's hash.

Two insert-only trails use it: the written record (``bot/records``) and the vault's audit trail
(``guardrails/pii/audit_chain.py``). It lives here, below both, so the vault never imports the engine.
"""

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
