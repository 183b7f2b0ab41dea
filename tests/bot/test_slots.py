"""Slot extraction and classification tables (masked text in, slot values out)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.classify import Classifier
from bot.slots import derive, extract, load_slot_specs, slot_roles

SPECS = load_slot_specs()
TODAY = date(2026, 11, 29)


@pytest.mark.parametrize(
    ("text", "step", "expecting", "wanted"),
    [
        ("订单号 2024112012345", "investigate", (), {"order_no": "2024112012345"}),
        ("订单号：SN20241120A", "investigate", (), {"order_no": "SN20241120A"}),
        ("2024112012345", "investigate", ("order_no",), {"order_no": "2024112012345"}),
        ("三天前收到的", "investigate", (), {"days_since_receipt": "3", "receipt_date": "2026-11-26"}),
        ("11月20日签收", "investigate", (), {"receipt_date": "2026-11-20"}),
        ("2026年3月5日办卡", "investigate", (), {"purchase_date": "2026-03-05"}),
        ("昨天", "investigate", ("receipt_date",), {"receipt_date": "2026-11-28"}),
        ("价格 1299元", "investigate", (), {"amount": "1299"}),
        ("￥59.9", "investigate", (), {"amount": "59.9"}),
        ("开不了机，我拍了照片", "investigate", (), {"defect": "无法正常使用", "evidence": "照片"}),
        ("我想换一个新的", "investigate", (), {"remedy_wanted": "换货"}),
        ("退一赔三", "investigate", (), {"remedy_wanted": "三倍赔偿"}),
        ("好的，就换货吧", "resolve", (), {"agreement": "同意", "remedy_choice": "换货"}),
        ("不同意这个方案", "resolve", (), {"agreement": "不同意"}),
        ("在京东买的", "triage", (), {"seller": "京东"}),
        ("我想看看你们都存了我哪些个人信息", "accept", (), {"request_type": "查阅"}),
        ("你们保存了我哪些数据", "accept", (), {"request_type": "查阅"}),
        ("请把我的个人信息导出一份", "accept", (), {"request_type": "复制"}),
        ("看看我的个人信息，然后全部删除", "accept", (), {"request_type": "删除"}),
        ("客服答应今天回电话，结果没人联系我", "accept", (), {"service_issue": "承诺未兑现"}),
    ],
)
def test_slots_are_extracted_from_masked_text(
    text: str, step: str, expecting: tuple[str, ...], wanted: dict[str, str]
) -> None:
    found = extract(SPECS, text, step=step, expecting=expecting, today=TODAY)
    derive(found, TODAY, slot_roles(SPECS))
    for key, value in wanted.items():
        assert found.get(key) == value, (key, found)


@pytest.mark.parametrize(
    ("text", "step", "absent"),
    [
        ("好的", "investigate", "agreement"),  # agreement is only read while the case is at resolve
        ("在别家买的", "triage", "seller"),  # a generic word is not a seller
        ("2024112012345", "investigate", "order_no"),  # a bare number counts only when we asked for it
        ("2月30日收到", "investigate", "receipt_date"),  # impossible dates are ignored
        ("😀😀", "accept", "issue"),  # emoji alone says nothing
    ],
)
def test_look_alikes_fill_no_slot(text: str, step: str, absent: str) -> None:
    assert absent not in extract(SPECS, text, step=step, today=TODAY)


@pytest.mark.parametrize(
    ("text", "procedure"),
    [
        ("我买的耳机坏了", "quality_defect"),
        ("不喜欢，想七天无理由退货", "return_7day"),
        ("你们卖假货", "fraud_claim"),
        ("客服态度太差", "service_complaint"),
        ("交了定金不给退", "contract_dispute"),
        ("会员卡的余额怎么办，店关门了", "prepaid_card"),
        ("请删除我的个人信息", "personal_information"),
        ("我想看看你们都存了我哪些个人信息", "personal_information"),
        ("你们客服答应今天给我回电话，结果等了一天都没人联系我", "service_complaint"),
        ("我是在别家买的，坏了", "not_our_responsibility"),
        ("你好", "general_complaint"),
    ],
)
def test_opening_messages_are_classified_by_rules(text: str, procedure: str) -> None:
    assert Classifier.load().classify(text).procedure == procedure


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("订单号ＤＤ２０２６１１２５９９９９", {"order_no": "DD202611259999"}),
        ("３天前收到的", {"days_since_receipt": "3"}),
        ("今年3月办的卡", {"purchase_date": "2026-03-01"}),
        ("去年3月5日办卡的", {"purchase_date": "2025-03-05"}),
    ],
)
def test_full_width_and_partial_dates_are_understood(text: str, wanted: dict[str, str]) -> None:
    found = extract(SPECS, text, step="investigate", today=TODAY)
    for key, value in wanted.items():
        assert found.get(key) == value, (key, found)


@pytest.mark.parametrize("text", ["在吗", "？", "你好！", "hello"])
def test_a_greeting_is_not_a_problem_description(text: str) -> None:
    assert "issue" not in extract(SPECS, text, step="accept", today=TODAY)


def test_the_problem_description_keeps_the_customers_own_punctuation() -> None:
    assert extract(SPECS, "耳机坏了，开不了机！", step="accept", today=TODAY)["issue"] == "耳机坏了，开不了机！"


@pytest.mark.parametrize("text", ["在你们店买的", "在这家买的", "在别的平台买的"])
def test_words_that_point_at_no_one_are_not_a_seller(text: str) -> None:
    assert "seller" not in extract(SPECS, text, step="triage", today=TODAY)
