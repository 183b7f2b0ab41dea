"""Numbers as customers write them: 12, 十二, 三百八, 一千二, 1.2k, 2w, 两万 (cn2an does the Chinese)."""

from __future__ import annotations

import cn2an

CN_DIGITS = "零〇一二两三四五六七八九十百千万"
_SUFFIX = {"k": 1000, "K": 1000, "千": 1000, "w": 10000, "W": 10000, "万": 10000}


def to_number(token: str) -> float | None:
    """A number in any of the customer's spellings, or None when it is not one."""
    token = token.strip()
    if not token:
        return None
    if token[-1] in _SUFFIX and token[:-1].replace(".", "", 1).strip().isdigit():
        return float(token[:-1]) * _SUFFIX[token[-1]]
    if token.replace(".", "", 1).isdigit():
        return float(token)
    try:
        return float(cn2an.cn2an(token, "smart"))  # 三百八 -> 380, 一千二 -> 1200 (口语)
    except (ValueError, KeyError, TypeError):
        return None


def to_int(token: str) -> int | None:
    value = to_number(token)
    return int(value) if value is not None else None
