"""The satisfaction question at a conversation's close: its wording and ratings (bot/config/satisfaction.yaml)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

SATISFACTION_FILE = Path(__file__).resolve().parent / "config" / "satisfaction.yaml"


@cache
def _config() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SATISFACTION_FILE.read_text(encoding="utf-8"))
    return loaded


def question() -> str:
    return str(_config()["question"])


def ratings() -> dict[str, str]:
    """Rating id -> the label shown (满意 / 一般 / 不满意), in the order asked."""
    return {str(key): str(label) for key, label in _config()["ratings"].items()}


def record_line(rating: str) -> str:
    return str(_config()["record_line"]).format(label=ratings().get(rating, rating))
