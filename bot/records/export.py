"""The 书面记录 of one case as Markdown or HTML: parties, timeline of steps, facts, remedies, grounds,
guardrail interventions and the (masked) transcript, for a customer, a mediator or a court.

Customer text is HTML-escaped in both formats: a Markdown viewer renders raw HTML too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import jinja2

from bot.plaintext import md_escape
from bot.records.bodies import EVENT_KINDS, Message, transcript
from bot.records.record_text import (
    escalation_reason_zh,
    final_outcome,
    intervention_zh,
    local_time,
    record_text,
    record_timezone,
    signature_lines,
    zone_name,
)
from bot.types import STEP_NAMES_ZH
from knowledge.datafile import DataModel, load_checked

TEMPLATES = Path(__file__).resolve().parent / "templates"
EVENTS_FILE = Path(__file__).resolve().parent / "events.yaml"


class EndPhrases(DataModel):
    agent: str
    system: str


class EventsFile(DataModel):
    """bot/records/events.yaml: how the timeline phrases consent, end and erasure records."""

    consent: str
    end: EndPhrases
    erasure: str
    reason: str
    verify: str
    channels: dict[str, str]


ACTOR_NAMES = {"customer": "顾客", "bot": "客服机器人", "agent": "人工客服", "system": "系统"}


@lru_cache(maxsize=2)
def _environment(fmt: str) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # both formats: customer text must never become markup
        finalize=md_escape if fmt == "md" else None,  # nor Markdown structure (links, images, headings)
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["localtime"] = local_time  # {{ stored_utc|localtime(zone) }}
    return environment


def _slot_labels() -> dict[str, str]:
    from bot.slots import load_slot_specs

    return {slot_id: spec.label for slot_id, spec in load_slot_specs().items()}


@lru_cache(maxsize=1)
def _event_phrases() -> dict[str, Any]:
    return dict(load_checked(EVENTS_FILE, EventsFile))


def _event_line(row: Mapping[str, Any]) -> str | None:
    """The timeline line of a consent, an end or an erasure record; None for an exchange."""
    phrases, body, kind = _event_phrases(), row["body"], row["kind"]
    if kind == "consent":
        channel = phrases["channels"].get(body.get("channel"), body.get("channel", ""))
        return str(phrases["consent"]).format(notice_version=body.get("notice_version", ""), channel=channel)
    if kind in ("satisfaction", "attachment"):
        from bot.customer_events import attachment_record_line, satisfaction_line

        if kind == "satisfaction":
            return satisfaction_line(str(body.get("rating", "")))
        return attachment_record_line(body)
    if kind == "verify":
        facts = "、".join(f"{fact.get('label', '')} {fact.get('value', '')}" for fact in body.get("facts") or ())
        return str(phrases["verify"]).format(agent_id=body.get("agent_id", ""), facts=facts)
    if kind == "erasure":
        return str(phrases["erasure"]).format(erased_values=body.get("erased_values", 0), reason=body.get("reason", ""))
    if kind != "end":
        return None
    line: str = phrases["end"]["system" if row["actor"] == "system" else "agent"].format(
        agent_id=body.get("agent_id", "")
    )
    return line + (phrases["reason"].format(reason=body["reason"]) if body.get("reason") else "")


def _timeline(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    timeline = []
    for row in rows:
        body = row["body"]
        event = _event_line(row)
        if event is not None:
            timeline.append({"time": row["created_at"], "step": event})
        for step in body.get("steps_entered", ()):
            timeline.append({"time": row["created_at"], "step": f"{STEP_NAMES_ZH.get(step, step)}（{step}）"})
        if body.get("escalated_now"):
            timeline.append(
                {
                    "time": row["created_at"],
                    "step": f"转人工（{escalation_reason_zh(str(body.get('escalation_reason') or ''))}）",
                }
            )
    return timeline


def _grounds(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    labels: dict[str, None] = {}
    for row in rows:
        for source in row["body"].get("cited", ()):
            labels[str(source.get("label", ""))] = None
    return [label for label in labels if label]


def _interventions(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    found = []
    for row in rows:
        body = row["body"]
        for flag in body.get("input_flags", ()):
            what = intervention_zh(flag["rule"], flag["action"])
            found.append({"time": row["created_at"], "what": f"顾客消息·{what}"})
        for verdict in body.get("verdicts", ()):
            if verdict.get("verdict") != "pass":
                what = intervention_zh(verdict["rule"], verdict["verdict"], verdict.get("reasons", ()))
                found.append({"time": row["created_at"], "what": f"回复·{what}"})
    return found


def _facts(
    slots: Mapping[str, str], verified: Mapping[str, Mapping[str, Any]], labels: Mapping[str, str], zone: Any
) -> list[tuple[str, str]]:
    """The case's facts; a verified one says who checked it and when (经客服核对：alice，…)."""
    from bot.verification import label_of_extra, record_mark

    named = {**labels, **{key: label_of_extra(key) for key in verified if key not in labels}}
    facts = []
    for key, label in named.items():
        if not slots.get(key) or key == "agreement":
            continue
        checked = verified.get(key)
        mark = record_mark(checked, local_time(checked.get("at", ""), zone)) if checked else ""
        facts.append((label, slots[key] + mark))
    return facts


