"""Robustness replay: many real opening messages, each in its own session, through one engine.

Per message it checks that the engine answered (no exception), that the reply it sent passes the
output rails when they are run over it again (citations exist and are in force, no raw personal
data, no premature promise, permitted language), and at the end that the records database holds
none of the personal data found in the messages. It also says how the messages were routed.
``bench/replay.py`` runs it over the STARD lay questions; a test runs it over a small own sample.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

from bot.settings import Settings
from bot.types import Turn, TurnTrace
from eval import pii_scan
from eval.metrics import percentile

# Output rails that must leave an already-sent reply unchanged. required_elements is not among
# them: the engine supplied its elements when it drafted; the replay does not know them.
RECHECKED_RAILS = ("citations", "personal_data", "commitments", "forbidden_phrasing", "exfiltration", "language")
INVESTIGATED_STEPS = ("resolve", "record")


@dataclass
class ReplayReport:
    questions: int = 0
    crashes: list[str] = field(default_factory=list)  # question ids (never the text)
    rail_failures: dict[str, list[str]] = field(default_factory=dict)  # question id -> rules that objected
    pii_in_records: list[str] = field(default_factory=list)  # kinds found in the records file
    latencies_ms: list[float] = field(default_factory=list)
    procedures: Counter[str] = field(default_factory=Counter)
    steps: Counter[str] = field(default_factory=Counter)
    escalated: int = 0
    with_statute: int = 0
    records_ok: bool | None = None

    @property
    def ok(self) -> bool:
        return not self.crashes and not self.rail_failures and not self.pii_in_records and self.records_ok is True

    def figures(self) -> dict[str, Any]:
        answered = self.questions - len(self.crashes)
        return {
            "questions": self.questions,
            "crashes": len(self.crashes),
            "rail_failures": len(self.rail_failures),
            "pii_in_records": dict(Counter(self.pii_in_records)),
            "records_ok": self.records_ok,
            "latency_p50_ms": round(median(self.latencies_ms), 1) if self.latencies_ms else None,
            "latency_p95_ms": percentile(self.latencies_ms, 0.95),
            "escalated_share": round(self.escalated / answered, 3) if answered else None,
            "statute_cited_share": round(self.with_statute / answered, 3) if answered else None,
            "procedures": dict(self.procedures.most_common()),
            "steps": dict(self.steps.most_common()),
        }


def rail_objections(text: str, step: str, placeholders: frozenset[str] = frozenset()) -> list[str]:
    """Output rails (re-run on a sent reply) that would still change or block it."""
    from guardrails.rails import OutputContext, run_output_rails

    context = OutputContext(
        step=step, investigation_complete=step in INVESTIGATED_STEPS, customer_placeholders=placeholders
    )
    result = run_output_rails(text, context, rails=RECHECKED_RAILS)
    return [v.rule for v in result.verdicts if v.verdict != "pass"]


def _customer_placeholders(trace: TurnTrace) -> frozenset[str]:
    if trace.masked_input is None:
        return frozenset()
    return frozenset(change.replacement for change in trace.masked_input.changes)


def cites_statute(reply: dict[str, Any]) -> bool:
    from eval.cited import text_citations

    if any(isinstance(c, dict) and c.get("law") for c in reply.get("citations") or ()):
        return True
    return any(c.law is not None and c.valid for c in text_citations(str(reply.get("reply", ""))))


def _answer(bot: Any, report: ReplayReport, qid: str, text: str) -> None:
    session = bot.new_session()
    started = time.perf_counter()
    try:
        traced = bot.trace_turn(Turn(session=session, text=text))
    except Exception:  # counted and named by id; the text may hold personal data
        report.crashes.append(qid)
        return
    report.latencies_ms.append((time.perf_counter() - started) * 1000)
    reply = traced.reply.to_json()
    report.procedures[str(reply.get("procedure"))] += 1
    report.steps[str(reply.get("step"))] += 1
    report.escalated += int(bool(reply.get("escalated")))
    report.with_statute += int(cites_statute(reply))
    placeholders = _customer_placeholders(traced.trace)
    objections = rail_objections(str(reply.get("reply", "")), str(reply.get("step")), placeholders)
    if objections:
        report.rail_failures[qid] = objections


def replay(questions: Sequence[tuple[str, str]], settings: Settings, *, progress_every: int = 0) -> ReplayReport:
    """(id, text) pairs, each as the opening message of its own session, through one ``CsBot``."""
    from bot.service import CsBot

    report = ReplayReport(questions=len(questions))
    bot = CsBot(settings, drafter="template")
    planted: dict[str, str] = {}
    for number, (qid, text) in enumerate(questions, start=1):
        planted.update({value: kind for kind, value in pii_scan.detected_pii(text)})
        _answer(bot, report, qid, text)
        if progress_every and number % progress_every == 0:
            print(f"  {number}/{len(questions)}", flush=True)
    report.records_ok = bool(bot.records.verify().ok)
    blob = b"".join(p.read_bytes() for p in Path(settings.home).glob("records.db*") if p.is_file())
    pairs = [(kind, value) for value, kind in planted.items()]
    report.pii_in_records = pii_scan.leaks_in_bytes(pairs, blob)
    return report
