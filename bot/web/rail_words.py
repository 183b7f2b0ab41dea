"""The guardrails' flags and reasons in Chinese for agents (agents never read English): names and reasons
from the shared ``bot/config/rail_labels.yaml`` (worded as objections), verdicts from ``rail_labels.yaml`` here."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from bot import rail_labels
from bot.web.data_models import RAIL_LABELS_FILE, RailLabelsFile
from knowledge.datafile import load_checked

_NAMED_COUNT = re.compile(r"([a-z_]+)×(\d+)")


@cache
def labels() -> dict[str, Any]:
    return dict(load_checked(RAIL_LABELS_FILE, RailLabelsFile))


@cache
def _input_categories() -> dict[str, str]:
    from guardrails.rails import load_input_config

    return {rule.id: rule.category for rule in load_input_config().rules}


@cache
def _element_names() -> dict[str, str]:
    from bot.reply_elements import load_elements

    return {name: spec.description or name for name, spec in load_elements().items()}


def rail_name(rule: str) -> str:
    """An output rail's or input rule's Chinese name."""
    rails, categories = rail_labels.rail_names("agent"), rail_labels.category_names("agent")
    if rule in rails:
        return rails[rule]
    category = _input_categories().get(rule) or next((c for c in categories if rule.startswith(c)), "")
    return categories.get(category, rail_labels.unknown_rail("agent"))


def verdict_name(verdict: str, *, agent: bool = False) -> str:
    table = labels()["agent_verdicts" if agent else "verdicts"]
    return str(table.get(verdict, labels()["verdicts"].get(verdict, verdict)))


def _words(value: str) -> str:
    """Data types and element names inside a reason (name×1, facts) in Chinese."""
    from guardrails.pii import TYPE_LABELS_ZH

    value = _NAMED_COUNT.sub(lambda m: f"{TYPE_LABELS_ZH.get(m.group(1), m.group(1))}{m.group(2)}处", value)
    return _element_names().get(value, value).replace(", ", "、")


def reason_zh(reason: str) -> str | None:
    """A rail's English reason in Chinese, or None when no pattern knows it."""
    for pattern, text in rail_labels.reason_patterns("objection"):
        match = pattern.match(reason)
        if match:
            return text.format("", *(_words(group or "") for group in match.groups()))
    return None


def reasons_zh(reasons: Iterable[str]) -> list[str]:
    return [text for text in (reason_zh(str(reason)) for reason in reasons) if text]