def _who(message: Message) -> str:
    return ACTOR_NAMES[message.actor] + (f"（{message.agent_id}）" if message.agent_id else "")


def _transcript(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    return [{"time": m.time, "who": _who(m), "text": m.text} for m in transcript(rows)]


TARGET_NAMES = {
    "triage_hours": "初步处理（小时）",
    "investigate_workdays": "调查核实（工作日）",
    "close_days": "办结（日）",
    "record_hours": "形成书面记录（小时）",
}


def _targets(targets: Mapping[str, Any]) -> list[str]:
    return [f"{TARGET_NAMES.get(key, key)} {value}" for key, value in targets.items()]


def _company_name() -> str:
    from bot.facts import company

    return str(company().get("name", ""))


def render_case(
    case_id: str,
    rows: Sequence[Mapping[str, Any]],
    state: Mapping[str, Any] | None,
    fmt: Literal["md", "html"],
    timezone: str | None = None,
) -> str:
    """The record; times in ``timezone`` (CSBOT_RECORD_TIMEZONE), else record_text.yaml's zone."""
    state = state or {}
    zone = record_timezone(timezone)
    ends = [row for row in rows if row["kind"] == "end"]
    agents = sorted({str(r["body"]["agent_id"]) for r in rows if r["body"].get("agent_id")})
    labels = _slot_labels()
    exchanges = [row for row in rows if row["kind"] not in EVENT_KINDS]
    last = (exchanges or rows)[-1]["body"]  # a consent, end or erasure record carries no procedure or remedies
    slots = state.get("slots", {})
    context = {
        "case_id": case_id,
        "session": rows[0]["session"],
        "procedure": last.get("procedure_name") or state.get("procedure", ""),
        "step": STEP_NAMES_ZH.get(state.get("step", ""), state.get("step", "")),
        "escalated": bool(state.get("escalated")),
        "opened": rows[0]["created_at"],
        "last": rows[-1]["created_at"],
        "agents": agents,
        "facts": _facts(slots, state.get("verified") or {}, labels, zone),
        "remedies_offered": last.get("remedies", []),
        "outcome": final_outcome(slots, ends[-1] if ends else None, zone),
        "company": _company_name(),
        "zone": zone,
        "zone_note": f"{zone_name(zone)}（{zone.key}）",
        "signature_title": record_text()["signature"]["title"],
        "signature": signature_lines(_company_name(), agents, local_time(rows[-1]["created_at"], zone, "%Y年%m月%d日")),
        "timeline": _timeline(rows),
        "grounds": _grounds(rows),
        "interventions": _interventions(rows),
        "transcript": _transcript(rows),
        "first_hash": rows[0]["hash"],
        "last_hash": rows[-1]["hash"],
        "count": len(rows),
        "targets": _targets(last.get("response_time") or {}),
    }
    template = "record.html.j2" if fmt == "html" else "record.md.j2"
    return _environment(fmt).get_template(template).render(**context)
