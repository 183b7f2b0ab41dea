"""The copilot's side panels: the order, the same customer's earlier cases, the SLA timers, the notes.

All read the case's records and state (masked) and the order system; nothing here is personal
data in the clear. The same customer is found by a *keyed digest* of their phone number, e-mail or
ID number (the placeholder book's own key, never the number itself), so two cases share a customer
key exactly when the customer gave the same number in both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from bot.ownership import NOTE, owner_in
from bot.plaintext import md_escape
from bot.types import STEP_NAMES_ZH
from bot.web.data_models import MACROS_FILE, MacrosFile
from bot.web.views import escape
from knowledge.datafile import load_model

CUSTOMER_KEY_TYPES = ("phone", "email", "id_card")
CHANNELS_ZH = {"online": "线上", "offline": "线下"}


def _text(value: object) -> str:
    return md_escape(escape(str(value)))


def customer_keys(state: dict[str, Any]) -> frozenset[str]:
    """The keyed digests of the customer's phone, e-mail and ID number in a case state."""
    from guardrails.pii import TYPE_LABELS_ZH

    labels = tuple(f"[{TYPE_LABELS_ZH[kind]}" for kind in CUSTOMER_KEY_TYPES if kind in TYPE_LABELS_ZH)
    entries: dict[str, str] = (state.get("placeholders") or {}).get("entries", {})
    return frozenset(digest for digest, placeholder in entries.items() if placeholder.startswith(labels))


@dataclass(frozen=True)
class EarlierCase:
    case_id: str
    procedure: str
    step: str
    updated_at: str


def earlier_cases(bot: Any, session: str) -> list[EarlierCase]:
    """Other cases of the same customer (a shared customer key), newest first."""
    stored = bot.records.load_case(session)
    keys = customer_keys(stored.state) if stored is not None else frozenset()
    if not keys:
        return []
    found = []
    for case in bot.records.cases():
        if case.session == session:
            continue
        other = bot.records.load_case(case.session)
        if other is not None and keys & customer_keys(other.state):
            found.append(EarlierCase(case.case_id, case.procedure, case.step, str(case.updated_at)))
    return found


def order_lines(bot: Any, slots: dict[str, str]) -> list[str]:
    """The order the customer named, as the order system knows it (or why it is not shown)."""
    order_no = str(slots.get("order_no") or "").strip()
    if not order_no:
        return ["- 顾客尚未提供订单号"]
    orders = getattr(bot.parts.engine, "orders", None)
    if orders is None:
        return [f"- 订单号 `{escape(order_no)}`（未接入订单系统，无法核对）"]
    order = orders.by_order_no(order_no)
    if order is None:
        return [f"- 订单号 `{escape(order_no)}`：**订单系统中查无此单**"]
    lines = [
        f"- 订单号 `{escape(order.order_no)}`　{_text(order.product)}　¥{order.amount:g}",
        f"- 付款 {escape(order.paid_on)}　签收 {escape(order.delivered_on or '尚未签收')}"
        f"　{CHANNELS_ZH.get(order.channel, escape(order.channel))}",
    ]
    if order.tracking_no:
        lines.append(f"- 运单号 `{escape(order.tracking_no)}`")
    return lines


def _add_workdays(start: datetime, days: int) -> datetime:
    moment = start
    while days > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


def _step_started(rows: list[dict[str, Any]], step: str) -> datetime | None:
    started = None
    for row in rows:
        if step in row["body"].get("steps_entered", ()) or (started is None and row["body"].get("step_after") == step):
            started = datetime.fromisoformat(str(row["created_at"]))
    return started


def _left(deadline: datetime, now: datetime) -> str:
    hours = (deadline - now).total_seconds() / 3600
    if hours < 0:
        return f"**已超时 {-hours:.1f} 小时**"
    return f"剩余 {hours:.1f} 小时"


