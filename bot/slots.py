"""Slot extraction: pick order numbers, dates, amounts, remedies, evidence … out of a masked message.

The rules are data (bot/config/slots.yaml); this module only knows the handful of kinds
(text, regex, keywords, date, days, entity). It always works on MASKED text, so a slot value can
never carry personal data: where a slot needs personal data (identity verification), it records the
placeholder that masking put in its place.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator

from guardrails.types import MaskChange
from knowledge.datafile import DataError, DataModel, load_model, load_raw_and_model, where
from knowledge.numerals import chinese_to_arabic

SLOTS_FILE = Path(__file__).resolve().parent / "config" / "slots.yaml"
_ABSOLUTE_DATES = (
    re.compile(r"(?P<y>20\d{2})\s*[年\-/.]\s*(?P<m>\d{1,2})\s*[月\-/.]\s*(?P<d>\d{1,2})\s*[日号]?"),
    re.compile(r"(?P<rel>今年|去年)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"),
    re.compile(r"(?P<rel>今年|去年)?(?P<m>\d{1,2})\s*月份?(?!\s*\d)"),  # month only: the 1st of that month
)
_MEANINGFUL = re.compile(r"[\u4e00-\u9fffA-Za-z]")


@dataclass(frozen=True)
class SlotSpec:
    """One slot as declared in slots.yaml."""

    id: str
    label: str
    kind: str
    ask: str = ""
    patterns: tuple[re.Pattern[str], ...] = ()
    expected_patterns: tuple[re.Pattern[str], ...] = ()
    values: tuple[tuple[str, tuple[str, ...]], ...] = ()
    context: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    only_in_step: str | None = None
    max_chars: int = 80
    exclude: tuple[str, ...] = ()  # values that look like a match but say nothing (在别家买的 → not a seller)
    implies: tuple[tuple[str, str], ...] = ()  # other slots a match also fills, unless found otherwise
    ignore: re.Pattern[str] | None = None  # text slots: messages that say nothing (greetings)
    told: str = ""  # how a reply states the value back ("{value}收到商品"); "" → "label value"
    role: str | None = None  # what the slot means to the engine (slots.yaml ``role``)


SlotRole = Literal[
    "receipt_date", "days_since_receipt", "agreement", "chosen_remedy", "outcome", "purchase_date", "seller"
]
REQUIRED_ROLES: tuple[SlotRole, ...] = ("receipt_date", "days_since_receipt", "agreement", "chosen_remedy", "outcome")


class KeywordValue(DataModel):
    value: str
    words: list[str] = Field(min_length=1)


class SlotEntry(DataModel):
    """One slot as written in slots.yaml (see the comment at the top of that file)."""

    label: str | None = None
    kind: Literal["text", "regex", "keywords", "date", "days", "entity", "derived"]
    ask: str = ""
    told: str = ""
    patterns: list[str] = Field(default_factory=list)
    expected_patterns: list[str] = Field(default_factory=list)
    values: list[KeywordValue] = Field(default_factory=list)
    context: list[str] = Field(default_factory=list)
    types: list[str] = Field(default_factory=list)
    only_in_step: str | None = None
    max_chars: int = 80
    exclude: list[str] = Field(default_factory=list)
    implies: dict[str, str] = Field(default_factory=dict)
    ignore: str | None = None
    role: SlotRole | None = None


class DateSettings(DataModel):
    """Date arithmetic for date and days slots (slots.yaml ``dates``)."""

    context_window: int = Field(ge=0)
    relative_days: dict[str, int]
    unit_days: dict[str, int] = Field(min_length=1)


class SlotsFile(DataModel):
    """bot/config/slots.yaml."""

    slots: dict[str, SlotEntry]
    dates: DateSettings

    @field_validator("slots")
    @classmethod
    def _each_role_once(cls, slots: dict[str, SlotEntry]) -> dict[str, SlotEntry]:
        """Every role the engine needs is on exactly one slot; no role is on two."""
        holders: dict[str, list[str]] = {}
        for slot_id, entry in slots.items():
            if entry.role is not None:
                holders.setdefault(entry.role, []).append(slot_id)
        twice = [f"「{role}」在 {', '.join(ids)}" for role, ids in holders.items() if len(ids) > 1]
        missing = [role for role in REQUIRED_ROLES if role not in holders]
        if twice:
            raise ValueError(f"一个角色只能标在一个槽位上：{'；'.join(twice)}")
        if missing:
            raise ValueError(f"缺少角色 {', '.join(missing)}：请在对应槽位上写 role: …")
        return slots


@dataclass(frozen=True)
class DateWords:
    """``DateSettings`` ready for extraction: the "N 天/周/个月前" pattern is built from the units."""

    context_window: int
    relative_days: Mapping[str, int]
    unit_days: Mapping[str, int]
    relative_n: re.Pattern[str]


def _date_words(settings: DateSettings) -> DateWords:
    units = "|".join(re.escape(unit) for unit in sorted(settings.unit_days, key=len, reverse=True))
    relative_n = re.compile(rf"(?P<n>\d{{1,3}}|[一二两三四五六七八九十]{{1,3}})\s*(?P<unit>{units})前")
    return DateWords(settings.context_window, dict(settings.relative_days), dict(settings.unit_days), relative_n)


@cache
def date_words(path: Path = SLOTS_FILE) -> DateWords:
    """The date arithmetic of a slots file (the shipped one unless told)."""
    return _date_words(load_model(path, SlotsFile).dates)


def slot_roles(specs: Mapping[str, SlotSpec]) -> dict[str, str]:
    """Role → the id of the slot that carries it (the loader checked every required role is there)."""
    return {spec.role: slot_id for slot_id, spec in specs.items() if spec.role}


def _compile(patterns: Iterable[str], path: Path, node: Any) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as error:
            raise DataError(f"{where(path, node)}: bad pattern {pattern!r}: {error}") from error
    return tuple(compiled)


def _spec(slot_id: str, entry: SlotEntry, path: Path, node: Any) -> SlotSpec:
    return SlotSpec(
        id=slot_id,
        label=entry.label if entry.label is not None else slot_id,
        kind=entry.kind,
        ask=entry.ask,
        patterns=_compile(entry.patterns, path, node),
        expected_patterns=_compile(entry.expected_patterns, path, node),
        values=tuple((item.value, tuple(item.words)) for item in entry.values),
        context=tuple(entry.context),
        types=tuple(entry.types),
        only_in_step=entry.only_in_step,
        max_chars=entry.max_chars,
        exclude=tuple(entry.exclude),
        implies=tuple(entry.implies.items()),
        ignore=_compile([entry.ignore], path, node)[0] if entry.ignore else None,
        told=entry.told,
        role=entry.role,
    )


def load_slot_specs(path: Path = SLOTS_FILE) -> dict[str, SlotSpec]:
    raw, model = load_raw_and_model(path, SlotsFile)
    return {slot_id: _spec(slot_id, entry, path, raw["slots"][slot_id]) for slot_id, entry in model.slots.items()}


def _keywords(spec: SlotSpec, text: str) -> str | None:
    for value, words in spec.values:
        if any(word in text for word in words):
            return value
    return None


def _regex(patterns: Sequence[re.Pattern[str]], text: str) -> str | None:
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return match.group("v")
    return None


def _number(token: str) -> int:
    return int(token) if token.isdigit() else chinese_to_arabic(token)


def _dates(text: str, today: date) -> list[tuple[int, date]]:
    """Every date mentioned, with its position; impossible dates are ignored."""
    words = date_words()
    found: list[tuple[int, date]] = []
    for pattern in _ABSOLUTE_DATES:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            year = int(groups.get("y") or today.year) - (1 if groups.get("rel") == "去年" else 0)
            try:
                value = date(year, int(match["m"]), int(groups.get("d") or 1))
            except ValueError:
                continue
            if not groups.get("y") and not groups.get("rel") and value > today:
                value = value.replace(year=year - 1)
            found.append((match.start(), value))
    for word, days in words.relative_days.items():
        position = text.find(word)
        if position >= 0 and not any(start <= position < start + 4 for start, _ in found):
            found.append((position, today - timedelta(days=days)))
    for match in words.relative_n.finditer(text):
        found.append((match.start(), today - timedelta(days=_number(match["n"]) * words.unit_days[match["unit"]])))
    return sorted(found, key=lambda item: item[0])


def _route_dates(specs: Mapping[str, SlotSpec], text: str, today: date, expecting: Sequence[str]) -> dict[str, str]:
    """Give each date to the slot whose context words are nearest; otherwise to the slot being asked for."""
    date_slots = [spec for spec in specs.values() if spec.kind == "date"]
    window_chars = date_words().context_window
    result: dict[str, str] = {}
    for position, value in _dates(text, today):
        window = text[max(0, position - window_chars) : position + window_chars + 6]
        target = next((spec.id for spec in date_slots if any(word in window for word in spec.context)), None)
        if target is None:
            target = next((slot for slot in expecting if specs[slot].kind == "date" and slot not in result), None)
        if target is not None and target not in result:
            result[target] = value.isoformat()
    return result


def extract(
    specs: Mapping[str, SlotSpec],
    text: str,
    *,
    step: str,
    expecting: Sequence[str] = (),
    changes: Sequence[MaskChange] = (),
    today: date | None = None,
) -> dict[str, str]:
    """Slots found in one masked message. ``expecting`` lists the slots the bot just asked for."""
    today = today or date.today()
    original, text = text, unicodedata.normalize("NFKC", text)  # full-width ＤＤ２０２６… read as ASCII
    found: dict[str, str] = {}
    for spec in specs.values():
        if spec.only_in_step and spec.only_in_step != step:
            continue
        value: str | None = None
        if spec.kind == "text":
            stripped = " ".join(original.split())  # the customer's own wording, punctuation included
            says_nothing = spec.ignore is not None and spec.ignore.match(stripped.lower())
            value = stripped[: spec.max_chars] if _MEANINGFUL.search(stripped) and not says_nothing else None
        elif spec.kind == "regex":
            value = _regex(spec.patterns, text)
            if value is None and spec.id in expecting:
                value = _regex(spec.expected_patterns, text)
        elif spec.kind == "keywords":
            value = _keywords(spec, text)
        elif spec.kind == "days":
            match = next((m for m in (p.search(text) for p in spec.patterns) if m), None)
            value = str(_number(match["n"])) if match else None
        elif spec.kind == "entity":
            placeholder = next((c.replacement for c in changes if c.type in spec.types), None)
            value = placeholder or _keywords(spec, text)
        if value and value not in spec.exclude:
            found[spec.id] = value
    for slot_id in list(found):
        for other, implied in specs[slot_id].implies:
            found.setdefault(other, implied)
    found.update(_route_dates(specs, text, today, expecting))
    return found


def derive(slots: dict[str, str], today: date, roles: Mapping[str, str]) -> None:
    """Slots computed from others: days since receipt from the receipt date, and back (``slot_roles``)."""
    receipt_slot, days_slot = roles["receipt_date"], roles["days_since_receipt"]
    receipt = slots.get(receipt_slot)
    if receipt and days_slot not in slots:
        try:
            slots[days_slot] = str((today - date.fromisoformat(receipt)).days)
        except ValueError:
            return
    if days_slot in slots and receipt_slot not in slots:
        slots[receipt_slot] = (today - timedelta(days=int(slots[days_slot]))).isoformat()
