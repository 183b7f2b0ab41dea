"""Run-level figures QA staff compare between two versions of the bot.

All rates are 0.0-1.0, or ``None`` when nothing in the run could measure them (no dialogue
expects an escalation: no recall). Definitions are in eval/README.md; the JSON keys are a contract
(``csbot eval run --json`` prints them as its last line, ``csbot eval compare`` reads them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from statistics import median
from typing import Any

from eval import cited as cited_mod
from eval import pii_scan
from eval.assertions import rails_fired
from eval.results import DialogueResult

CITE_EXPECTATIONS = ("must_cite", "must_cite_any")


def _rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def percentile(values: Sequence[float], share: float) -> float | None:
    """Nearest-rank percentile (p95 of 20 values is the 19th smallest)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-share * len(ordered) // 1))))
    return round(ordered[rank - 1], 1)


def procedure_compliance(results: Sequence[DialogueResult]) -> float | None:
    """Share of dialogues with procedure expectations whose procedure expectations all hold."""
    judged = [r for r in results if any(o.category == "procedure" for o in r.outcomes)]
    good = [r for r in judged if all(o.passed for o in r.outcomes if o.category == "procedure")]
    return _rate(len(good), len(judged))


def citation_validity(results: Sequence[DialogueResult]) -> tuple[float | None, int]:
    """Share of citations in replies that exist and are in force (repealed or invented: invalid)."""
    checked = valid = 0
    for result in results:
        for turn in result.transcript.turns:
            written = [
                f"《{entry['law']}》第{entry['article']}条"
                for entry in turn.reply.get("citations") or ()
                if isinstance(entry, dict) and entry.get("law") and entry.get("article") is not None
            ]
            for found in [c for text in [turn.text, *written] for c in cited_mod.text_citations(text)]:
                if found.valid is not None:
                    checked += 1
                    valid += int(found.valid)
    return _rate(valid, checked), checked


def retrieval_hit_rate(results: Sequence[DialogueResult]) -> float | None:
    """Share of must_cite / must_cite_any expectations whose article was among the retrieved passages."""
    expected = hits = 0
    for result in results:
        by_index = {turn.index: turn for turn in result.transcript.turns}
        for spec in result.dialogue.all_expectations():
            if spec.name not in CITE_EXPECTATIONS:
                continue
            turns = [by_index[spec.turn]] if spec.turn in by_index else list(by_index.values())
            retrieved = [cited_mod.from_structured(entry) for turn in turns for entry in turn.retrieved]
            expected += 1
            hits += int(any(cited_mod.matches(ref, found) for ref in spec.value for found in retrieved))
    return _rate(hits, expected)


def escalation(results: Sequence[DialogueResult]) -> tuple[float | None, float | None]:
    """(recall, precision) at dialogue level: expected = a must_escalate expectation anywhere."""
    tp = fp = fn = 0
    for result in results:
        expected = any(spec.name == "must_escalate" for spec in result.dialogue.all_expectations())
        escalated = any(turn.escalated for turn in result.transcript.turns)
        tp += int(expected and escalated)
        fn += int(expected and not escalated)
        fp += int(escalated and not expected)
    return _rate(tp, tp + fn), _rate(tp, tp + fp)


def pii_leaks(results: Sequence[DialogueResult]) -> int:
    """Planted personal data found in replies, records or LLM requests (every dialogue is scanned)."""
    count = 0
    for result in results:
        transcript = result.transcript
        planted = transcript.planted_pii
        count += len(pii_scan.leaks_in_texts(planted, [turn.text for turn in transcript.turns]))
        count += len(pii_scan.leaks_in_bytes(planted, transcript.records_blob))
        count += len(pii_scan.leaks_in_texts(planted, transcript.llm_requests))
    return count


def pass_rate_by(results: Sequence[DialogueResult], key: str = "procedure") -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for result in results:
        name = result.procedure if key == "procedure" else key
        row = table.setdefault(name, {"dialogues": 0, "passed": 0})
        row["dialogues"] += 1
        row["passed"] += int(result.passed)
    return dict(sorted(table.items()))


def summarise(results: Sequence[DialogueResult]) -> dict[str, Any]:
    """The summary object: the contract of ``--json``'s last line."""
    latencies = [turn.latency_ms for r in results for turn in r.transcript.turns if turn.error is None]
    recall, precision = escalation(results)
    validity, citations_checked = citation_validity(results)
    rails = Counter(rule for r in results for turn in r.transcript.turns for rule in rails_fired(turn.reply))
    failed_by_category = Counter(o.category for r in results for o in r.failures)
    passed = sum(1 for r in results if r.passed)
    return {
        "dialogues": len(results),
        "passed": passed,
        "failed": len(results) - passed,
        "turns": sum(len(r.transcript.turns) for r in results),
        "expectations": sum(len(r.outcomes) for r in results),
        "expectations_failed": sum(len(r.failures) for r in results),
        "failed_by_category": dict(sorted(failed_by_category.items())),
        "pii_leaks": pii_leaks(results),
        "procedure_compliance": procedure_compliance(results),
        "citation_validity": validity,
        "citations_checked": citations_checked,
        "retrieval_hit_rate": retrieval_hit_rate(results),
        "escalation_recall": recall,
        "escalation_precision": precision,
        "latency_p50_ms": round(median(latencies), 1) if latencies else None,
        "latency_p95_ms": percentile(latencies, 0.95),
        "rails_fired": dict(sorted(rails.items())),
        "pass_rate_by_procedure": pass_rate_by(results),
        "records_verified": sum(1 for r in results if r.transcript.records_ok),
        "engine_errors": sum(1 for r in results if r.transcript.error is not None),
    }


def dialogue_figures(result: DialogueResult) -> dict[str, Any]:
    """The per-dialogue line of ``--json``: pass/fail with the same figures as the summary."""
    latencies = [turn.latency_ms for turn in result.transcript.turns]
    validity, checked = citation_validity([result])
    return {
        "id": result.dialogue.id,
        "passed": result.passed,
        "procedure": result.procedure,
        "failed": [f"{o.spec.where}: {o.spec.name}" for o in result.failures],
        "error": result.transcript.error,
        "pii_leaks": pii_leaks([result]),
        "procedure_compliance": procedure_compliance([result]),
        "citation_validity": validity,
        "citations_checked": checked,
        "retrieval_hit_rate": retrieval_hit_rate([result]),
        "escalated": any(turn.escalated for turn in result.transcript.turns),
        "rails_fired": sorted({rule for turn in result.transcript.turns for rule in rails_fired(turn.reply)}),
        "latency_max_ms": round(max(latencies), 1) if latencies else None,
    }
