"""Case events the customer adds beside the conversation: the satisfaction answer at the close and
the files they attach (wording in bot/config/customer_events.yaml)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from knowledge.datafile import DataModel, load_checked

EVENTS_FILE = Path(__file__).resolve().parent / "config" / "customer_events.yaml"


class Satisfaction(DataModel):
    question: str
    ratings: dict[str, str]
    record_line: str


class AttachmentWording(DataModel):
    line: str
    record_line: str
    kinds: dict[str, str]


class CustomerEventsFile(DataModel):
    """customer_events.yaml: the satisfaction question and how an attachment is shown and recorded."""

    satisfaction: Satisfaction
    attachment: AttachmentWording


@cache
def _config() -> dict[str, Any]:
    return dict(load_checked(EVENTS_FILE, CustomerEventsFile))


def question() -> str:
    return str(_config()["satisfaction"]["question"])


def ratings() -> dict[str, str]:
    """Rating id -> the label shown (满意 / 一般 / 不满意), in the order asked."""
    return {str(key): str(label) for key, label in _config()["satisfaction"]["ratings"].items()}


def satisfaction_line(rating: str) -> str:
    return str(_config()["satisfaction"]["record_line"]).format(label=ratings().get(rating, rating))


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} KB"


def _fields(body: Mapping[str, Any]) -> dict[str, str]:
    media_type = str(body.get("media_type", ""))
    kinds = _config()["attachment"]["kinds"]
    return {
        "name": str(body.get("name", "")),
        "kind": str(kinds.get(media_type.split("/")[0], media_type)),
        "size": _size(int(body.get("size", 0))),
        "sha256": str(body.get("sha256", "")),
    }


def attachment_line(body: Mapping[str, Any]) -> str:
    """How an attachment shows in the conversation (the customer's and the agent's)."""
    return str(_config()["attachment"]["line"]).format(**_fields(body))


def attachment_record_line(body: Mapping[str, Any]) -> str:
    """How an attachment is listed in the written record's timeline."""
    return str(_config()["attachment"]["record_line"]).format(**_fields(body))
