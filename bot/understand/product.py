"""The product a case is about, in the customer's own words: 电饭锅, 吸尘器, 羽绒服 (data/products.yaml)."""

from __future__ import annotations

from bot.understand.data import pattern, table


def find_product(text: str) -> str | None:
    """The first product the message names; at one place the longer word wins (电饭煲 over 饭煲)."""
    best: tuple[int, int, str] | None = None
    not_before = pattern("products", "not_before")
    for words in table("products")["categories"].values():
        for word in words:
            position = text.find(word)
            while position >= 0 and not_before.match(text, position + len(word)):
                position = text.find(word, position + 1)  # 手机号: not a phone the case is about
            if position < 0:
                continue
            key = (position, -len(word), word)
            if best is None or key < best:
                best = key
    return best[2] if best else None
