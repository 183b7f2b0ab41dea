"""Customers' photos and short videos: type by magic bytes, a size cap per type, kept under CSBOT_HOME.

A file is stored as ``CSBOT_HOME/attachments/<case>/<file id>`` (folder 0700, file 0600) and never
enters the hash-chained text: the case's record holds only an ``attachment`` event with the file id,
its (masked) name, type, size and SHA-256, so the record proves which file was sent without
carrying it. The file is served back only to its own session's token or to staff whose role reads
cases (``bot/web/api.py``).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bot.web.data_models import ATTACHMENTS_FILE, AttachmentsFile
from knowledge.datafile import load_checked

FILE_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
CASE_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")


@cache
def config() -> dict[str, Any]:
    return dict(load_checked(ATTACHMENTS_FILE, AttachmentsFile))


def largest_upload() -> int:
    return max(int(spec["max_bytes"]) for spec in config()["types"].values())


class AttachmentRefused(ValueError):
    """A file the widget does not take; ``str()`` is the reason, in Chinese first."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def sniff(data: bytes) -> str | None:
    """The media type the first bytes say, for the types we take; None for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp":
        return "video/mp4"
    return None


def check(data: bytes) -> str:
    """The file's media type, or ``AttachmentRefused`` (415 for a type, 413 for a size we do not take)."""
    if not data:
        raise AttachmentRefused(config()["refused_empty"], 400)
    media_type = sniff(data)
    if media_type is None:
        raise AttachmentRefused(config()["refused_type"], 415)
    spec = config()["types"][media_type]
    if len(data) > int(spec["max_bytes"]):
        limit_mb = int(spec["max_bytes"]) // (1024 * 1024)
        raise AttachmentRefused(config()["refused_size"].format(label=spec["label"], limit_mb=limit_mb), 413)
    return media_type


def clean_name(name: str | None) -> str:
    """A display name: the last path part, printable, bounded (it is masked again before it is recorded)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[: int(config()["max_name_chars"])] or "附件"


@dataclass(frozen=True)
class Attachment:
    file_id: str
    name: str
    media_type: str
    size: int
    sha256: str

    def to_json(self) -> dict[str, object]:
        return asdict(self)


class AttachmentStore:
    """Write and find attachment files under ``home/attachments/<case>``."""

    def __init__(self, home: Path) -> None:
        self.root = home / "attachments"

    def _folder(self, case_id: str) -> Path:
        if not CASE_ID.match(case_id):
            raise ValueError("bad case id")
        for folder in (self.root, self.root / case_id):
            folder.mkdir(parents=True, exist_ok=True)
            os.chmod(folder, 0o700)
        return self.root / case_id

    def save(self, case_id: str, data: bytes, name: str, media_type: str) -> Attachment:
        file_id = secrets.token_urlsafe(18)
        fd = os.open(self._folder(case_id) / file_id, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        return Attachment(file_id, name, media_type, len(data), hashlib.sha256(data).hexdigest())

    def path(self, case_id: str, file_id: str) -> Path | None:
        if not CASE_ID.match(case_id) or not FILE_ID.match(file_id):
            return None
        found = self.root / case_id / file_id
        return found if found.is_file() else None
