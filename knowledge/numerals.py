"""Chinese numerals and law titles: 五百八十四 <-> 584, 中华人民共和国民法典 -> 民法典."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"
_VALUES = {ch: i for i, ch in enumerate(_DIGITS)} | {"〇": 0, "两": 2}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}

PRC_PREFIX = "中华人民共和国"


def chinese_to_arabic(text: str) -> int:
    """Parse a Chinese numeral as written in article numbers (一 … 九千九百九十九, 一万…).

    Raises ValueError on anything that is not a Chinese numeral.
    """
    if not text:
        raise ValueError("empty numeral")
    if text.isdigit():
        return int(text)
    total = 0
    section = 0
    number = 0
    for ch in text:
        if ch in _VALUES:
            number = _VALUES[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit == 10000:
                section = (section + number) * unit
                total += section
                section = 0
            else:
                section += (number or 1) * unit
            number = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + section + number


def arabic_to_chinese(value: int) -> str:
    """Write 1..99999 the way statutes number their articles (十, 二十一, 一百零一, 五百八十四)."""
    if value <= 0:
        raise ValueError(f"article numbers start at 1, got {value}")
    if value >= 100000:
        raise ValueError(f"too large for an article number: {value}")
    parts: list[str] = []
    units = [(10000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, "")]
    pending_zero = False
    started = False
    for unit_value, unit_name in units:
        digit = (value // unit_value) % 10
        if digit == 0:
            if started:
                pending_zero = True
            continue
        if pending_zero:
            parts.append("零")
            pending_zero = False
        if not (digit == 1 and unit_value == 10 and not started):
            parts.append(_DIGITS[digit])
        parts.append(unit_name)
        started = True
    return "".join(parts)


def short_law_title(law_name: str) -> str:
    """中华人民共和国消费者权益保护法 -> 消费者权益保护法 (the form replies use)."""
    return law_name.removeprefix(PRC_PREFIX)
