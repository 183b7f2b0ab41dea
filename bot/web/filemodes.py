"""CSBOT_HOME's databases and keys readable by the service's own user only (0600; folders 0700)."""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_PATTERNS = ("*.db", "*.db-wal", "*.db-shm", "*.db-journal", "keys/*")


def make_private(home: Path) -> list[Path]:
    """Tighten what exists now; returns the paths changed (SQLite creates files with the umask's mode)."""
    changed = []
    for folder in (home, home / "keys", home / "exports"):
        if folder.is_dir() and folder.stat().st_mode & 0o077:
            os.chmod(folder, 0o700)
            changed.append(folder)
    for pattern in PRIVATE_PATTERNS:
        for path in home.glob(pattern):
            if path.is_file() and path.stat().st_mode & 0o077:
                os.chmod(path, 0o600)
                changed.append(path)
    return changed
