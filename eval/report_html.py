"""A self-contained HTML report of a run: summary cards, inline SVG charts, a drill-down per dialogue.

No CDN, no external file: the report is one file QA staff can attach to a ticket and open
offline. Jinja2 autoescaping escapes every customer text, reply and message; chart geometry is
computed here so the template only draws rectangles.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from eval.results import DialogueResult, RunResult

TEMPLATES = Path(__file__).with_name("templates")
LATENCY_BINS_MS = (10, 25, 50, 100, 150, 250, 500, 1000, 2500)
CHART_WIDTH = 520
BAR_HEIGHT = 22


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _bars(rows: Sequence[tuple[str, float, str]], maximum: float) -> list[dict[str, Any]]:
    """Horizontal bars: (label, value, caption) -> geometry for the template."""
    label_width = 190
    usable = CHART_WIDTH - label_width - 70
    return [
        {
            "label": label,
            "caption": caption,
            "y": index * (BAR_HEIGHT + 6),
            "x": label_width,
            "width": max(1.0, usable * value / maximum) if maximum else 1.0,
            "value": value,
        }
        for index, (label, value, caption) in enumerate(rows)
    ]


def pass_rate_chart(summary: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for name, row in summary.get("pass_rate_by_procedure", {}).items():
        rate = row["passed"] / row["dialogues"] if row["dialogues"] else 0.0
        rows.append((name, rate, f"{row['passed']}/{row['dialogues']}"))
    return _bars(rows, 1.0)


def latency_chart(results: Sequence[DialogueResult]) -> list[dict[str, Any]]:
    latencies = [turn.latency_ms for r in results for turn in r.transcript.turns]
    counts = [0] * (len(LATENCY_BINS_MS) + 1)
    for value in latencies:
        counts[sum(1 for edge in LATENCY_BINS_MS if value > edge)] += 1
    labels = [f"≤ {LATENCY_BINS_MS[0]} ms"]
    labels += [f"{low}–{high} ms" for low, high in itertools.pairwise(LATENCY_BINS_MS)]
    labels.append(f"> {LATENCY_BINS_MS[-1]} ms")
    return _bars([(label, count, str(count)) for label, count in zip(labels, counts, strict=True)], max(counts or [0]))


def rails_chart(summary: dict[str, Any]) -> list[dict[str, Any]]:
    fired = sorted(summary.get("rails_fired", {}).items(), key=lambda item: (-item[1], item[0]))
    return _bars([(rule, count, str(count)) for rule, count in fired], max((c for _, c in fired), default=0))


def citation_label(entry: dict[str, Any]) -> str:
    if entry.get("law"):
        return f"《{entry['law']}》第{entry.get('article')}条"
    return f"《{entry.get('doc')}》{entry.get('section')}"


def rail_label(entry: dict[str, Any]) -> str:
    detail = entry.get("verdict") or entry.get("action") or ""
    return f"{entry.get('rule')}: {detail}" if detail else str(entry.get("rule"))


def _turn_view(result: DialogueResult, index: int) -> dict[str, Any]:
    turn = result.transcript.turns[index]
    reply = turn.reply
    rails = [r for r in reply.get("rails") or () if isinstance(r, dict)]
    return {
        "number": index + 1,
        "customer": turn.customer_masked,
        "reply": turn.text,
        "step": turn.step,
        "step_before": turn.step_before,
        "procedure": reply.get("procedure"),
        "escalated": turn.escalated,
        "latency_ms": turn.latency_ms,
        "citations": [citation_label(c) for c in reply.get("citations") or () if isinstance(c, dict)],
        "rails": [rail_label(r) for r in rails if r.get("verdict", "fired") != "pass"],
        "rails_passed": sum(1 for r in rails if r.get("verdict") == "pass"),
        "missing_slots": list(reply.get("missing_slots") or ()),
        "outcomes": [o for o in result.outcomes if o.spec.turn == index],
    }


def _dialogue_view(result: DialogueResult) -> dict[str, Any]:
    return {
        "id": result.dialogue.id,
        "description": result.dialogue.description,
        "location": result.dialogue.location,
        "tags": result.dialogue.tags,
        "procedure": result.procedure,
        "passed": result.passed,
        "error": result.transcript.error,
        "failures": len(result.failures),
        "turns": [_turn_view(result, i) for i in range(len(result.transcript.turns))],
        "dialogue_outcomes": [o for o in result.outcomes if o.spec.turn is None],
    }


def _percent(value: Any) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def render_report(run: RunResult, title: str = "csbot evaluation report") -> str:
    template = _environment().get_template("report.html.j2")
    summary = run.summary
    return template.render(
        title=title,
        run=run,
        summary=summary,
        percent=_percent,
        pass_chart=pass_rate_chart(summary),
        latency_chart=latency_chart(run.dialogues),
        rails_chart=rails_chart(summary),
        chart_width=CHART_WIDTH,
        bar_height=BAR_HEIGHT,
        dialogues=[_dialogue_view(result) for result in run.dialogues],
    )


def write_report(run: RunResult, path: Path) -> None:
    path.write_text(render_report(run), encoding="utf-8")
