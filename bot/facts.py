"""Facts of a case with where they came from, and the rules that keep a conversation moving.

A fact is ``stated`` (the customer said it, in turn N) or ``verified`` (checked, by whom and when).
A fact once given is never asked again; a fact is asked at most ``max_asks`` times, then the bot
goes on without it and says how (bot/config/dialogue.yaml). A customer who says the order number
cannot be found, or bought in a store, is believed at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.understand import Understanding, classify_reply, understand
from bot.yamlmarks import load_yaml

CONFIG = Path(__file__).resolve().parent / "config"
_POSITION_CHARS = 40


@lru_cache(maxsize=1)
def dialogue_rules() -> dict[str, Any]:
    return dict(load_yaml(CONFIG / "dialogue.yaml"))


@lru_cache(maxsize=1)
def company() -> dict[str, Any]:
    return dict(load_yaml(CONFIG / "company.yaml"))


@dataclass(frozen=True)
class Fact:
    key: str
    value: str
    turn: int
    status: str = "stated"  # or "verified"
    by: str | None = None
    at: str | None = None


def side_answers(text: str) -> list[str]:
    """Answers from the company profile to the side questions the message asks."""
    return [str(item["answer"]) for item in company().get("answers", ()) if re.search(item["pattern"], text)]


def out_of_scope(text: str) -> str | None:
    """Where to turn, when the message is about a business this company does not run."""
    for item in company().get("out_of_scope", ()):
        if re.search(item["pattern"], text):
            rule = str(dialogue_rules()["out_of_scope"])
            return rule.format(company=company().get("name", "本店"), where=item["where"])
    return None


def position(text: str) -> str:
    """The customer's own words, short, for the record (the text is already masked)."""
    words = " ".join(text.split())[:_POSITION_CHARS]
    return f"（您的原话：“{words}”）" if words else ""


def read_message(text: str, today: date, expecting: tuple[str, ...]) -> Understanding:
    return understand(text, today, expecting)


__all__ = [
    "Fact", "classify_reply", "company", "dialogue_rules", "out_of_scope", "position", "read_message", "side_answers",
]