def sla_lines(procedure: Any, step: str, rows: list[dict[str, Any]], now: datetime | None = None) -> list[str]:
    """The procedure's response times (knowledge/procedures/*.yaml ``response_time``) as timers."""
    now = now or datetime.now(UTC)
    limits: dict[str, int] = dict(getattr(procedure, "response_time", {}) or {})
    if not rows:
        return []
    lines = []
    started = _step_started(rows, step)
    name = STEP_NAMES_ZH.get(step, step)
    if started is not None:
        if f"{step}_hours" in limits:
            hours = limits[f"{step}_hours"]
            lines.append(f"- {name}时限 {hours} 小时：{_left(started + timedelta(hours=hours), now)}")
        elif f"{step}_workdays" in limits:
            days = limits[f"{step}_workdays"]
            lines.append(f"- {name}时限 {days} 个工作日：{_left(_add_workdays(started, days), now)}")
    if "close_days" in limits and step != "record":
        opened = datetime.fromisoformat(str(rows[0]["created_at"]))
        deadline = opened + timedelta(days=limits["close_days"])
        lines.append(f"- 结案时限 {limits['close_days']} 天：{_left(deadline, now)}")
    return lines


def panel(bot: Any, session: str, view: Any, now: datetime | None = None) -> str:
    """The right-hand panel: order, earlier cases of this customer, SLA timers."""
    rows = bot.records.for_session(session)
    lines = ["**订单**", *order_lines(bot, view.slots), "", "**该顾客的其他案件**"]
    earlier = earlier_cases(bot, session)
    lines += [
        f"- `{escape(c.case_id)}` {escape(c.procedure)} · {STEP_NAMES_ZH.get(c.step, c.step)} · {escape(c.updated_at[:10])}"  # noqa: E501
        for c in earlier
    ] or ["- 无（按顾客的手机号、邮箱或证件号的加密摘要匹配）"]
    procedure = bot.parts.engine.procedures[view.procedure]
    timers = sla_lines(procedure, view.step, rows, now)
    lines += ["", "**响应时限**", *(timers or ["- 本流程未规定"])]
    return "\n".join([*lines, *demo_code_lines(bot, view.case_id)])


def demo_code_lines(bot: Any, case_id: str) -> list[str]:
    """The one-time codes the demo sender "sent" in this case (bot/identity): a demo has no SMS, so the
    agent console shows what the customer would have received. Empty with a real sender."""
    from bot.identity import demo_outbox

    sent = demo_outbox(bot.parts.engine.identity, case_id)
    if not sent:
        return []
    lines = ["", "**演示短信（仅演示环境显示，真实短信网关不经过这里）**"]
    for message in sent:
        when, recipient, code = (escape(value) for value in (message.sent_at[11:16], message.recipient, message.code))
        lines.append(f"- {when} 验证码已发送至 {recipient}: {code}")
    return lines


def owner_text(bot: Any, session: str, me: str | None = None) -> str:
    owner = owner_in(bot.records.for_session(session))
    if owner is None:
        return "**处理人**：未分配（机器人正在答复顾客）"
    mine = "（我）" if owner == me else ""
    return f"**处理人**：{escape(owner)}{mine}"


def notes_text(bot: Any, session: str) -> str:
    """The case's internal notes, oldest first (staff only; the customer never sees them)."""
    rows = [row for row in bot.records.for_session(session) if row["kind"] == NOTE]
    if not rows:
        return "**内部备注**：暂无"
    lines = ["**内部备注**（仅员工可见）："]
    for row in rows:
        when, body = str(row["created_at"])[5:16].replace("T", " "), row["body"]
        lines.append(f"- {escape(when)} {escape(str(body.get('agent_id', '')))}：{_text(body.get('note', ''))}")
    return "\n".join(lines)


@cache
def macros() -> tuple[tuple[str, str], ...]:
    """(title, text) of each canned reply in ``macros.yaml``."""
    items = load_model(MACROS_FILE, MacrosFile).macros
    return tuple((item.title, item.text.strip()) for item in items)


def with_macro(draft: str, title: str) -> str:
    """The draft with the macro's text added at the end (the agent still reviews it before sending)."""
    text = dict(macros()).get(title)
    if text is None:
        raise KeyError(title)
    return f"{draft.rstrip()}\n{text}" if draft.strip() else text
