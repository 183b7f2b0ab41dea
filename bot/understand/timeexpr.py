"""Time expressions normalised against the conversation's clock: 11月20日, 才买了12天, 前天, 上周三,
双十一那天, 11月中旬. Each mention keeps its place in the message and, where the words next to it say
so, whether it is when the goods were bought or received."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.understand.data import table
from bot.understand.numerals import CN_DIGITS, to_int

_N = rf"(?P<n>\d{{1,3}}|[{CN_DIGITS}]{{1,4}}|半)"
_FULL = re.compile(r"(?P<y>20\d{2})\s*[年\-/.]\s*(?P<m>\d{1,2})\s*[月\-/.]\s*(?P<d>\d{1,2})\s*[日号]?")
_MONTH_DAY = re.compile(
    rf"(?P<rel>今年|去年|上个月|这个月|本月)?(?:(?P<m>\d{{1,2}}|[{CN_DIGITS}]{{1,3}})\s*月)?\s*"
    rf"(?P<d>\d{{1,2}}|[{CN_DIGITS}]{{1,3}})\s*[日号](?!\s*[前后内])"
)
_MONTH_PART = re.compile(
    rf"(?P<rel>今年|去年)?(?P<m>\d{{1,2}}|[{CN_DIGITS}]{{1,3}})\s*月份?\s*(?P<part>上旬|中旬|下旬|初|底|末)?"
)
# a month named relative to today, whole or in part: 上个月, 上上个月底, 这个月初, 月中 (a range)
_REL_MONTH = re.compile(
    r"(?P<rel>上上个月|上个月|这个月|本月|(?<![\d一二三四五六七八九十个])月)(?P<part>上旬|中旬|下旬|初|中|底|末)?"
)
_AGO = re.compile(rf"{_N}\s*(?P<unit>个星期|个礼拜|个月|星期|礼拜|天|周|日)\s*(?:前|之前|以前)")
_SINCE = re.compile(
    rf"(?P<verb>买|购|收到|签收|到货|到手|拿到|用|下单|办卡)(?:了|来|回来)?(?:才|刚|有|已经|快|都)?\s*{_N}\s*"
    r"(?P<unit>个星期|个礼拜|个月|星期|礼拜|天|周)"
)
_SINCE_PRE = re.compile(
    rf"(?:才|刚|刚刚)?{_N}\s*(?P<unit>个星期|个礼拜|个月|天|周)(?:前|之前)?(?P<verb>买|收到|签收|到货|到手|拿到)"
)
_WEEKDAY_EN = re.compile(
    r"(?i)\b(?P<rel>last|this|on)?\s*(?P<w>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
)
_WEEKDAY = re.compile(r"(?P<rel>上上|上|这|本)?\s*(?:个)?(?:周|星期|礼拜)(?P<w>[一二三四五六日天末])")


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: date
    role: str | None  # "purchase_date" / "receipt_date" / None (the words do not say)
    text: str
    span: tuple[date, date] | None = None  # a range (11月中旬) keeps its bounds


def _past(candidate: date, today: date) -> date:
    """A date without a year is the last one on or before today."""
    return candidate if candidate <= today else candidate.replace(year=candidate.year - 1)


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _role(text: str, start: int, end: int, verb: str | None = None) -> str | None:
    roles: dict[str, list[str]] = table("time")["roles"]
    if verb:
        for role, words in roles.items():
            if any(verb.startswith(w) or w.startswith(verb) for w in words):
                return role
    reach = 16 if text[max(0, start - 2) : start].isascii() else 6  # English words are longer
    after, before = text[end : end + 8], text[max(0, start - reach) : start]
    for window in (after, before):
        hits = [
            (min(window.find(w) for w in words if w in window), role)
            for role, words in roles.items()
            if any(w in window for w in words)
        ]
        if hits:
            return min(hits)[1] if window is after else max(hits)[1]
    return None


def _month(token: str | None, today: date, rel: str | None) -> int | None:
    if rel == "上个月":
        return (today.month - 2) % 12 + 1
    if rel in ("这个月", "本月") or token is None:
        return today.month
    return to_int(token)


def find_dates(text: str, today: date) -> list[DateMention]:
    data = table("time")
    found: list[DateMention] = []

    def taken(start: int, end: int) -> bool:
        return any(m.start < end and start < m.end for m in found)

    def add(
        start: int, end: int, value: date | None, verb: str | None = None, span: tuple[date, date] | None = None
    ) -> None:
        if value is None or taken(start, end) or value > today:
            return
        found.append(DateMention(start, end, value, _role(text, start, end, verb), text[start:end], span))

    for match in _FULL.finditer(text):
        add(match.start(), match.end(), _safe(int(match["y"]), int(match["m"]), int(match["d"])))
    for match in _MONTH_DAY.finditer(text):
        if match["m"] is None and match["rel"] is None and "月" not in match.group(0):
            # a bare 20号 is this month's (or last month's) 20th
            day = to_int(match["d"])
            value = _safe(today.year, today.month, day) if day else None
            if day and value and value > today:
                previous = today.replace(day=1) - timedelta(days=1)
                value = _safe(previous.year, previous.month, day)
            add(match.start(), match.end(), value)
            continue
        month, day = _month(match["m"], today, match["rel"]), to_int(match["d"])
        if not month or not day:
            continue
        year = today.year - (1 if match["rel"] == "去年" or (match["rel"] == "上个月" and today.month == 1) else 0)
        value = _safe(year, month, day)
        add(match.start(), match.end(), _past(value, today) if value and not match["rel"] else value)
    for match in _MONTH_PART.finditer(text):
        month = to_int(match["m"])
        if not month or not 1 <= month <= 12:
            continue
        year = today.year - (1 if match["rel"] == "去年" else 0)
        low, high, mid = data["month_parts"].get(match["part"] or "", (1, 31, 1))
        start, middle = _safe(year, month, low), _safe(year, month, mid)
        if start is None or middle is None:
            continue
        if start > today and not match["rel"]:
            year -= 1
            start, middle = date(year, month, low), _safe(year, month, mid)
        end = _safe(year, month, min(high, 28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31))
        if middle and middle > today:
            middle = today
        add(match.start(), match.end(), middle, span=(start, end) if end else None)
    for match in _REL_MONTH.finditer(text):
        if match["rel"] == "月" and not match["part"]:
            continue  # a bare 月 is no date
        back = {"上上个月": 2, "上个月": 1}.get(match["rel"], 0)
        low = data["month_parts"].get(match["part"] or "", (1, 31, 15))[0]
        if match["rel"] == "月" and low > today.day:
            back = 1  # 月底 said early in a month: last month's end
        first = today.replace(day=1)
        for _ in range(back):
            first = (first - timedelta(days=1)).replace(day=1)
        last = ((first + timedelta(days=32)).replace(day=1)) - timedelta(days=1)
        low, high, mid = data["month_parts"].get(match["part"] or "", (1, 31, 15))
        start, end = first.replace(day=min(low, last.day)), first.replace(day=min(high, last.day))
        middle = min(first.replace(day=min(mid, last.day)), today)
        if start <= today:
            add(match.start(), match.end(), middle, span=(start, min(end, today)))
    for match in _SINCE.finditer(text):
        n = 0.5 if match["n"] == "半" else to_int(match["n"])
        if n is not None:
            days = int(n * data["units"][match["unit"]])
            add(match.start(), match.end(), today - timedelta(days=days), verb=match["verb"])
    for match in _SINCE_PRE.finditer(text):
        n = 0.5 if match["n"] == "半" else to_int(match["n"])
        if n is not None:
            days = int(n * data["units"][match["unit"]])
            add(match.start(), match.end(), today - timedelta(days=days), verb=match["verb"])
    for match in _AGO.finditer(text):
        n = 0.5 if match["n"] == "半" else to_int(match["n"])
        if n is not None:
            add(match.start(), match.end(), today - timedelta(days=int(n * data["units"][match["unit"]])))
    for match in _WEEKDAY.finditer(text):
        weekday = data["weekdays"][match["w"]]
        monday = today - timedelta(days=today.weekday())
        weeks = {"上上": 2, "上": 1}.get(match["rel"] or "", 0)
        value = monday - timedelta(weeks=weeks) + timedelta(days=weekday)
        if not match["rel"] and value > today:
            value -= timedelta(weeks=1)
        add(match.start(), match.end(), value)
    for match in _WEEKDAY_EN.finditer(text):
        weekday = data["weekdays_en"][match["w"].lower()]
        monday = today - timedelta(days=today.weekday())
        rel = (match["rel"] or "").lower()
        value = monday - timedelta(weeks=1 if rel == "last" else 0) + timedelta(days=weekday)
        if value > today:
            value -= timedelta(weeks=1)
        add(match.start(), match.end(), value)
    for word, spec in data["festivals"].items():
        position = text.find(word)
        if position < 0:
            continue
        if _inside_number(text, position, word):
            continue  # 三块五一包, 1618元: the digits of a price, not 五一 or 618
        value = None
        for year in (today.year, today.year - 1):
            if "dates" in spec:
                raw = spec["dates"].get(year)
                value = date(year, *map(int, str(raw).split("-"))) if raw else None
            else:
                value = _safe(year, int(spec["month"]), int(spec["day"]))
            if value and value <= today:
                break
            value = None
        add(position, position + len(word), value)
    for word, days in data["relative"].items():
        position = text.find(word)
        if position >= 0:
            add(position, position + len(word), today - timedelta(days=int(days)))
    return sorted(found, key=lambda m: m.start)


_NUMERAL = "0123456789零〇一二两三四五六七八九十百千万块元毛角"


def _inside_number(text: str, position: int, word: str) -> bool:
    """A festival word glued to other numerals is part of a number (三块五一包), not the festival."""
    if not any(ch in _NUMERAL for ch in word):
        return False
    before = text[position - 1 : position]
    after = text[position + len(word) : position + len(word) + 1]
    return bool(before and before in _NUMERAL) or bool(after and after in "0123456789块元毛角")
