"""Expectations about the conversation itself (issue 10): facts understood, no loops, side questions
answered, and what the written record states. Registered into ``eval.assertions.EXPECTATIONS``."""

from __future__ import annotations

from typing import Any

from eval.assertions import CheckResult, Scope, _as_list, _describe, _found, _normalise, expectation

MAX_ASKS = 2  # a slot asked more often than this in a dialogue is a loop (bot/config/dialogue.yaml)


def _same(expected: Any, actual: Any) -> bool:
    if expected is None:
        return actual is None
    if isinstance(expected, dict):
        return actual is not None and _found(expected, _normalise(str(actual)))
    if isinstance(expected, int | float) and not isinstance(expected, bool):
        try:
            return abs(float(actual) - float(expected)) < 0.005
        except (TypeError, ValueError):
            return False
    return actual is not None and _normalise(str(expected)) == _normalise(str(actual))


def fact_mismatches(value: dict[str, Any], slots: dict[str, Any]) -> list[str]:
    """The slot keys whose value differs from the expected one (values are not printed: they may be personal)."""
    return [key for key, expected in value.items() if not _same(expected, slots.get(key))]


@expectation("facts", category="facts")
def expect_facts(value: dict[str, Any], scope: Scope) -> CheckResult:
    turn = scope.turns[-1]
    wrong = fact_mismatches(value, dict(turn.reply.get("slots") or {}))
    return not wrong, f"{scope.where(turn)}: facts differ: {', '.join(wrong)}"


def loops(scope: Scope) -> list[str]:
    """A reply repeated word for word, or a fact asked more than ``MAX_ASKS`` times."""
    found: list[str] = []
    seen: set[str] = set()
    asked: dict[str, int] = {}
    for turn in scope.turns:
        text = turn.text.strip()
        if text and text in seen:
            found.append(f"{scope.where(turn)} repeats an earlier reply")
        seen.add(text)
        for slot in turn.reply.get("asks") or ():
            asked[slot] = asked.get(slot, 0) + 1
            if asked[slot] == MAX_ASKS + 1:
                found.append(f"{scope.where(turn)} asks for {slot} a {MAX_ASKS + 1}th time")
    return found


@expectation("no_loop", category="loops", scopes=("dialogue",))
def expect_no_loop(value: bool, scope: Scope) -> CheckResult:
    found = loops(scope)
    return not found, "; ".join(found)


@expectation("answers", category="answers")
def expect_answers(value: Any, scope: Scope) -> CheckResult:
    texts = [_normalise(turn.text) for turn in scope.turns]
    missing = [_describe(p) for p in _as_list(value) if not any(_found(p, text) for text in texts)]
    return not missing, f"side question not answered: {', '.join(missing)}"


@expectation("record_says", category="records", scopes=("dialogue",))
def expect_record_says(value: Any, scope: Scope) -> CheckResult:
    """The closing reply (处理小结, written into the record) and the final facts state each of these."""
    closing = [turn for turn in scope.turns if turn.step == "record"]
    last = scope.turns[-1] if scope.turns else None
    facts = " ".join(str(v) for v in (last.reply.get("slots") or {}).values()) if last else ""
    texts = [_normalise(turn.text) for turn in closing] + [_normalise(facts)]
    missing = [_describe(p) for p in _as_list(value) if not any(_found(p, text) for text in texts)]
    return not missing, f"the record does not state {', '.join(missing)}"
