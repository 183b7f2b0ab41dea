"""``mask_known_names``: a name the conversation already masked is masked again wherever it appears."""

from __future__ import annotations

import pytest

from guardrails.pii import PlaceholderBook
from guardrails.pii.known_names import mask_known_names


@pytest.fixture
def book() -> PlaceholderBook:
    known = PlaceholderBook(b"k" * 32)
    for name in ("欧阳娜娜", "约翰·史密斯", "王五"):
        known.placeholder("name", name)
    return known


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("欧阳娜娜您好", "[姓名1]您好"),
        ("请约翰·史密斯先生和欧阳娜娜一起来", "请[姓名2]先生和[姓名1]一起来"),
        ("王五的快递到了，王五签收", "[姓名3]的快递到了，[姓名3]签收"),
        ("欧阳先生您好", "欧阳先生您好"),  # part of a known name is not that name
        ("订单号 A123 已发货", "订单号 A123 已发货"),
        ("", ""),
    ],
)
def test_when_a_known_name_appears_without_a_cue_then_it_is_masked(
    book: PlaceholderBook, text: str, expected: str
) -> None:
    assert mask_known_names(text, book) == expected


def test_when_the_book_is_empty_then_the_text_is_unchanged() -> None:
    assert mask_known_names("欧阳娜娜您好", PlaceholderBook(b"k" * 32)) == "欧阳娜娜您好"


def test_when_a_book_is_restored_then_its_names_are_still_known(book: PlaceholderBook) -> None:
    restored = PlaceholderBook.from_dict(book.to_dict(), key=b"k" * 32)
    assert mask_known_names("王五您好", restored) == "[姓名3]您好"
    assert mask_known_names("王五您好", PlaceholderBook.from_dict(book.to_dict(), key=b"x" * 32)) == "王五您好"
