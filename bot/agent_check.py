"""The output rails as checks on an agent's own words: what each rail objects to, never a rewrite.

A bot draft is repaired by the rails before anyone sees it; an agent's reply is the agent's
decision. Each rail runs alone over the agent's text exactly as typed, and where it would have
changed something the difference becomes an ``Objection``: the words it objects to (``span``, empty
when something is missing), what it would have put there (``suggestion``), and its reasons. The
agent then edits, or sends the text as written; either way the verdicts go into the record.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from guardrails.rails import OutputContext, run_output_rails
from guardrails.rails.runner import output_config
from guardrails.types import RailVerdict


@dataclass(frozen=True)
class Objection:
    """One place where one rail objects to the agent's text (offsets into that text)."""

    rule: str
    verdict: str  # "repaired": the rail would change it; "blocked": it would not send it at all
    reasons: tuple[str, ...]
    start: int
    end: int
    span: str  # the agent's words in question ("" when the rail would add something)
    suggestion: str  # what the rail would put instead ("" when it would only remove)

    def to_json(self) -> dict[str, object]:
        return dict(self.__dict__, reasons=list(self.reasons))


@dataclass(frozen=True)
class AgentCheck:
    text: str
    verdicts: tuple[RailVerdict, ...]
    objections: tuple[Objection, ...]

    @property
    def clean(self) -> bool:
        return not self.objections


def _differences(before: str, after: str, join_gap: int = 2) -> list[tuple[int, int, str, str]]:
    """(start, end, old, new) for each run of characters the rail changed; runs at most ``join_gap``
    unchanged characters apart are one change (a rewritten phrase, not scattered letters)."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    runs: list[list[int]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if runs and i1 - runs[-1][1] <= join_gap and j1 - runs[-1][3] <= join_gap:
            runs[-1][1], runs[-1][3] = i2, j2
        else:
            runs.append([i1, i2, j1, j2])
    found = [(i1, i2, before[i1:i2], after[j1:j2]) for i1, i2, j1, j2 in runs]
    return [change for change in found if (change[2] + change[3]).strip()]


def check_agent_text(text: str, context: OutputContext) -> AgentCheck:
    """Every configured output rail, each on the agent's text as typed, as a list of objections."""
    verdicts: list[RailVerdict] = []
    objections: list[Objection] = []
    for rule in output_config()["rails"]:
        result = run_output_rails(text, context, rails=(rule,))
        verdict = result.verdicts[0]
        verdicts.append(verdict)
        if verdict.verdict == "pass":
            continue
        if result.blocked:  # the whole text is in question (e.g. not mainly Chinese)
            objections.append(Objection(rule, "blocked", verdict.reasons, 0, len(text), text, ""))
            continue
        changes = _differences(text, result.text) or [(len(text), len(text), "", "")]
        objections += [
            Objection(rule, verdict.verdict, verdict.reasons, start, end, old, new) for start, end, old, new in changes
        ]
    return AgentCheck(text=text, verdicts=tuple(verdicts), objections=tuple(objections))
