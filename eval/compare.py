"""Compare two runs: which quality figures got better or regressed, how latency moved, which
dialogues flipped.

A run is either the summary line printed by ``csbot eval run --json`` (saved to a file, or the
whole output, whose last JSON line is taken) or the full results file written with ``--out``.
With full results on both sides the comparison also lists dialogues that started or stopped passing.

Quality and latency are judged apart. Quality (pass counts, leaks, rates) is deterministic for the
same code and data, so any change counts; a quality regression fails the comparison. Latency moves
between any two runs of the same code, so it is only reported (a warning) and only beyond
``LATENCY_TOLERANCE`` and ``LATENCY_MIN_MS`` together. Two runs over different dialogues (a
0-dialogue run against a 28-dialogue one) are not comparable: their totals say nothing about each
other, so ``comparable`` is False and no verdict is given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# metric -> +1 when higher is better, -1 when lower is better
QUALITY: dict[str, int] = {
    "passed": 1,
    "failed": -1,
    "pii_leaks": -1,
    "procedure_compliance": 1,
    "citation_validity": 1,
    "retrieval_hit_rate": 1,
    "escalation_recall": 1,
    "escalation_precision": 1,
    "expectations_failed": -1,
    "engine_errors": -1,
    "load_errors": -1,
}
LATENCY: tuple[str, ...] = ("latency_p50_ms", "latency_p95_ms")
DIRECTIONS: dict[str, int] = {**QUALITY, **{metric: -1 for metric in LATENCY}}
# Latency is "moved" only when it changes by more than this share AND by more than LATENCY_MIN_MS.
LATENCY_TOLERANCE = 0.25
LATENCY_MIN_MS = 20.0
RATE_EPSILON = 1e-9  # rates are rounded floats: equal below this


class RunFileError(ValueError):
    """A file given to ``compare`` is not a run summary or results file."""


@dataclass
class Run:
    summary: dict[str, Any]
    dialogues: dict[str, bool] = field(default_factory=dict)  # id -> passed (full results only)
    label: str = ""
    started_at: str = ""
    load_errors: int = 0

    @property
    def name(self) -> str:
        parts = [part for part in (self.label, self.started_at) if part]
        return " · ".join(parts) or "(unlabelled)"


@dataclass(frozen=True)
class Change:
    metric: str
    kind: str  # quality | latency
    before: Any
    after: Any
    verdict: str  # better | regressed | same | changed | slower | faster | not comparable


@dataclass
class Comparison:
    changes: list[Change]
    fixed: list[str]
    broken: list[str]
    added: list[str]
    removed: list[str]
    comparable: bool = True
    why_not_comparable: str = ""
    warnings: list[str] = field(default_factory=list)
    names: tuple[str, str] = ("", "")

    @property
    def regressed(self) -> bool:
        """A quality regression (never latency alone)."""
        return bool(self.broken) or any(c.verdict == "regressed" and c.kind == "quality" for c in self.changes)

    @property
    def latency_moved(self) -> bool:
        return any(change.verdict == "slower" for change in self.changes)


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
        summary = data["summary"]
        dialogues = {d["id"]: bool(d["passed"]) for d in data.get("dialogues", []) if isinstance(d, dict) and "id" in d}
        errors = data.get("load_errors")
        return Run(
            summary=summary,
            dialogues=dialogues,
            label=str(data.get("label") or summary.get("label") or ""),
            started_at=str(data.get("started_at") or ""),
            load_errors=len(errors) if isinstance(errors, list) else int(summary.get("load_errors") or 0),
        )
    if isinstance(data, dict) and "dialogues" in data and "passed" in data:
        return Run(summary=data, label=str(data.get("label") or ""), load_errors=int(data.get("load_errors") or 0))
    raise RunFileError(f"{path}: not a csbot eval summary (--json) or results (--out) file")


def _latency_verdict(before: float, after: float) -> str:
    moved = abs(after - before)
    if moved <= LATENCY_MIN_MS or (before and moved / before <= LATENCY_TOLERANCE):
        return "same"
    return "faster" if after < before else "slower"


def _verdict(metric: str, before: Any, after: Any) -> str:
    if before == after:
        return "same"
    if not isinstance(before, int | float) or not isinstance(after, int | float):
        return "changed"
    if metric in LATENCY:
        return _latency_verdict(float(before), float(after))
    if abs(after - before) < RATE_EPSILON:
        return "same"
    return "better" if (after - before) * DIRECTIONS[metric] > 0 else "regressed"


def _not_comparable(a: Run, b: Run) -> str:
    """Why two runs' totals cannot be set against each other; empty when they can."""
    counts = (a.summary.get("dialogues"), b.summary.get("dialogues"))
    for side, count in zip("AB", counts, strict=True):
        if not count:
            return f"run {side} has no dialogues (nothing ran; check its load errors)"
    if a.dialogues and b.dialogues:
        if a.dialogues.keys() != b.dialogues.keys():
            common = len(a.dialogues.keys() & b.dialogues.keys())
            return f"the runs cover different dialogues ({counts[0]} vs {counts[1]}, {common} in common)"
    elif counts[0] != counts[1]:
        return f"the runs cover different numbers of dialogues ({counts[0]} vs {counts[1]})"
    return ""


