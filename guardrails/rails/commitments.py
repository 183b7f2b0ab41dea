"""The commitments rail: a reply may not promise what the procedure step does not allow.

Before the facts are verified (调查核实), a reply must not promise an outcome (保证/一定/全额退款);
no step may make an absolute promise (百分之百/包赔/必胜). The words, the steps that allow outcome
promises, the benign look-alikes and the softer wording all live in ``commitments.yaml``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from guardrails.rails.config import COMMITMENTS_FILE, RailConfigError, compile_alternation, read_data
from guardrails.rails.registry import rail
from guardrails.rails.runner import OutputContext, RailOutcome
from guardrails.rails.schema import CommitmentsFile
from guardrails.rails.text import Edit, apply_edits, sentence_spans


@dataclass(frozen=True)
class CommitmentRules:
    always: re.Pattern[str]
    outcome: re.Pattern[str]
    allowed_steps: frozenset[str]
    exceptions: re.Pattern[str] | None
    softening: tuple[tuple[re.Pattern[str], str], ...]
    never: re.Pattern[str] | None = None  # statements no step may make (an attack that worked)


def load_commitments(path: Path = COMMITMENTS_FILE) -> CommitmentRules:
    """Parse and validate ``commitments.yaml``."""
    data = read_data(path, CommitmentsFile)
    lists = {}
    for key in ("always", "outcome", "exceptions", "outcome_allowed_steps", "never"):
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
            raise RailConfigError(f"{path}: {key!r} must be a list of non-empty strings")
        lists[key] = value
    always = compile_alternation(lists["always"], f"{path}: always")
    outcome = compile_alternation(lists["outcome"], f"{path}: outcome")
    if always is None or outcome is None:
        raise RailConfigError(f"{path}: 'always' and 'outcome' must not be empty")
    softening = []
    for index, entry in enumerate(data.get("softening") or []):
        if not isinstance(entry, dict) or not isinstance(entry.get("replacement"), str):
            raise RailConfigError(f"{path}: softening[{index}] needs 'pattern' and 'replacement'")
        pattern = compile_alternation([str(entry.get("pattern", ""))], f"{path}: softening[{index}]")
        if pattern is None:
            raise RailConfigError(f"{path}: softening[{index}] has an empty pattern")
        softening.append((pattern, entry["replacement"]))
    return CommitmentRules(
        always=always,
        outcome=outcome,
        allowed_steps=frozenset(lists["outcome_allowed_steps"]),
        exceptions=compile_alternation(lists["exceptions"], f"{path}: exceptions"),
        softening=tuple(softening),
        never=compile_alternation(lists["never"], f"{path}: never"),
    )


@functools.cache
def default_commitments() -> CommitmentRules:
    return load_commitments()


def promises(pattern: re.Pattern[str], sentence: str, exceptions: re.Pattern[str] | None) -> list[str]:
    """The phrases of ``pattern`` in ``sentence`` that do not overlap a benign exception."""
    excepted = [m.span() for m in exceptions.finditer(sentence)] if exceptions else []
    return [
        hit.group()
        for hit in pattern.finditer(sentence)
        if not any(start < hit.end() and hit.start() < end for start, end in excepted)
    ]


@rail("commitments")
def commitments_rail(text: str, ctx: OutputContext) -> RailOutcome:
    rules = default_commitments()
    outcomes_allowed = ctx.investigation_complete and ctx.step in rules.allowed_steps
    edits: list[Edit] = []
    reasons: list[str] = []
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        never = promises(rules.never, sentence, None) if rules.never else []
        absolute = promises(rules.always, sentence, rules.exceptions)
        outcome = [] if outcomes_allowed else promises(rules.outcome, sentence, rules.exceptions)
        if never:
            edits.append(Edit(start, end, ""))
            reasons.append("removed a statement no reply may make (commitments.yaml never)")
        elif absolute:
            edits.append(Edit(start, end, ""))
            reasons.append(f"removed absolute promise {'/'.join(absolute)}")
        elif outcome:
            softened = sentence
            for pattern, replacement in rules.softening:
                softened = pattern.sub(replacement, softened)
            still = promises(rules.outcome, softened, rules.exceptions) + promises(rules.always, softened, None)
            edits.append(Edit(start, end, "" if still else softened))
            action = "removed" if still else "softened"
            phrases = "/".join(outcome)
            reasons.append(f"{action} promise {phrases}: not allowed at step {ctx.step} before the facts are verified")
    if not edits:
        return RailOutcome(text)
    return RailOutcome(apply_edits(text, edits), "repaired", tuple(reasons))
