"""Turn the engine's values (case views, records) into what the pages show.

Everything here reads already-masked data and HTML-escapes any text that came from a customer or
an agent, so the Gradio components (which render Markdown) show markup as text.
"""

from __future__ import annotations

import html
import re
from functools import cache
from typing import Any

from bot.plaintext import md_escape
from bot.records.bodies import transcript
from bot.records.record_text import intervention_zh, kind_zh, local_time, record_timezone
from bot.types import STEP_IDS, STEP_NAMES_ZH
from bot.web.data_models import STEPS_PLAIN_FILE, StepsPlainFile
from knowledge.datafile import load_checked

ROLE_OF_ACTOR = {"customer": "user", "bot": "assistant", "agent": "assistant", "system": "assistant"}


@cache
def plain_steps() -> dict[str, str]:
    table: dict[str, str] = dict(load_checked(STEPS_PLAIN_FILE, StepsPlainFile))
    return table


def escape(text: str) -> str:
    """Markup typed by a person becomes visible text (Markdown renders entities as characters)."""
    return html.escape(text, quote=False)


def customer_status(view: Any) -> str:
    """Case number and the current step in plain words."""
    lines = [f"**案件编号**：`{escape(view.case_id)}`　**当前步骤**：{STEP_NAMES_ZH[view.step]}"]
    lines.append(plain_steps()[view.step])
    if view.escalated:
        lines.append("已为您转接人工客服，请稍候。")
    return "\n\n".join(lines)


def chat_messages(view: Any) -> list[dict[str, str]]:
    """The masked transcript as Gradio chat messages; agents' replies are labelled as such."""
    messages = []
    for entry in view.transcript:
        text = md_escape(escape(str(entry["text"])))  # no link, image or heading from what a person typed
        if entry["actor"] == "agent":
            text = f"**人工客服**：{text}"
        messages.append({"role": ROLE_OF_ACTOR.get(str(entry["actor"]), "assistant"), "content": text})
    return messages


def checklist(view: Any) -> str:
    """The procedure's five steps, ticked up to the current one, and the facts still missing."""
    current = STEP_IDS.index(view.step)
    lines = [f"**流程**：{escape(view.procedure_name)}　**案件**：`{escape(view.case_id)}`", ""]
    for index, step in enumerate(STEP_IDS):
        if step == view.step:
            mark, note = "→", "（当前）"
        elif step in view.steps_done:
            mark, note = "√", ""
        else:
            mark, note = "○", "（跳过）" if index < current else ""
        lines.append(f"- {mark} {STEP_NAMES_ZH[step]}{note}")
    missing = [view.slot_labels.get(slot, slot) for slot in view.missing_slots]
    lines += ["", f"**待补充**：{'、'.join(missing) if missing else '无'}"]
    rule = getattr(view, "slots", {}).get("rights_rule")  # issue 11: the rights rule that fired
    if rule:
        lines.append(f"**权利规则**：`{escape(rule)}`　**依据**：{escape(view.slots.get('rights_grounds', ''))}")
    if view.escalated:
        lines.append("**已升级人工处理**")
    return "\n".join(lines)


def rail_flags(view: Any) -> str:
    """The last turn's rail decisions in Chinese: which check fired, what it did, and why."""
    from bot.web.rail_words import rail_name, reasons_zh, verdict_name

    rows = [rail for rail in view.last_rails if rail.get("verdict", "pass") != "pass" or rail.get("action")]
    if not rows:
        return "**检查结果**：全部通过"
    lines = ["**检查结果**："]
    for rail in rows:
        what = verdict_name(str(rail.get("verdict") or rail.get("action")))
        reasons = "；".join(reasons_zh(rail.get("reasons", ()) or ()))
        lines.append(f"- **{escape(rail_name(str(rail.get('rule', '?'))))}**（{escape(what)}）{escape(reasons)}")
    return "\n".join(lines)


def objections_text(check: Any) -> str:
    """What the checks object to in an agent's text, in Chinese: the words, why, and the suggestion."""
    from bot.web.rail_words import rail_name, reasons_zh, verdict_name

    if not check.objections:
        return "**发送前检查**：全部通过"
    lines = ["**发送前检查**：以下内容可能有问题。可以返回修改，也可以确认后按原文发送（原文不会被改动）。"]
    for item in check.objections:
        where = f"“{md_escape(escape(item.span))}”" if item.span else "（缺少内容）"
        reasons = "；".join(reasons_zh(item.reasons)) or verdict_name(item.verdict, agent=True)
        what = escape(verdict_name(item.verdict, agent=True))
        line = f"- **{escape(rail_name(item.rule))}**（{what}）{where}：{escape(reasons)}"
        if item.suggestion:
            suggestion = item.suggestion if item.span else item.suggestion.lstrip("。，；,; ")
            line += f"　建议：“{md_escape(escape(suggestion))}”"
        lines.append(line)
    return "\n".join(lines)


def citation_key(citation: dict[str, object]) -> str:
    """A stable key for a citation: ``statute|<law>|<article>`` or ``policy|<doc>|<section>``."""
    if citation.get("law"):
        return f"statute|{citation['law']}|{citation['article']}"
    return f"policy|{citation['doc']}|{citation['section']}"


