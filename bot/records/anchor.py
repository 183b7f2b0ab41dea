"""Signed checkpoints of the records chain, kept outside the records database.

The hash chain alone catches an edit that leaves the later hashes alone, but not someone with write
access who deletes the last rows and rewinds ``chain_head``, or who edits a row and recomputes every
later hash. A checkpoint is the chain head (record number and hash) signed with an Ed25519 key from
the key directory (never in the database) and appended, one JSON line, to ``checkpoints.jsonl`` on
other storage. ``verify`` then checks the chain against the latest checkpoint: the signed record must
still be there with the signed hash, so a rewind past it or a rewrite before it is caught. Records
written after the latest checkpoint are not covered until the next one (see docs/records.md).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import select

from bot.records import models
from guardrails.hash_chain import canonical

if TYPE_CHECKING:
    from bot.records.store import RecordStore
    from bot.settings import Settings

KEY_FILE = "records-anchor.ed25519"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str


@dataclass(frozen=True)
class AnchorResult:
    ok: bool
    anchored_seq: int  # the latest checkpoint's record number (0: none yet)
    head_seq: int  # the last record in the database
    checkpoints: int  # signed lines read
    reason: str = ""

    @property
    def uncovered(self) -> int:
        return max(self.head_seq - self.anchored_seq, 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "anchored_seq": self.anchored_seq,
            "head_seq": self.head_seq,
            "uncovered": self.uncovered,
            "checkpoints": self.checkpoints,
            "reason": self.reason,
        }

    def describe(self) -> str:
        if not self.ok:
            return f"ANCHOR BROKEN: {self.reason}"
        if self.checkpoints == 0:
            return "not anchored: no checkpoint yet (`csbot records checkpoint`)"
        return (
            f"anchored: records 1-{self.anchored_seq} match the latest signed checkpoint; "
            f"{self.uncovered} later record(s) not yet covered"
        )


class Anchor:
    """Signs chain heads with the Ed25519 key and appends them to the checkpoint file."""

    def __init__(self, private_key: Ed25519PrivateKey, path: Path) -> None:
        self._key = private_key
        self.public_key = private_key.public_key()
        self.path = path

    @classmethod
    def for_settings(cls, settings: Settings) -> Anchor:
        seed = settings.key_file_secret(KEY_FILE, 32)  # the key directory, never the database
        path = settings.checkpoints_file or settings.home / "anchors" / "checkpoints.jsonl"
        return cls(Ed25519PrivateKey.from_private_bytes(seed), Path(path))

    @property
    def key_id(self) -> str:
        raw = self.public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
        return hashlib.sha256(raw).hexdigest()[:16]

    # --- writing -------------------------------------------------------------------------------
    def checkpoint(self, store: RecordStore) -> Checkpoint | None:
        """Sign the current head and append it; None while the chain is empty."""
        with store.engine.connect() as connection:
            head = connection.execute(select(models.chain_head.c.seq, models.chain_head.c.hash)).first()
        if head is None:
            return None
        payload = {
            "v": 1,
            "seq": int(head.seq),
            "hash": str(head.hash),
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "key": self.key_id,
        }
        signature = self._key.sign(canonical(payload).encode())
        line = canonical({**payload, "sig": base64.b64encode(signature).decode()}) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line.encode())  # one write of one short line: appends from processes do not interleave
            os.fsync(fd)
        finally:
            os.close(fd)
        return Checkpoint(payload["seq"], payload["hash"], payload["at"])  # type: ignore[arg-type]

    def on_close(self, store: RecordStore) -> None:
        """The hook a store calls when a case closes: a failed checkpoint never fails a recorded turn."""
        try:
            self.checkpoint(store)
        except OSError as error:
            log.error("records checkpoint not written to %s: %s", self.path, error)

    # --- verifying -----------------------------------------------------------------------------
    def read(self) -> tuple[list[Checkpoint], str]:
        """The signed checkpoints, in file order, and the first problem found ('' when none)."""
        if not self.path.exists():
            return [], ""
        found = []
        for number, text in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            if not text.strip():
                continue
            try:
                item = json.loads(text)
                signature = base64.b64decode(item.pop("sig"))
                _verify_signature(self.public_key, signature, canonical(item).encode())
                found.append(Checkpoint(int(item["seq"]), str(item["hash"]), str(item["at"])))
            except (ValueError, KeyError, TypeError, InvalidSignature):
                return found, f"checkpoint line {number} is not signed by this key"
        return found, ""

    def verify(self, store: RecordStore) -> AnchorResult:
        """The records against the latest signed checkpoint (the chain itself is ``store.verify()``)."""
        checkpoints, problem = self.read()
        with store.engine.connect() as connection:
            last = connection.execute(select(models.records.c.id).order_by(models.records.c.id.desc()).limit(1)).first()
            head_seq = 0 if last is None else int(last.id)
            if problem:
                return AnchorResult(False, 0, head_seq, len(checkpoints), problem)
            if not checkpoints:
                return AnchorResult(True, 0, head_seq, 0)
            latest = max(checkpoints, key=lambda c: c.seq)
            row = connection.execute(select(models.records.c.hash).where(models.records.c.id == latest.seq)).first()
        result = AnchorResult(True, latest.seq, head_seq, len(checkpoints))
        if row is None:
            reason = f"record {latest.seq}, signed at {latest.at}, is gone: the chain was truncated"
            return AnchorResult(False, latest.seq, head_seq, len(checkpoints), reason)
        if row.hash != latest.hash:
            reason = f"record {latest.seq} has another hash than signed at {latest.at}: the chain was rewritten"
            return AnchorResult(False, latest.seq, head_seq, len(checkpoints), reason)
        return result


def _verify_signature(key: Ed25519PublicKey, signature: bytes, data: bytes) -> None:
    key.verify(signature, data)


def anchored_store(settings: Settings) -> RecordStore:
    """The records store of these settings, checkpointed at every case close."""
    from bot.records.store import RecordStore

    store = RecordStore(settings.records_url, settings.record_timezone)
    store.on_close = Anchor.for_settings(settings).on_close
    return store
