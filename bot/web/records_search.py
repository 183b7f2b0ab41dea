"""Find cases for the records console: by case number, product, order number, procedure (id or
Chinese name), step, and the date a case was opened (local dates, in the records' time zone).

Every word of the query must match somewhere in a case (``耳机 退货`` narrows); the facts searched
are the masked ones the case state holds, so a search never reaches personal data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.records.record_text import local_time, record_timezone
from bot.records.store import CaseListing
from bot.types import STEP_NAMES_ZH

# The case facts (slot ids, bot/config/slots.yaml) a search looks into: what staff know a case by.
SEARCHED_SLOTS = ("order_no", "product_category", "issue", "defect", "seller", "remedy_wanted")
LISTING_HEADERS = ("案件编号", "流程", "当前步骤", "已升级", "轮次", "订单号", "商品/问题", "受理时间", "最后更新")


class SearchInputError(ValueError):
    """A date the console cannot read; the message is Chinese and says how to write it."""


@dataclass(frozen=True)
class CaseQuery:
    text: str = ""
    opened_from: date | None = None
    opened_to: date | None = None  # inclusive


def parse_day(text: str | None, label: str) -> date | None:
    """``2026-12-01`` (or 2026/12/01) -> a date; empty -> None; anything else a clear Chinese error."""
    cleaned = (text or "").strip().replace("/", "-")
    if not cleaned:
        return None
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        raise SearchInputError(f"{label}「{text}」无法识别，请写成 2026-12-01 这样的日期。") from None


def make_query(text: str | None, opened_from: str | None = "", opened_to: str | None = "") -> CaseQuery:
    query = CaseQuery((text or "").strip(), parse_day(opened_from, "起始日期"), parse_day(opened_to, "截止日期"))
    if query.opened_from and query.opened_to and query.opened_from > query.opened_to:
        raise SearchInputError("起始日期晚于截止日期，请调换后再搜索。")
    return query


def _utc_bound(day: date | None, zone: ZoneInfo) -> str | None:
    """Local midnight of ``day`` as the UTC ISO text the store keeps (same shape, so it sorts alike)."""
    if day is None:
        return None
    moment = datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)
    return moment.isoformat(timespec="microseconds")


def _haystack(listing: CaseListing, procedure_names: Mapping[str, str]) -> str:
    case = listing.summary
    facts = [str(listing.slots.get(slot, "")) for slot in SEARCHED_SLOTS]
    names = (
        case.case_id,
        case.procedure,
        procedure_names.get(case.procedure, ""),
        case.step,
        STEP_NAMES_ZH.get(case.step, ""),
    )
    return " ".join((*names, *facts)).lower()


def find_cases(store: Any, query: CaseQuery, procedure_names: Mapping[str, str]) -> list[CaseListing]:
    """Cases opened in the date range whose number, procedure, step or facts contain every query word."""
    before = query.opened_to + timedelta(days=1) if query.opened_to else None
    zone = record_timezone(store.timezone)
    listings = store.case_listings(_utc_bound(query.opened_from, zone), _utc_bound(before, zone))
    words = query.text.lower().split()
    return [listing for listing in listings if all(word in _haystack(listing, procedure_names) for word in words)]


def listing_rows(
    listings: list[CaseListing], procedure_names: Mapping[str, str], timezone: str | None = None
) -> list[list[str]]:
    zone, shown = record_timezone(timezone), "%Y-%m-%d %H:%M"
    rows = []
    for listing in listings:
        case, slots = listing.summary, listing.slots
        what = str(slots.get("product_category") or slots.get("issue") or "")[:40]
        rows.append(
            [
                case.case_id,
                procedure_names.get(case.procedure, case.procedure),
                STEP_NAMES_ZH.get(case.step, case.step),
                "是" if case.escalated else "否",
                str(case.turns),
                str(slots.get("order_no", "")),
                what,
                local_time(listing.opened_at, zone, shown),
                local_time(str(case.updated_at), zone, shown),
            ]
        )
    return rows
