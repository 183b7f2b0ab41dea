"""A reply never repeats an earlier reply of the same case word for word (issue 10: no loops).

Template variants rotate per turn, but a step with one variant, or a customer who keeps writing the
same thing, can still bring the same text back. A repeat means the bot has nothing new to say, so the
draft is replaced by the first line of ``no_repeat`` in bot/config/dialogue.yaml not said yet, which
says so and offers a human; the replacement passes the output rails like any draft.
"""

from __future__ import annotations

from bot.facts import dialogue_rules
from bot.records.bodies import transcript
from bot.shared_parts import Parts
from bot.types import Draft


def customer_messages(parts: Parts, session: str) -> int:
    """How many customer messages this session has recorded (the current one not yet)."""
    return sum(1 for m in transcript(parts.records.for_session(session)) if m.actor == "customer")


def earlier_replies(parts: Parts, session: str) -> list[str]:
    """The replies already recorded in this session, oldest first."""
    return [m.text.strip() for m in transcript(parts.records.for_session(session)) if m.actor != "customer"]


def repeats(text: str, earlier: list[str]) -> bool:
    return bool(text.strip()) and text.strip() in earlier


def fresh_line(earlier: list[str], n: int, case_id: str) -> str:
    """The first ``no_repeat`` line not said yet in this session; when every one was, the counted line
    (the customer's message number ``n`` makes it new)."""
    rules = dialogue_rules()
    unsaid = (line for line in rules.get("no_repeat", ()) if not any(line in r for r in earlier))
    return next(unsaid, None) or str(rules["no_repeat_counted"]).format(n=n, case_id=case_id)


def fresh_draft(draft: Draft, earlier: list[str], n: int, case_id: str) -> Draft:
    """A replacement for a draft that would repeat itself."""
    line = fresh_line(earlier, n, case_id)
    return Draft(text=line, drafter=draft.drafter, passages=draft.passages, notes=(*draft.notes, "no_repeat"))
