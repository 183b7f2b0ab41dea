"""Distinctive personal data planted by the audit tests, and the search for it in anything a sink holds.

The haystack is searched after dropping invisible characters, so a value that only survived because a
zero-width space or a NUL byte split it still counts as leaked; bytes are searched both as UTF-8 and
as ASCII-escaped JSON, the two ways a value can sit in a SQLite file.
"""

from __future__ import annotations

import json
import unicodedata

NAME = "欧阳娜娜"
ID_CARD = "11010519491231002X"
PHONE = "13912345678"
BANK_CARD = "6222021234567890128"
EMAIL = "nana.audit@example.com"
ADDRESS = "北京市朝阳区建国路88号院3号楼"
API_KEY = "sk-audit-secret-7f3a9c"

# What must never appear: every value, the ID number's lower-case form, the address's distinctive part.
PLANTED = (NAME, ID_CARD, ID_CARD.lower(), PHONE, BANK_CARD, EMAIL, "建国路88号")

# One session: an opening with a name and phone, then an empty, a huge, a binary and an HTML/script
# message, and numbers split by invisible characters.
MESSAGES: tuple[str | bytes, ...] = (
    f"我买的台灯坏了，我叫{NAME}，手机{PHONE}",
    "",
    f"身份证{ID_CARD}，" + "退" * 5000,
    b"\xff\xfe\x00\x01" + f"银行卡{BANK_CARD[:6]}\x00{BANK_CARD[6:]}".encode() + b"\x00\x07",
    f"<script>alert('{EMAIL}')</script><img src=x onerror=alert(1)>请寄到{ADDRESS}",
    f"再说一遍：电话139\u200b{PHONE[3:]}，卡号{BANK_CARD[:4]}\u00ad{BANK_CARD[4:]}",
)


def _visible(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc") or ch in "\n\t")


def leaked(haystack: str | bytes, planted: tuple[str, ...] = PLANTED) -> list[str]:
    """The planted values found in ``haystack`` (empty when nothing leaked)."""
    if isinstance(haystack, bytes):
        found = [v for v in planted if v.encode() in haystack or json.dumps(v)[1:-1].encode() in haystack]
        return found + leaked(haystack.decode("utf-8", errors="ignore"), planted)
    text = _visible(haystack)
    return [value for value in planted if value in text]
