"""A reply to an offer: accept, refuse or counter-offer. A refusal is never read as consent."""

from __future__ import annotations

from typing import Literal

from bot.understand.data import table
from bot.understand.remedy import find_remedies

Verdict = Literal["accept", "refuse", "counter"]


def classify_reply(text: str, offered: tuple[str, ...] = ()) -> tuple[Verdict | None, str | None]:
    """(verdict, remedy chosen or demanded). None when the message answers nothing about the offer."""
    words = table("replies")
    lowered = text.lower()
    remedies = find_remedies(text)
    alone = lowered.strip(" ，,。.！!？?～~…")
    said_no = any(w in lowered for w in words["refuse"]) or alone in words["refuse_alone"]
    refused = said_no or bool(remedies.refused and not remedies.wanted)
    demand = any(w in text for w in words["counter"])
    wanted = remedies.wanted
    if remedies.refused and not said_no and offered and not set(remedies.refused) & set(offered) and not wanted:
        return None, None  # 修好的我不要 while a refund is offered: not a reply to the offer
    if wanted and offered and wanted in offered and not said_no:
        return "accept", wanted  # 不要赔偿了，按约定发货就行，同意: the offered remedy, accepted
    if refused:
        demanded = [v for v in remedies.mentioned if v not in remedies.refused]
        wanted = demanded[-1] if demanded else None
        if demand or (wanted and wanted not in remedies.refused and (not offered or wanted not in offered)):
            return "counter", wanted
        return "refuse", None
    if wanted and offered and wanted not in offered:
        return "counter", wanted
    if wanted and (not offered or wanted in offered):
        return "accept", wanted
    if any(w.lower() in lowered for w in words["accept"]):
        return ("counter", None) if demand else ("accept", None)
    if demand:
        return "counter", None
    return None, None
