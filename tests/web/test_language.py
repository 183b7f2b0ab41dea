"""A message in another language gets a note, in that language, that service is in Chinese (issue 15)."""

from __future__ import annotations

import pytest

from bot.web.language import foreign_language
from bot.web.ui_customer import copy


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hi, the blender I bought from your shop is broken", "en"),
        ("Bonjour, mon colis est perdu", "en"),
        ("注文した商品が壊れていました", "ja"),
        ("주문한 상품이 고장났어요", "ko"),
        ("Здравствуйте, посылка потерялась", "ru"),
        ("我的 iPhone 充电器坏了", None),
        ("订单号 A20261120001", None),
        ("ok", None),
    ],
)
def test_the_language_is_told_by_its_script(text: str, language: str | None) -> None:
    assert foreign_language(text) == language


def test_every_language_found_has_a_note_in_that_language() -> None:
    notes = copy()["language_notes"]
    assert set(notes) == {"en", "ja", "ko", "ru"}
    assert "Chinese" in notes["en"] and "中国語" in notes["ja"]
