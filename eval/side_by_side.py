"""Two saved runs (``--out`` results JSON) set side by side, dialogue by dialogue and turn by turn:
what the customer said (masked), what each run replied and at which step, and which expectations
failed in each — so QA staff read what changed, not only that a figure moved."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.types import STEP_NAMES_ZH

CASE_NUMBER = re.compile(r"CS\d{8}-[0-9A-F]{6,}")  # new in every run: not a change in what the bot said
SIDE_BY_SIDE_HEADERS = ("对话", "轮次", "顾客（已遮盖）", "A 的回复", "B 的回复", "A 未满足", "B 未满足")
MISSING = "（本次未运行）"


def _by_id(results: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {str(d["id"]): d for d in results.get("dialogues", []) if isinstance(d, dict) and "id" in d}


def _reply(turn: Mapping[str, Any] | None) -> str:
    if turn is None:
        return MISSING
    reply = turn.get("reply") or {}
    text, step = str(reply.get("reply") or ""), str(reply.get("step") or "")
    return f"【{STEP_NAMES_ZH.get(step, step)}】{text}" if step else text


def _failures(dialogue: Mapping[str, Any] | None, turn: int | None) -> str:
    if dialogue is None:
        return MISSING
    failed = [o for o in dialogue.get("outcomes", ()) if not o.get("passed") and o.get("turn") == turn]
    return "；".join(f"{o.get('expectation')}: {o.get('message')}" for o in failed)


def _differ(left: str, right: str) -> bool:
    return CASE_NUMBER.sub("CS…", left) != CASE_NUMBER.sub("CS…", right)


def side_by_side(a: Mapping[str, Any], b: Mapping[str, Any], only_changed: bool = False) -> list[list[str]]:
    """One row per dialogue turn, then one per dialogue for its dialogue-level expectations."""
    left, right = _by_id(a), _by_id(b)
    rows: list[list[str]] = []
    for dialogue_id in sorted(left.keys() | right.keys()):
        da, db = left.get(dialogue_id), right.get(dialogue_id)
        turns_a = {t["index"]: t for t in (da or {}).get("turns", ())}
        turns_b = {t["index"]: t for t in (db or {}).get("turns", ())}
        verdict = "/".join("—" if d is None else ("通过" if d.get("passed") else "未通过") for d in (da, db))
        for index in sorted(turns_a.keys() | turns_b.keys()):
            ta, tb = turns_a.get(index), turns_b.get(index)
            said = str((ta or tb or {}).get("customer") or "")
            row = [
                f"{dialogue_id}（{verdict}）",
                str(index + 1),
                said,
                _reply(ta),
                _reply(tb),
                _failures(da, index),
                _failures(db, index),
            ]
            if not only_changed or _differ(row[3], row[4]) or _differ(row[5], row[6]):
                rows.append(row)
        whole = [f"{dialogue_id}（{verdict}）", "整段", "", "", "", _failures(da, None), _failures(db, None)]
        if any(cell not in ("", MISSING) for cell in whole[5:]):
            rows.append(whole)
    return rows
