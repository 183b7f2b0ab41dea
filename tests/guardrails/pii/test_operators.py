"""Masking operators: placeholder consistency, partial masks, sensitive defaults, hash, redact."""

from __future__ import annotations

import json

import pytest

from guardrails.pii import TYPE_LABELS_ZH, Masker, PlaceholderBook, mask_text

VALID_ID = "11010519491231002X"


def test_when_same_number_repeats_in_other_formats_then_placeholder_stays_the_same() -> None:
    masker = Masker()
    first = masker.mask("我的手机是13812345678").text
    second = masker.mask("再说一遍：１３８－１２３４－５６７８，另一个13900001111").text
    assert first == "我的手机是[手机号1]"
    assert second == "再说一遍：[手机号1]，另一个[手机号2]"


def test_when_mask_operator_is_used_then_phone_keeps_prefix_and_suffix() -> None:
    assert mask_text("电话13812345678", "mask").text == "电话138****5678"


def test_when_mask_operator_meets_a_sensitive_kind_then_it_gets_a_placeholder() -> None:
    masked = mask_text(f"身份证{VALID_ID}，电话13812345678", "mask")
    assert masked.text == "身份证[身份证号1]，电话138****5678"
    assert [change.operator for change in masked.changes] == ["placeholder", "mask"]


def test_when_a_per_type_operator_is_configured_then_sensitive_kind_may_be_partially_masked() -> None:
    masked = Masker("placeholder", operators={"id_card": "mask"}).mask(f"身份证{VALID_ID}")
    assert masked.text == "身份证110105********002X"


def test_when_email_is_partially_masked_then_provider_stays_readable() -> None:
    assert mask_text("邮箱zhangsan@qq.com", "mask").text == "邮箱z*******@qq.com"


def test_when_redacting_then_value_is_gone_and_type_is_not_revealed() -> None:
    assert mask_text("电话13812345678", "redact").text == "电话[已删除]"


def test_when_hashing_with_the_same_key_then_same_value_gives_same_token() -> None:
    key = b"k" * 32
    first = Masker("hash", hash_key=key).mask("13812345678").text
    again = Masker("hash", hash_key=key).mask("138 1234 5678").text
    other_key = Masker("hash", hash_key=b"x" * 32).mask("13812345678").text
    assert first == again != other_key
    assert first.startswith("[手机号#") and "13812345678" not in first


def test_when_operator_is_unknown_then_error_lists_the_choices() -> None:
    with pytest.raises(ValueError, match="placeholder, mask, hash, redact"):
        Masker("scramble")


def test_when_changes_are_reported_then_offsets_are_original_and_values_absent() -> None:
    text = "我叫张三，手机１３８１２３４５６７８"
    masked = mask_text(text)
    assert [(c.type, text[c.start : c.end]) for c in masked.changes] == [
        ("name", "张三"),
        ("phone", "１３８１２３４５６７８"),
    ]
    assert "１３８" not in repr(masked.changes)


def test_when_book_is_serialised_then_no_value_is_stored_and_numbering_survives() -> None:
    key = b"b" * 32
    masker = Masker(hash_key=key)
    masker.mask("手机13812345678，邮箱zhangsan@qq.com")
    data = masker.book.to_dict()
    dumped = json.dumps(data, ensure_ascii=False)
    assert "13812345678" not in dumped and "zhangsan" not in dumped
    restored = Masker(book=PlaceholderBook.from_dict(data, key=key), hash_key=key)
    assert restored.mask("13812345678 和 13900001111").text == "[手机号1] 和 [手机号2]"


def test_when_book_data_is_not_a_book_then_error() -> None:
    with pytest.raises(ValueError, match="placeholder book"):
        PlaceholderBook.from_dict({"version": 99})


def test_when_text_is_already_masked_then_masking_again_changes_nothing() -> None:
    once = mask_text(f"我叫张三，身份证{VALID_ID}，手机13812345678").text
    assert mask_text(once).text == once


def test_every_builtin_type_has_a_chinese_label() -> None:
    assert TYPE_LABELS_ZH["phone"] == "手机号" and TYPE_LABELS_ZH["id_card"] == "身份证号"
    assert set(TYPE_LABELS_ZH) >= {"bank_card", "email", "address", "name", "passport", "license_plate", "ip"}
