"""Which staff passwords are too weak to set (length alone lets 12345678 through).

Refused: shorter than ``MIN_PASSWORD_CHARS``; one character repeated; a run of a sequence
(``12345678``, ``abcdefgh``, ``87654321``); a common password from ``weak_passwords.yaml``, also with
digits or punctuation appended (``Password1``); only digits.
"""

from __future__ import annotations

from functools import cache

from bot.web.data_models import WEAK_PASSWORDS_FILE, WeakPasswordsFile
from knowledge.datafile import load_checked

MIN_PASSWORD_CHARS = 8


@cache
def _lists() -> dict[str, list[str]]:
    return dict(load_checked(WEAK_PASSWORDS_FILE, WeakPasswordsFile))


def weakness(password: str) -> str | None:
    """Why ``password`` is refused (Chinese, for the admin), or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_CHARS:
        return f"密码至少 {MIN_PASSWORD_CHARS} 个字符"
    lowered = password.lower()
    if len(set(lowered)) <= 2:
        return "密码不能由一两个字符重复组成"
    if lowered.isdigit():
        return "密码不能只有数字"
    if any(lowered in run for run in _lists()["sequences"]):
        return "密码不能是连续的字母或数字"
    stem = lowered.rstrip("0123456789!@#$%^&*.-_ ")
    if stem in _lists()["common"] or lowered in _lists()["common"]:
        return "密码过于常见，请换一个更长、更难猜的密码"
    return None