def citation_label(citation: dict[str, object]) -> str:
    if citation.get("label"):
        return str(citation["label"])
    if citation.get("law"):
        return f"《{citation['law']}》第{citation['article']}条"
    return f"《{citation['doc']}》第{citation['section']}条"


def grounds_choices(citations: Any) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for citation in citations:
        seen.setdefault(citation_key(citation), citation_label(citation))
    return [(label, key) for key, label in seen.items()]


def citation_text(key: str) -> str:
    """The article or policy section behind a citation key, as Markdown (statute text is authoritative)."""
    from knowledge.statutes import StatuteStore

    kind, source, number = key.split("|", 2)
    if kind == "statute":
        article = StatuteStore.open_default().get(source, int(number)) if number.isdigit() else None
        if article is None:
            return f"未找到《{escape(source)}》第{escape(number)}条。"
        state = "现行有效" if article.in_force else f"已失效（{escape(article.status)}）"
        return f"**《{escape(article.law)}》{escape(article.article_no)}**（{state}）\n\n{escape(article.text)}"
    section = _policies().get(source, number)
    if section is None:
        return f"未找到《{escape(source)}》第{escape(number)}条。"
    title = escape(section.title or "")
    return f"**《{escape(section.doc)}》第{escape(section.section)}条 {title}**\n\n{escape(section.text)}"


@cache
def _policies() -> Any:
    from knowledge.policies import PolicyLibrary

    return PolicyLibrary.load()


PLACEHOLDER = re.compile(r"\[[^\[\]\s]{1,12}?\d{1,3}\]")


def placeholders_in(view: Any) -> list[str]:
    """The placeholders (``[手机号1]``) that appear in the masked transcript, in order of first sight."""
    found: dict[str, None] = {}
    for entry in view.transcript:
        for match in PLACEHOLDER.findall(str(entry["text"])):
            found.setdefault(match, None)
    return list(found)


TIMELINE_HEADERS = ("序号", "时间", "角色", "类型", "步骤", "内容（已遮盖）", "依据", "检查")
ACTOR_ZH = {"customer": "顾客", "bot": "机器人", "agent": "坐席", "system": "系统"}


def procedure_names(bot: Any) -> dict[str, str]:
    """Procedure id -> its Chinese name (退货七日无理由 …)."""
    return {pid: procedure.name for pid, procedure in bot.parts.engine.procedures.items()}


def search_cases(bot: Any, query: str) -> list[Any]:
    """Cases whose number, procedure (id or name), step, order number or product facts contain every
    word of the query; newest first (bot/web/records_search.py)."""
    from bot.web.records_search import CaseQuery, find_cases

    return [listing.summary for listing in find_cases(bot.records, CaseQuery(query.strip()), procedure_names(bot))]


def case_json(case: Any) -> dict[str, object]:
    return {
        "case_id": case.case_id,
        "session": case.session,
        "procedure": case.procedure,
        "step": case.step,
        "escalated": bool(case.escalated),
        "turns": int(case.turns),
        "updated_at": str(case.updated_at),
    }


def verify_summary(bot: Any) -> dict[str, object]:
    """The chain re-hashed, then checked against the latest signed checkpoint (docs/records.md)."""
    from bot.records.anchor import Anchor

    result = bot.records.verify()
    anchored = Anchor.for_settings(bot.settings).verify(bot.records)
    return {
        "ok": bool(result.ok and anchored.ok),
        "checked": result.checked,
        "first_bad": result.first_bad,
        "reason": result.reason or anchored.reason,
        "anchor": anchored.to_json(),
    }


def _step_change(body: dict[str, Any]) -> str:
    before, after = body.get("step_before"), body.get("step_after")
    if before in (None, after):
        return STEP_NAMES_ZH.get(str(after), str(after or ""))
    return f"{STEP_NAMES_ZH.get(str(before), before)} → {STEP_NAMES_ZH.get(str(after), after)}"


def _said(record: dict[str, Any]) -> str:
    """What one record says: the customer's message and the reply, masked."""
    who = {"customer": "顾客", "bot": "回复"}
    return "\n".join(f"{who.get(m.actor) or f'坐席（{m.agent_id}）'}：{m.text}" for m in transcript([record]))


def timeline_rows(records: list[dict[str, Any]], timezone: str | None = None) -> list[list[str]]:
    """One row per written record: when (local time, as the exported record shows it), who, which
    step, what was said (masked), on what grounds, which rails fired (in Chinese)."""
    zone = record_timezone(timezone)
    rows = []
    for record in records:
        body = record["body"]
        grounds = "、".join(str(source.get("label", "")) for source in body.get("cited", ()))
        fired = [intervention_zh(flag["rule"], flag["action"]) for flag in body.get("input_flags", ())]
        fired += [
            intervention_zh(v["rule"], v["verdict"], v.get("reasons", ()))
            for v in body.get("verdicts", ())
            if v.get("verdict") != "pass"
        ]
        rows.append(
            [
                str(record["id"]),
                local_time(str(record["created_at"]), zone),
                ACTOR_ZH.get(record["actor"], record["actor"]),
                kind_zh(str(record["kind"])),
                _step_change(body),
                _said(record),
                grounds,
                "、".join(fired),
            ]
        )
    return rows
