"""The copilot's 核对事实 panel: which stated facts an agent may confirm as verified, and which are.

An agent ticks the facts they checked (or enters the value they checked, e.g. from a receipt) and
confirms: ``CsBot.verify_facts`` writes a ``verify`` record under their account (bot/verification.py).
"""

from __future__ import annotations

from typing import Any

from bot.records.record_text import local_time, record_timezone
from bot.verification import label_of_extra, rules
from bot.web.views import escape


def _label(view: Any, key: str) -> str:
    return str(view.slot_labels.get(key) or label_of_extra(key))


def fact_choices(view: Any) -> list[tuple[str, str]]:
    """(label：value, key) of the facts the case holds that an agent may confirm; checked ones say so."""
    from bot.facts import dialogue_rules

    not_given = str(dialogue_rules()["not_given"])
    choices = []
    for key in rules()["agent_may_confirm"]:
        value = view.slots.get(key)
        if not value or value == not_given:
            continue
        done = "（已核对）" if key in view.verified else ""
        choices.append((f"{_label(view, key)}：{value}{done}", key))
    return choices


def entry_choices(view: Any) -> list[tuple[str, str]]:
    """Every fact an agent may enter a checked value for (a missing one too)."""
    return [(_label(view, key), key) for key in rules()["agent_may_confirm"]]


def verified_text(view: Any) -> str:
    """Markdown: each verified fact with how, by whom and when (local time), escaped."""
    if not view.verified:
        return "**已核对的事实**：暂无（顾客所述均为“根据顾客提供的信息”）。"
    zone = record_timezone(None)
    lines = ["**已核对的事实**"]
    for key, stamp in view.verified.items():
        how = rules()["how"].get(stamp.get("how") or "system", "")
        when = local_time(stamp.get("at", ""), zone)
        value = view.slots.get(key, "")
        lines.append(f"- {escape(_label(view, key))}：{escape(value)}（{how}：{escape(stamp.get('by', ''))}，{when}）")
    return "\n".join(lines)
