"""Run the output rails over a draft in the configured order and collect their verdicts.

Every rail is a small function registered in ``guardrails.rails.output``; this module owns the
values they exchange (``OutputContext`` in, ``RailOutcome`` out), the chain itself, the timing of
each rail, and the canned replies. A blocked draft is replaced by the ``output_blocked`` canned
reply, so a caller that forgets to check ``blocked`` still never sends the blocked text.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from guardrails.rails.config import OUTPUT_RAILS_FILE, RailConfigError, load_input_config, read_data
from guardrails.rails.registry import get_rail
from guardrails.rails.schema import OutputRailsFile
from guardrails.types import RailVerdict, VerdictKind

Step = Literal["accept", "triage", "investigate", "resolve", "record"]


@dataclass(frozen=True)
class RequiredElement:
    """Something the step's reply must contain: one of ``any_of``, else ``fallback`` is appended."""

    name: str
    any_of: tuple[str, ...]
    fallback: str


@dataclass(frozen=True)
class OutputContext:
    """What the output rails need to know about the conversation (never the customer's raw data)."""

    step: str
    investigation_complete: bool
    customer_placeholders: frozenset[str] = frozenset()
    required_elements: tuple[RequiredElement, ...] = ()
    explains_law: bool | None = None  # None: detect from the draft
    customer_text: str = ""  # the customer's MASKED message, for the citation-relevance rail


@dataclass(frozen=True)
class OutputResult:
    text: str
    verdicts: tuple[RailVerdict, ...]
    blocked: bool


@dataclass(frozen=True)
class RailOutcome:
    """What one rail returns: the (possibly repaired) text, its decision and reasons."""

    text: str
    verdict: VerdictKind = "pass"
    reasons: tuple[str, ...] = field(default=())


def run_output_rails(draft: str, ctx: OutputContext, rails: tuple[str, ...] | None = None) -> OutputResult:
    """Pass ``draft`` through each rail in order; stop at the first that blocks."""
    text = draft
    verdicts: list[RailVerdict] = []
    for rail_id in rails if rails is not None else output_config()["rails"]:
        function = get_rail(rail_id, stage="output")
        started = time.perf_counter()
        outcome: RailOutcome = function(text, ctx)
        if outcome.verdict != "blocked" and not outcome.text.strip():
            outcome = RailOutcome(text="", verdict="blocked", reasons=(*outcome.reasons, "nothing left after repair"))
        duration_ms = (time.perf_counter() - started) * 1000
        verdicts.append(RailVerdict(rail_id, outcome.verdict, outcome.reasons, round(duration_ms, 3)))
        if outcome.verdict == "blocked":
            return OutputResult(text=canned_reply("output_blocked"), verdicts=tuple(verdicts), blocked=True)
        text = outcome.text
    return OutputResult(text=text, verdicts=tuple(verdicts), blocked=False)


def canned_reply(rule_or_key: str) -> str:
    """The canned reply for an input rule id, a category, or a key such as ``output_blocked``.

    A rule without its own text falls back to its category's text.
    """
    canned: dict[str, str] = output_config()["canned"]
    if rule_or_key in canned:
        return canned[rule_or_key]
    for rule in load_input_config().rules:
        if rule.id == rule_or_key and rule.category in canned:
            return canned[rule.category]
    raise KeyError(f"no canned reply for {rule_or_key!r} in {OUTPUT_RAILS_FILE.name}")


@functools.cache
def output_config() -> dict[str, Any]:
    """The output-rail configuration, validated once per process."""
    data = read_data(OUTPUT_RAILS_FILE, OutputRailsFile)
    rails = data.get("rails")
    if not isinstance(rails, list) or not all(isinstance(item, str) for item in rails):
        raise RailConfigError(f"{OUTPUT_RAILS_FILE}: 'rails' must be a list of rail ids")
    canned = data.get("canned")
    if not isinstance(canned, dict) or not all(isinstance(v, str) and v for v in canned.values()):
        raise RailConfigError(f"{OUTPUT_RAILS_FILE}: 'canned' must map keys to non-empty texts")
    if "output_blocked" not in canned:
        raise RailConfigError(f"{OUTPUT_RAILS_FILE}: 'canned' needs an 'output_blocked' text")
    data["rails"] = tuple(rails)
    return data
