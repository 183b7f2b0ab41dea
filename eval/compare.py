"""Compare two runs: which figures got better, which regressed, which dialogues flipped.

A run is either the summary line printed by ``csbot eval run --json`` (saved to a file, or the
whole output, whose last JSON line is taken) or the full results file written with ``--out``.
With full results on both sides the comparison also lists dialogues that started or stopped passing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# metric -> +1 when higher is better, -1 when lower is better
DIRECTIONS: dict[str, int] = {
    "passed": 1,
    "failed": -1,
    "pii_leaks": -1,
    "procedure_compliance": 1,
    "citation_validity": 1,
    "retrieval_hit_rate": 1,
    "escalation_recall": 1,
    "escalation_precision": 1,
    "latency_p50_ms": -1,
    "latency_p95_ms": -1,
    "expectations_failed": -1,
    "engine_errors": -1,
}
# Latency moves a little between any two runs; below this relative change it is "same".
LATENCY_TOLERANCE = 0.10


class RunFileError(ValueError):
    """A file given to ``compare`` is not a run summary or results file."""


@dataclass
class Run:
    summary: dict[str, Any]
    dialogues: dict[str, bool] = field(default_factory=dict)  # id -> passed (full results only)


@dataclass(frozen=True)
class Change:
    metric: str
    before: Any
    after: Any
    verdict: str  # better | regressed | same | changed


@dataclass
class Comparison:
    changes: list[Change]
    fixed: list[str]
    broken: list[str]
    added: list[str]
    removed: list[str]

    @property
    def regressed(self) -> bool:
        return bool(self.broken) or any(change.verdict == "regressed" for change in self.changes)


def _last_json_object(text: str) -> dict[str, Any] | None:
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(value, dict):
                return value
    return None


def load_run(path: Path) -> Run:
    """Read a saved summary line or a results file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RunFileError(f"{path}: cannot read: {error}") from None
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError:
        data = _last_json_object(text)
    if isinstance(data, dict) and isinstance(data.get("summary"), dict):
        dialogues = {d["id"]: bool(d["passed"]) for d in data.get("dialogues", []) if isinstance(d, dict) and "id" in d}
        return Run(summary=data["summary"], dialogues=dialogues)
    if isinstance(data, dict) and "dialogues" in data and "passed" in data:
        return Run(summary=data)
    raise RunFileError(f"{path}: not a csbot eval summary (--json) or results (--out) file")


def _verdict(metric: str, before: Any, after: Any) -> str:
    if before == after:
        return "same"
    if not isinstance(before, int | float) or not isinstance(after, int | float):
        return "changed"
    if metric.startswith("latency") and before and abs(after - before) / before < LATENCY_TOLERANCE:
        return "same"
    better = (after - before) * DIRECTIONS[metric] > 0
    return "better" if better else "regressed"


def compare_runs(a: Run, b: Run) -> Comparison:
    changes = [
        Change(
            metric,
            a.summary.get(metric),
            b.summary.get(metric),
            _verdict(metric, a.summary.get(metric), b.summary.get(metric)),
        )
        for metric in DIRECTIONS
        if metric in a.summary or metric in b.summary
    ]
    common = a.dialogues.keys() & b.dialogues.keys()
    return Comparison(
        changes=changes,
        fixed=sorted(d for d in common if b.dialogues[d] and not a.dialogues[d]),
        broken=sorted(d for d in common if a.dialogues[d] and not b.dialogues[d]),
        added=sorted(b.dialogues.keys() - a.dialogues.keys()),
        removed=sorted(a.dialogues.keys() - b.dialogues.keys()),
    )


def _fmt(value: Any) -> str:
    return "—" if value is None else str(value)


def render(comparison: Comparison) -> str:
    """A plain-text table QA staff can paste into a change request."""
    width = max(len(change.metric) for change in comparison.changes) if comparison.changes else 10
    lines = [f"{'metric':<{width}}  {'A':>10}  {'B':>10}  verdict"]
    for change in comparison.changes:
        lines.append(f"{change.metric:<{width}}  {_fmt(change.before):>10}  {_fmt(change.after):>10}  {change.verdict}")
    for title, ids in (
        ("regressed dialogues", comparison.broken),
        ("fixed dialogues", comparison.fixed),
        ("new dialogues", comparison.added),
        ("removed dialogues", comparison.removed),
    ):
        if ids:
            lines.append(f"{title} ({len(ids)}): {', '.join(ids)}")
    better = sum(1 for c in comparison.changes if c.verdict == "better") + len(comparison.fixed)
    worse = sum(1 for c in comparison.changes if c.verdict == "regressed") + len(comparison.broken)
    lines.append(f"better: {better}  regressed: {worse}")
    return "\n".join(lines)


def to_json(comparison: Comparison) -> dict[str, Any]:
    return {
        "changes": [change.__dict__ for change in comparison.changes],
        "fixed": comparison.fixed,
        "regressed_dialogues": comparison.broken,
        "added": comparison.added,
        "removed": comparison.removed,
        "regressed": comparison.regressed,
    }
