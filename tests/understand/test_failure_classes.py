"""Classes of understanding failure found on the hard set's dev half (issue 10), each shown on phrasings
that are not the dialogues' own words: the fix is a class (a word family, a shape), not a phrase."""

from __future__ import annotations

from datetime import date

import pytest

from bot.facts import out_of_scope, side_answers
from bot.understand import classify_reply, find_amount, find_dates, find_remedies, understand
from bot.understand.defect import find_defect
from bot.understand.numbers import find_numbers, is_device_alarm
from guardrails.rails.input import check_input

TODAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("想换", "换货"),  # a remedy word at the very end of the message
        ("DD2026112800519，修", "修理"),
        ("退", "退货"),  # a terse one-word reply
        ("退吧", "退货"),
        ("I just want a Refund", "退款"),  # mixed English, case-blind
        ("please replace it", "换货"),
        ("can we repair it", "修理"),
        ("我要换或", "换货"),  # pinyin-input slips
        ("直接给我退宽", "退款"),
        ("那就不修了，给我换一台", "换货"),  # a bare 不 right before the word negates it
        ("不退了，换个新的吧", "换货"),
    ],
)
def test_remedy_word_classes(text: str, wanted: str) -> None:
    assert find_remedies(text).wanted == wanted


@pytest.mark.parametrize("text", ["退出登录了", "it was returned late", "换季了衣服不合适"])
def test_remedy_lookalikes_stay_out(text: str) -> None:
    assert find_remedies(text).wanted is None


def test_a_changed_remedy_refuses_the_old_one() -> None:
    remedies = find_remedies("那我就不修了，直接退钱")
    assert remedies.wanted == "退款"
    assert "修理" in remedies.refused


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一瓶酱油八块五", 8.5),  # yuan and jiao
        ("2块8一斤", 2.8),
        ("标价一千二，实付九百九", 990),  # the paid amount, not the list price
        ("吊牌价599，到手价399", 399),
    ],
)
def test_amount_shapes(text: str, value: float) -> None:
    assert find_amount(text) == value


@pytest.mark.parametrize("text", ["起码退我六成", "退我一半吧", "给打个八折"])
def test_shares_are_not_amounts(text: str) -> None:
    assert find_amount(text) is None


@pytest.mark.parametrize("text", ["一根冰棍两块五一根", "卖1618元的那款", "十五一过就坏了"])
def test_numbers_are_not_festivals(text: str) -> None:
    assert not [m for m in find_dates(text, TODAY) if m.value.month in (5, 6) and m.value.day in (1, 18)]


def test_a_festival_alone_still_reads() -> None:
    assert find_dates("五一那会儿买的", TODAY)[0].value == date(2026, 5, 1)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("平板 昨天收的 屏幕碎了", "屏幕碎"),  # clauses split by spaces: no time words in the defect
        ("杯子收到就是裂的", "裂"),
        ("皮鞋没穿几次鞋底开胶", "开胶"),
        ("洗衣机不脱水", "不脱水"),
    ],
)
def test_defect_words(text: str, words: str) -> None:
    defect = find_defect(text)
    assert defect is not None and words in defect.words
    assert "收的" not in defect.words


def test_receipt_role_short_forms() -> None:
    assert understand("昨天收的，盒子是破的", TODAY).slots()["receipt_date"] == "2026-12-03"


@pytest.mark.parametrize("text", ["没单号", "订单信息我这边没有订单信息", "App卸载了，找不着"])
def test_no_order_number_said_in_other_words(text: str) -> None:
    assert find_numbers(text).order_unavailable


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("退回去的话邮费要我自己出吗", "运费"),
        ("快递费你们包不包", "运费"),
        ("运非谁出", "运费"),
        ("能开增值税专票吗", "发票"),
        ("invoice怎么弄", "发票"),
        ("钱是原路退回吗？", "退款"),
        ("这台还在保修期吗", "保修"),
        ("烫坏的沙发你们赔不赔", "财产"),
        ("能不能上门来取件", "上门取件"),
    ],
)
def test_side_question_phrasings(text: str, answer: str) -> None:
    assert any(answer in a for a in side_answers(text))


@pytest.mark.parametrize(
    "text", ["报的补习班不给退学费", "酒店订单被取消了", "美容院办的卡用不了了", "网约车绕路了", "物业乱收停车费"]
)
def test_other_businesses_are_out_of_scope(text: str) -> None:
    assert out_of_scope(text) is not None


@pytest.mark.parametrize("text", ["冰箱门没关好就报警", "电饭煲开机就显示个报警符号"])
def test_device_alarms(text: str) -> None:
    assert is_device_alarm(text)
    assert not [f.rule for f in check_input(text) if f.rule == "escalation_legal_action"]


