"""Matching / validated / rejected tables for phone, id_card, bank_card and email."""

from __future__ import annotations

import pytest

from guardrails.pii import detect

VALID_ID = "11010519491231002X"
VALID_CARD = "6222021234567890128"  # Luhn-valid, UnionPay prefix


def only(text: str, entity_type: str) -> list[str]:
    return [entity.value for entity in detect(text) if entity.type == entity_type]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("我的手机13812345678", "13812345678"),
        ("电话：138 1234 5678", "138 1234 5678"),
        ("打 138-1234-5678 找我", "138-1234-5678"),
        ("+86 13812345678 是我", "+86 13812345678"),
        ("0086-13812345678", "0086-13812345678"),
        ("手机号１３８１２３４５６７８", "１３８１２３４５６７８"),
    ],
)
def test_when_mobile_number_is_written_any_common_way_then_phone_is_found(text: str, value: str) -> None:
    assert only(text, "phone") == [value]


@pytest.mark.parametrize(
    "text",
    [
        "订单号13812345678",
        "SN138123456789",
        "编号A13812345678",
        "价格12812345678元",
    ],
)
def test_when_number_is_not_a_mobile_then_no_phone(text: str) -> None:
    assert only(text, "phone") == []


@pytest.mark.parametrize(
    "value",
    [VALID_ID, VALID_ID.lower(), "110105194912310021"[:17] + "X"],
)
def test_when_id_checksum_is_valid_then_id_card_found(value: str) -> None:
    text = f"身份证号{value}"
    found = only(text, "id_card")
    if value.upper() == VALID_ID:
        assert found == [value]
    else:
        assert found == []


@pytest.mark.parametrize(
    "text",
    [
        "订单号110105194912310021",  # wrong check character
        "110105194913310023",  # month 13
        "990105194912310028",  # no such province
    ],
)
def test_when_id_checksum_or_date_is_wrong_then_no_match(text: str) -> None:
    assert only(text, "id_card") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (f"卡号{VALID_CARD}", VALID_CARD),
        ("卡号6222 0212 3456 7890 128", "6222 0212 3456 7890 128"),
    ],
)
def test_when_card_number_passes_luhn_then_bank_card_found(text: str, value: str) -> None:
    assert only(text, "bank_card") == [value]


def test_when_luhn_fails_then_no_bank_card() -> None:
    assert only("卡号6222021234567890127", "bank_card") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("邮箱zhang.san@qq.com谢谢", "zhang.san@qq.com"),
        ("mail: a_b+c@mail.example.com.cn。", "a_b+c@mail.example.com.cn"),
    ],
)
def test_when_email_is_present_then_email_found(text: str, value: str) -> None:
    assert only(text, "email") == [value]