def compare_runs(a: Run, b: Run) -> Comparison:
    why = _not_comparable(a, b)
    changes = []
    for metric, kind in [*((m, "quality") for m in QUALITY), *((m, "latency") for m in LATENCY)]:
        if metric not in a.summary and metric not in b.summary:
            continue
        before, after = a.summary.get(metric), b.summary.get(metric)
        verdict = "not comparable" if why else _verdict(metric, before, after)
        changes.append(Change(metric, kind, before, after, verdict))
    common = a.dialogues.keys() & b.dialogues.keys()
    warnings = [
        f"run {side} ({run.name}): {run.load_errors} file(s) failed to load"
        for side, run in (("A", a), ("B", b))
        if run.load_errors
    ]
    comparison = Comparison(
        changes=changes,
        fixed=sorted(d for d in common if b.dialogues[d] and not a.dialogues[d]),
        broken=sorted(d for d in common if a.dialogues[d] and not b.dialogues[d]),
        added=sorted(b.dialogues.keys() - a.dialogues.keys()),
        removed=sorted(a.dialogues.keys() - b.dialogues.keys()),
        comparable=not why,
        why_not_comparable=why,
        warnings=warnings,
        names=(a.name, b.name),
    )
    for change in changes:
        if change.verdict == "slower":
            comparison.warnings.append(
                f"{change.metric} went from {change.before} to {change.after} ms: latency warning, not a failure"
            )
    return comparison


def _fmt(value: Any) -> str:
    return "—" if value is None else str(value)


def render(comparison: Comparison) -> str:
    """A plain-text table QA staff can paste into a change request: quality first, latency apart."""
    lines = [f"A = {comparison.names[0]}", f"B = {comparison.names[1]}"]
    if not comparison.comparable:
        lines.append(f"NOT COMPARABLE: {comparison.why_not_comparable}")
    width = max((len(change.metric) for change in comparison.changes), default=10)
    for kind, title in (("quality", "quality"), ("latency", "latency (warns only)")):
        rows = [change for change in comparison.changes if change.kind == kind]
        if rows:
            lines += ["", f"{title:<{width}}  {'A':>10}  {'B':>10}  verdict"]
            lines += [f"{c.metric:<{width}}  {_fmt(c.before):>10}  {_fmt(c.after):>10}  {c.verdict}" for c in rows]
    lines.append("")
    for title, ids in (
        ("regressed dialogues", comparison.broken),
        ("fixed dialogues", comparison.fixed),
        ("new dialogues", comparison.added),
        ("removed dialogues", comparison.removed),
    ):
        if ids:
            lines.append(f"{title} ({len(ids)}): {', '.join(ids)}")
    lines += [f"warning: {warning}" for warning in comparison.warnings]
    if comparison.comparable:
        quality = [c for c in comparison.changes if c.kind == "quality"]
        better = sum(1 for c in quality if c.verdict == "better") + len(comparison.fixed)
        worse = sum(1 for c in quality if c.verdict == "regressed") + len(comparison.broken)
        lines.append(f"quality better: {better}  regressed: {worse}")
    else:
        lines.append(f"no verdict: the runs are not comparable ({len(comparison.broken)} common dialogues regressed)")
    return "\n".join(lines)


def to_json(comparison: Comparison) -> dict[str, Any]:
    return {
        "a": comparison.names[0],
        "b": comparison.names[1],
        "comparable": comparison.comparable,
        "why_not_comparable": comparison.why_not_comparable,
        "changes": [change.__dict__ for change in comparison.changes],
        "fixed": comparison.fixed,
        "regressed_dialogues": comparison.broken,
        "added": comparison.added,
        "removed": comparison.removed,
        "regressed": comparison.regressed,
        "latency_moved": comparison.latency_moved,
        "warnings": comparison.warnings,
    }