def test_a_repair_visit_is_not_a_human_agent() -> None:
    assert not [f.rule for f in check_input("能不能派个师傅上门修") if f.rule == "escalation_human"]
    assert [f.rule for f in check_input("我要转人工") if f.rule == "escalation_human"]


@pytest.mark.parametrize("text", ["这个方案不需要了，谢谢", "呵呵，就这？", "拿优惠券打发我？"])
def test_polite_or_sarcastic_refusals_are_not_consent(text: str) -> None:
    verdict, _ = classify_reply(text, ("换货",))
    assert verdict in ("refuse", "counter")


@pytest.mark.parametrize(
    ("text", "value", "span"),
    [
        ("上个月买的", date(2026, 11, 15), (date(2026, 11, 1), date(2026, 11, 30))),
        ("上上个月底收到的", date(2026, 10, 28), (date(2026, 10, 21), date(2026, 10, 31))),
        ("月底到的", date(2026, 11, 28), (date(2026, 11, 21), date(2026, 11, 30))),
    ],
)
def test_months_named_relative_to_today_are_ranges(text: str, value: date, span: tuple[date, date]) -> None:
    mention = find_dates(text, TODAY)[0]
    assert (mention.value, mention.span) == (value, span)


def test_a_day_of_last_month_is_that_day() -> None:
    assert find_dates("上个月15号签收", TODAY)[0].value == date(2026, 11, 15)


@pytest.mark.parametrize("text", ["没拍照", "没有视频", "当时手机没电了没法拍照"])
def test_denied_evidence_is_none(text: str) -> None:
    read = understand(text, TODAY)
    assert read.evidence is None and read.evidence_denied


def test_evidence_said_next_to_a_denied_kind_is_kept() -> None:
    assert understand("录了视频，没拍照片", TODAY).evidence == "视频"


@pytest.mark.parametrize(
    ("text", "product"),
    [("在手机上买的电饭煲坏了", "电饭煲"), ("羽绒服掉毛", "羽绒服"), ("我手机号13612345678", None), ("包装破了", None)],
)
def test_the_product_in_the_customers_words(text: str, product: str | None) -> None:
    assert understand(text, TODAY).product == product


def test_a_side_question_names_no_remedy_and_no_evidence(chat) -> None:  # type: ignore[no-untyped-def]
    c = chat()
    reply = c.user("保修多久？发票怎么开？")
    assert "remedy_wanted" not in reply.slots and "evidence" not in reply.slots
    assert "保修" in reply.reply and "发票" in reply.reply


def test_the_product_named_is_a_stated_fact(chat) -> None:  # type: ignore[no-untyped-def]
    reply = chat().user("买的吸尘器吸不动了")
    assert reply.slots.get("product") == "吸尘器"
    assert "product" not in reply.verified


@pytest.mark.parametrize(
    ("text", "role", "value"),
    [
        ("前几天收到的", "receipt_date", date(2026, 12, 1)),
        ("上礼拜到的货", "receipt_date", date(2026, 11, 27)),
        ("这两天刚到", "receipt_date", date(2026, 12, 3)),
    ],
)
def test_vague_near_days(text: str, role: str, value: date) -> None:
    mention = find_dates(text, TODAY)[0]
    assert (mention.role, mention.value) == (role, value)


@pytest.mark.parametrize(("text", "value"), [("一千出头", 1000), ("花了小两千", 2000), ("九十九包邮", 99)])
def test_more_amount_shapes(text: str, value: float) -> None:
    assert find_amount(text) == value


@pytest.mark.parametrize("text", ["上个星期五买的", "礼拜三下的单"])
def test_a_weekday_is_not_an_amount(text: str) -> None:
    assert find_amount(text) is None


@pytest.mark.parametrize(("text", "wanted"), [("修就算了，退吧", "退货"), ("算了不换了退吧", "退货")])
def test_dismissed_remedies(text: str, wanted: str) -> None:
    assert find_remedies(text).wanted == wanted


@pytest.mark.parametrize("text", ["装修公司跑路了", "换个方案吧", "换个人来处理"])
def test_words_that_are_not_remedies(text: str) -> None:
    assert find_remedies(text).wanted is None


@pytest.mark.parametrize("text", ["不要这个方案", "你们这样处理我不服", "no way"])
def test_more_refusals(text: str) -> None:
    assert classify_reply(text, ("换货",))[0] == "refuse"


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("多久能退款", "退款"),
        ("发票能补开吗", "发票"),
        ("保修期是多久", "保修"),
        ("地板被泡了谁赔", "财产"),
        ("什么时候发货", "发货"),
    ],
)
def test_more_side_question_phrasings(text: str, answer: str) -> None:
    assert any(answer in a for a in side_answers(text))


@pytest.mark.parametrize("text", ["瑜伽课不给退费", "装修公司跑路了", "话费被多扣了", "在别的店买的"])
def test_more_businesses_out_of_scope(text: str) -> None:
    assert out_of_scope(text) is not None
