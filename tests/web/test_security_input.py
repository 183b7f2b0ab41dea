"""Issue 12 item 9 (part): weak staff passwords are refused; invisible direction and line controls are not stored."""

from __future__ import annotations

import pytest

from bot.web.auth import AuthError, UserStore
from bot.web.schemas import MessageIn


@pytest.mark.parametrize(
    "password", ["12345678", "password", "11111111", "abcdefgh", "qwertyuiop", "87654321", "Password1"]
)
def test_when_a_password_is_weak_then_it_is_refused(password: str, tmp_path) -> None:
    from sqlalchemy import create_engine

    store = UserStore(create_engine(f"sqlite:///{tmp_path / 'u.db'}"))
    with pytest.raises(AuthError):
        store.add("someone", "agent", password)


def test_a_long_passphrase_is_accepted(tmp_path) -> None:
    from sqlalchemy import create_engine

    store = UserStore(create_engine(f"sqlite:///{tmp_path / 'u.db'}"))
    assert store.add("someone", "agent", "a long test password").name == "someone"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("退款\u202e987654", "退款987654"),
        ("第一行\u2028第二行", "第一行\n第二行"),
        ("a\u2066b\u2069c\u200fd", "abcd"),
    ],
)
def test_direction_overrides_and_unicode_line_separators_are_not_stored_as_typed(typed: str, stored: str) -> None:
    assert MessageIn(text=typed).text == stored
