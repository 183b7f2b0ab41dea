"""The deterministic check on LLM-proposed facts (bot/understand/support.py) and the schema the
extractor asks for (bot/understand/llm_schema.py): a fact stays only where the customer's words say it."""

from __future__ import annotations

from datetime import date

import jsonschema
import pytest

from bot.understand.assisted import parse
from bot.understand.llm_schema import fact_schema, remedy_values, response_format
from bot.understand.support import check

TODAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("text", "proposed", "kept"),
    [
        ("我的单子是 XM20261102889，转起来咔咔响", {"order_no": "XM20261102889"}, {"order_no": "XM20261102889"}),
        ("空气炸锅三百八拿下的", {"amount": 380}, {"amount": "380"}),
        ("1.2k买的耳机", {"amount": 1200.0}, {"amount": "1200"}),
        ("上周三收到的，屏幕有坏点", {"receipt_date": "2026-11-25"}, {"receipt_date": "2026-11-25"}),
        ("11.20那天到的货", {"receipt_date": "2026-11-20"}, {"receipt_date": "2026-11-20"}),
        ("这破玩意儿我不想要了，能退吗", {"remedy_wanted": "退货"}, {"remedy_wanted": "退货"}),
        ("我在你们店买的那台空气炸锅", {"product": "空气炸锅"}, {"product": "空气炸锅"}),
        ("现在一开就跳闸", {"defect": "一开机就跳闸"}, {"defect": "一开机就跳闸"}),  # one character off
    ],
    ids=["order-no-said", "amount-in-words", "amount-k", "weekday", "dotted-date", "bare-return", "product", "defect"],
)
def test_a_fact_the_words_support_is_kept(text: str, proposed: dict[str, object], kept: dict[str, str]) -> None:
    checked = check(proposed, text, TODAY)
    assert checked.kept == kept and checked.dropped == {}


@pytest.mark.parametrize(
    ("text", "proposed", "reason"),
    [
        ("订单号我找找……", {"order_no": "20241120886"}, "not_in_text"),
        ("电话13912345678，台灯坏了", {"order_no": "13912345678"}, "phone_or_tracking_number"),
        ("顺丰单号SF1234567890123还没到", {"order_no": "SF1234567890123"}, "phone_or_tracking_number"),
        ("我叫[姓名1]，电话[手机号1]", {"order_no": "手机号1"}, "not_an_order_number"),
        ("空气炸锅三百八拿下的", {"amount": 3800}, "not_in_text"),
        ("空气炸锅花了不少钱", {"amount": 599}, "not_in_text"),
        ("上周三收到的", {"receipt_date": "2026-11-20"}, "not_in_text"),
        ("下个月再说", {"receipt_date": "2027-01-04"}, "in_the_future"),
        ("我不要修，修好的也不放心", {"remedy_wanted": "修理"}, "refused_in_text"),
        ("屏幕有坏点", {"remedy_wanted": "退款"}, "not_in_text"),
        ("屏幕有坏点", {"product": "华为手机"}, "not_in_text"),
        ("屏幕有坏点", {"defect": "电池鼓包漏液"}, "not_in_text"),
        ("方案我不接受，医药费你们得出", {"offer_reply": "accept"}, "deterministic_reading_differs"),
    ],
    ids=[
        "invented-order-no",
        "phone-as-order-no",
        "tracking-as-order-no",
        "placeholder",
        "inflated-amount",
        "invented-amount",
        "wrong-date",
        "future-date",
        "refused-remedy",
        "invented-remedy",
        "invented-product",
        "invented-defect",
        "consent-from-a-refusal",
    ],
)
def test_a_fact_the_words_do_not_support_is_dropped(text: str, proposed: dict[str, object], reason: str) -> None:
    checked = check(proposed, text, TODAY)
    assert checked.kept == {}
    assert checked.dropped == {next(iter(proposed)): reason}


def test_the_schema_is_generated_from_the_word_lists_and_the_slot_catalogue() -> None:
    schema = fact_schema()
    assert schema["required"] == list(schema["properties"]) and schema["additionalProperties"] is False
    assert schema["properties"]["remedy_wanted"]["enum"] == [*remedy_values(), None]
    assert "修理" in remedy_values() and "退货" in remedy_values()
    assert schema["properties"]["order_no"]["description"] == "订单号"  # the label in bot/config/slots.yaml
    assert response_format()["json_schema"]["strict"] is True
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ("not json at all", "not JSON"),
        ('{"order_no": "A1"}', "outside the schema"),  # keys missing
        (
            '{"order_no": null, "purchase_date": null, "receipt_date": null, "amount": "三百八", "product": null,'
            ' "remedy_wanted": null, "defect": null, "offer_reply": null}',
            "outside the schema at amount",
        ),
        ("[]", "outside the schema"),
    ],
    ids=["garbage", "missing-keys", "wrong-type", "array"],
)
def test_an_answer_outside_the_schema_proposes_nothing(answer: str, error: str) -> None:
    proposal = parse(answer)
    assert proposal.facts == {} and proposal.error is not None and error in proposal.error
