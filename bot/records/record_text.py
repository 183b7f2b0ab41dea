"""The words and clock of the 书面记录: local time, guardrail interventions in Chinese, the final
outcome and the sign-off block, all driven by ``record_text.yaml``.

The rails write their reasons in English for engineers; a written record for a customer, a mediator
or a court reads Chinese throughout, so each reason is rendered through the YAML's pattern table
and one that no pattern knows is left out rather than shown in English.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot import rail_labels
from knowledge.datafile import DataModel, load_checked

TEXT_FILE = Path(__file__).resolve().parent / "record_text.yaml"


class EndedBy(DataModel):
    agent: str
    system: str


class Signature(DataModel):
    title: str
    lines: list[str]
    no_handler: str


class RecordTextFile(DataModel):
    """record_text.yaml: the record's clock, rail names and reasons in Chinese, outcome and sign-off."""

    timezone: str
    time_format: str
    zone_names: dict[str, str]
    other_zone: str
    verdicts: dict[str, str]
    kinds: dict[str, str]
    escalation_reasons: dict[str, str]
    outcome_open: str
    outcome_ended: str
    ended_by: EndedBy
    signature: Signature


@cache
def record_text() -> dict[str, Any]:
    return dict(load_checked(TEXT_FILE, RecordTextFile))


def kind_zh(kind: str) -> str:
    """A record's kind in Chinese (record_text.yaml ``kinds``), else the stored kind."""
    return str(record_text()["kinds"].get(kind, kind))


def record_timezone(name: str | None = None) -> ZoneInfo:
    """The zone the record's times are shown in: ``name`` (CSBOT_RECORD_TIMEZONE), else the YAML's."""
    chosen = name or str(record_text()["timezone"])
    try:
        return ZoneInfo(chosen)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {chosen!r} (an IANA name such as Asia/Shanghai)") from error


def zone_name(zone: ZoneInfo) -> str:
    """北京时间 for Asia/Shanghai, …; 当地时间 for a zone the table does not name."""
    return str(record_text()["zone_names"].get(zone.key, record_text()["other_zone"]))


def local_time(stored: str, zone: ZoneInfo, fmt: str | None = None) -> str:
    """A stored UTC ISO timestamp as local wall-clock time; text that is not a timestamp is kept."""
    try:
        moment = datetime.fromisoformat(str(stored))
    except ValueError:
        return str(stored)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).strftime(fmt or str(record_text()["time_format"]))


def reason_zh(reason: str) -> str | None:
    """One rail reason in Chinese, or None when the table does not know it."""
    for pattern, text in rail_labels.reason_patterns("repair"):
        match = pattern.search(reason)
        if match:
            return text.format(None, *match.groups())
    return None


@cache
def _input_rule_names() -> dict[str, tuple[str, str]]:
    """Input rule id -> (Chinese name from its description, category)."""
    from guardrails.rails.config import load_input_config

    names: dict[str, tuple[str, str]] = {}
    for rule in load_input_config().rules:
        chinese = re.split(r"\s*[（(]", rule.description, maxsplit=1)[0].strip()
        names[rule.id] = (chinese, rule.category)
    return names


def rail_name(rule: str) -> str:
    """A rail or input rule by its Chinese name."""
    rails, categories = rail_labels.rail_names("record"), rail_labels.category_names("record")
    if rule in rails:
        return rails[rule]
    chinese, category = _input_rule_names().get(rule, ("", ""))
    category_name = categories.get(category) or categories.get(rule.split("_")[0])
    if chinese and re.search(r"[\u4e00-\u9fff]", chinese):
        return f"{category_name}（{chinese}）" if category_name else chinese
    return str(category_name or rail_labels.unknown_rail("record"))


def escalation_reason_zh(reason: str) -> str:
    """Why a case went to a human, in Chinese: the engine's own reasons from record_text.yaml, an
    input rule through the rails' table, and anything else (an agent's masked words) as written."""
    named = record_text()["escalation_reasons"].get(reason)
    if named:
        return str(named)
    if re.fullmatch(r"[a-z][a-z0-9_]*", reason) and reason in _input_rule_names():
        return rail_name(reason)
    return reason


def verdict_name(verdict: str) -> str:
    return str(record_text()["verdicts"].get(verdict, record_text()["verdicts"]["repaired"]))


def intervention_zh(rule: str, verdict: str, reasons: Iterable[str] = ()) -> str:
    """``引用核验：已修正回复（《…》第X条已废止，改引…）`` — every word Chinese."""
    known = [text for text in (reason_zh(str(reason)) for reason in reasons) if text]
    detail = f"（{'；'.join(known)}）" if known else ""
    return f"{rail_name(rule)}：{verdict_name(verdict)}{detail}"


def final_outcome(slots: Mapping[str, Any], end: Mapping[str, Any] | None, zone: ZoneInfo) -> str:
    """What the case came to: the outcome the procedure recorded, else the end of the conversation."""
    table = record_text()
    recorded = slots.get("outcome")
    if recorded:
        return str(recorded)
    if end is None:
        return str(table["outcome_open"])
    body = end["body"]
    who = table["ended_by"]["system" if end["actor"] == "system" else "agent"].format(agent_id=body.get("agent_id", ""))
    reason = f"，原因：{body['reason']}" if body.get("reason") else ""
    return str(table["outcome_ended"]).format(who=who, time=local_time(end["created_at"], zone), reason=reason)


def signature_lines(company: str, handlers: Iterable[str], date: str) -> list[str]:
    block = record_text()["signature"]
    who = "、".join(handlers) or str(block["no_handler"])
    return [str(line).format(company=company, handlers=who, date=date) for line in block["lines"]]
