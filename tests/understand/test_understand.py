"""The understanding layer on the colloquial phrasings issue 10 lists."""

from __future__ import annotations

from datetime import date

import pytest

from bot.understand import classify_reply, find_amount, find_dates, find_remedies, understand
from bot.understand.numbers import find_numbers, is_device_alarm

TODAY = date(2026, 12, 3)  # a Thursday


@pytest.mark.parametrize(
    ("text", "role", "value"),
    [
        ("才买了12天就坏了", "purchase_date", "2026-11-21"),
        ("前天收到的", "receipt_date", "2026-12-01"),
        ("上周三下的单", "purchase_date", "2026-11-25"),
        ("双十一那天买的", "purchase_date", "2026-11-11"),
        ("11月中旬买的", "purchase_date", "2026-11-15"),
        ("11月20日签收的", "receipt_date", "2026-11-20"),
        ("五天前收到的", "receipt_date", "2026-11-28"),
        ("收到3天了", "receipt_date", "2026-11-30"),
    ],
)
def test_time_expressions(text: str, role: str, value: str) -> None:
    mention = find_dates(text, TODAY)[0]
    assert (mention.role, mention.value.isoformat()) == (role, value)


def test_a_range_keeps_its_bounds() -> None:
    mention = find_dates("11月中旬买的", TODAY)[0]
    assert mention.span == (date(2026, 11, 11), date(2026, 11, 20))


def test_no_future_dates() -> None:
    assert all(m.value <= TODAY for m in find_dates("12月20日买的", TODAY))


@pytest.mark.parametrize(
    ("text", "expecting", "value"),
    [
        ("花了三百八十块", False, 380),
        ("一千二买的，价格一千二", False, 1200),
        ("1.2k买的", False, 1200),
        ("¥99.5", False, 99.5),
        ("三百八", True, 380),
        ("三百八", False, None),
        ("收到12天", False, None),
    ],
)
def test_amounts(text: str, expecting: bool, value: float | None) -> None:
    assert find_amount(text, expecting) == value


@pytest.mark.parametrize(
    ("text", "wanted", "refused", "fallback"),
    [
        ("我要求退货退款，不接受维修", "退货", ("修理",), None),
        ("不要修，只要退款", "退款", ("修理",), None),
        ("先换不行再退", "换货", (), "退货"),
        ("我想退", "退货", (), None),
        ("换季的衣服想修改一下", None, (), None),
    ],
)
def test_remedies(text: str, wanted: str | None, refused: tuple[str, ...], fallback: str | None) -> None:
    found = find_remedies(text)
    assert (found.wanted, found.refused, found.fallback) == (wanted, refused, fallback)


def test_defect_in_the_customers_words() -> None:
    assert understand("水壶漏水", TODAY).slots()["defect"] == "水壶漏水"
    assert "漏电" not in understand("水壶漏水", TODAY).slots()["defect"]


def test_video_is_not_a_photo() -> None:
    assert understand("我拍了视频", TODAY).slots()["evidence"] == "视频"
    assert understand("有照片也有视频", TODAY).slots()["evidence"] == "视频、照片"


def test_numbers() -> None:
    assert find_numbers("电话8613912345678", expecting_order=True).order_no is None
    assert find_numbers("订单号 DD2026112233445").order_no == "DD2026112233445"
    found = find_numbers("快递单号SF1234567890123", expecting_order=True)
    assert (found.order_no, found.tracking_no) == (None, "SF1234567890123")
    assert not find_numbers("订单号？我找找……").order_unavailable  # still looking
    assert find_numbers("门店买的没有订单号").order_unavailable


def test_device_alarm_is_not_the_police() -> None:
    assert is_device_alarm("热水器一开机就报警")
    assert not is_device_alarm("再不处理我就去报警")


@pytest.mark.parametrize(
    ("text", "verdict", "remedy"),
    [
        ("道歉有什么用？医药费你们得出", "counter", "赔偿"),
        ("不同意，运费凭什么要我出", "refuse", None),
        ("可以", "accept", None),
        ("行吧换货", "accept", "换货"),
        ("不行", "refuse", None),
        ("不要", "refuse", None),
    ],
)
def test_replies_to_an_offer(text: str, verdict: str, remedy: str | None) -> None:
    assert classify_reply(text, ("退货", "换货")) == (verdict, remedy)


@pytest.mark.parametrize(
    ("text", "escalates"),
    [
        ("热水器一开机就报警，屏幕显示E1", False),
        ("冰箱老是报警，嘀嘀响", False),
        ("再不处理我就报警了", True),
        ("我要打110", True),
    ],
)
def test_the_input_rail_reads_alarm_in_context(text: str, escalates: bool) -> None:
    from guardrails.rails import check_input

    assert any(flag.rule == "escalation_legal_action" for flag in check_input(text)) is escalates


def test_a_defect_asked_as_a_question_routes_but_never_replaces_what_the_customer_told() -> None:
    from datetime import date

    from bot.understand import understand

    told = understand("吹风机用了两回就一股焦糊味", date(2026, 12, 3)).slots()
    guessed = understand("是不是坏了？", date(2026, 12, 3))
    assert told.get("defect")
    assert guessed.defect is not None and guessed.defect.guess
    assert "defect" not in guessed.slots()
