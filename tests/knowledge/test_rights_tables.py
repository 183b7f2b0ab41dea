"""Every rights rule, table-driven, each case written from the words of its article."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.yamlmarks import DataError
from knowledge.rights import decide, load_tables
from knowledge.rights.amounts import deposit_effective, food_tenfold, fraud_triple
from knowledge.rights.decide import paragraph_text, whole_sentences
from knowledge.statutes import StatuteStore

# (kind, facts, rule id that must fire, {amount label: amount}) — the statute sentence in the comment.
CASES = [
    # 消法25-1: 网络…销售商品，消费者有权自收到商品之日起七日内退货，且无需说明理由
    ("returns", {"channel": "online", "days_since_receipt": 3}, "returns.within_seven_days", {}),
    ("returns", {"channel": "online", "days_since_receipt": 7}, "returns.within_seven_days", {}),
    ("returns", {"channel": "online", "days_since_receipt": 8}, "returns.late", {}),
    # 线下购买不在“网络、电视、电话、邮购等方式”之列
    ("returns", {"channel": "offline", "days_since_receipt": 1}, "returns.offline", {}),
    # 25-1 但书: 定作的、鲜活易腐的…除外
    ("returns", {"channel": "online", "excepted": True, "days_since_receipt": 2}, "returns.excepted_category", {}),
    # 25-2: 经消费者在购买时确认不宜退货的商品，不适用无理由退货
    ("returns", {"channel": "online", "confirmed_at_purchase": True}, "returns.confirmed_unsuitable", {}),
    # 25-3: 消费者退货的商品应当完好
    ("returns", {"channel": "online", "tried_on": True}, "returns.tried_on", {}),
    ("returns", {}, "returns.general", {}),
    # 消法24-1: 没有国家规定和当事人约定的，消费者可以自收到商品之日起七日内退货
    ("quality", {"defect": "质量问题", "days_since_receipt": 5}, "quality.within_seven_days", {}),
    ("quality", {"defect": "质量问题", "days_since_receipt": 30}, "quality.after_seven_days", {}),
    ("quality", {}, "quality.general", {}),
    # 消法23-1: 但消费者在购买…前已经知道其存在瑕疵，且存在该瑕疵不违反法律强制性规定的除外
    ("quality", {"known_before_purchase": True, "defect": "划痕"}, "quality.known_before_purchase", {}),
    # 23-2: 保证…实际质量与表明的质量状况相符
    ("quality", {"not_as_stated": True}, "quality.not_as_stated", {}),
    # 23-3: 耐用商品…六个月内发现瑕疵，发生争议的，由经营者承担有关瑕疵的举证责任
    ("quality", {"burden_of_proof": True, "defect": "坏点"}, "quality.durable_burden_of_proof", {}),
    # 消法40-2: 因商品缺陷造成人身、财产损害的，可以向销售者要求赔偿，也可以向生产者要求赔偿
    ("quality", {"defect": "漏电", "injury": True}, "quality.injury", {}),
    # 三包: 三包有效期内修理两次仍不能正常使用的 → 换货或退货
    ("quality", {"defect": "黑屏", "repairs": 2}, "quality.repaired_twice", {}),
    # 三包: 售出十五日内性能故障 → 换货或修理 (7 < days <= 15)
    ("quality", {"defect": "不制冷", "sanbao_item": True, "days_since_receipt": 12}, "quality.sanbao_fifteen_days", {}),
    ("quality", {"defect": "不制冷", "sanbao_item": True, "days_since_receipt": 16}, "quality.after_seven_days", {}),
    ("quality", {"defect": "不制冷", "sanbao_item": True, "days_since_receipt": 6}, "quality.within_seven_days", {}),
    # 消法55-1: 三倍；增加赔偿的金额不足五百元的，为五百元
    ("fraud", {"fraud": True, "price": 800}, "fraud.established", {"增加赔偿": 2400}),
    ("fraud", {"fraud": True, "price": 100}, "fraud.established", {"增加赔偿": 500}),
    ("fraud", {"fraud": True}, "fraud.established", {}),
    ("fraud", {"fraud": False, "defect": "质量问题"}, "fraud.not_established", {}),
    # 55-2: 明知…缺陷…造成…健康严重损害的…二倍以下的惩罚性赔偿
    ("fraud", {"knew_defect": True, "serious_injury": True}, "fraud.known_defect_injury", {}),
    ("fraud", {}, "fraud.general", {}),
    # 食安148-2: 价款十倍或者损失三倍的赔偿金；增加赔偿的金额不足一千元的，为一千元
    ("food", {"food_unsafe": True, "price": 15}, "food.unsafe", {"赔偿金": 1000}),
    ("food", {"food_unsafe": True, "price": 2000}, "food.unsafe", {"赔偿金": 20000}),
    ("food", {"food_unsafe": True, "loss": 6000}, "food.unsafe", {"赔偿金": 18000}),
    # 148-2 但书: 标签、说明书存在不影响食品安全且不会对消费者造成误导的瑕疵的除外
    ("food", {"food_unsafe": False, "label_flaw": True}, "food.label_flaw_only", {}),
    ("food", {}, "food.general", {}),
    # 民法典587: 给付定金的一方不履行债务…无权请求返还定金
    ("deposit", {"deposit_defaulter": "buyer", "deposit": 2000}, "deposit.buyer_defaults", {}),
    # 587: 收受定金的一方不履行债务…应当双倍返还定金
    ("deposit", {"deposit_defaulter": "seller", "deposit": 1000}, "deposit.seller_defaults", {"双倍返还": 2000}),
    # 586-2: 不得超过主合同标的额的百分之二十，超过部分不产生定金的效力
    ("deposit", {"deposit_defaulter": "seller", "deposit": 30000, "price": 100000}, "deposit.seller_defaults",
     {"双倍返还": 40000, "有效定金": 20000}),
    ("deposit", {"deposit_kind": "订金", "deposit_defaulter": "buyer"}, "deposit.not_a_deposit", {}),
    # 588-1: 可以选择适用违约金或者定金条款
    ("deposit", {"deposit_defaulter": "seller", "penalty_clause": True}, "deposit.penalty_and_deposit", {}),
    # 588-2: 定金不足以弥补…损失的，对方可以请求赔偿超过定金数额的损失
    ("deposit", {"deposit_defaulter": "seller", "loss_exceeds_deposit": True}, "deposit.loss_exceeds", {}),
    ("deposit", {}, "deposit.general", {}),
    # 消法53: 未按照约定提供的，应当按照消费者的要求履行约定或者退回预付款
    ("prepaid", {"prepaid_closing": True}, "prepaid.not_performed", {}),
    ("prepaid", {"prepaid": True}, "prepaid.general", {}),
    ("standard_terms", {"standard_terms": True}, "standard_terms.unfair", {}),
    # 民法典496-2: 未履行提示或者说明义务…对方可以主张该条款不成为合同的内容
    ("standard_terms", {"not_highlighted": True}, "standard_terms.not_highlighted", {}),
    # 电商法20: 承担商品运输中的风险和责任。但是，消费者另行选择快递物流服务提供者的除外
    ("ecommerce", {"buyer_chose_carrier": True}, "ecommerce.buyer_chose_carrier", {}),
    ("ecommerce", {"not_received": True}, "ecommerce.not_received", {}),
    # 电商法19: 不得将搭售商品或者服务作为默认同意的选项
    ("ecommerce", {"tying": True}, "ecommerce.tying", {}),
    # 电商法62: 应当提供原始合同和交易记录
    ("ecommerce", {"wants_records": True}, "ecommerce.records", {}),
    # 消法39: 协商和解、调解、投诉、仲裁、诉讼
    ("ecommerce", {"dispute_channels": True}, "ecommerce.dispute_channels", {}),
    # 个保法47: 个人有权请求删除; 46: 有权请求…更正、补充; 消法29-3: 不得向其发送商业性信息
    ("personal_information", {"pi_request": "delete"}, "personal_information.delete", {}),
    ("personal_information", {"pi_request": "correct"}, "personal_information.correct", {}),
    ("personal_information", {"pi_request": "marketing"}, "personal_information.marketing", {}),
    ("advertising", {"misleading_ad": True}, "advertising.misleading", {}),
    # 广告法56-2: 关系消费者生命健康的…虚假广告…广告代言人应当与广告主承担连带责任
    ("advertising", {"endorser": True, "health_related": True}, "advertising.endorser_health", {}),
    ("advertising", {"endorser": True}, "advertising.misleading", {}),
    ("personal_information", {"pi": True}, "personal_information.general", {}),
]


@pytest.mark.parametrize(("kind", "facts", "rule_id", "amounts"), CASES)
def test_rule_fires_with_amounts(kind: str, facts: dict[str, object], rule_id: str, amounts: dict[str, float]) -> None:
    decision = decide(kind, facts)
    assert decision is not None and decision.rule_id == rule_id
    got = {r.amount_label: r.amount for r in decision.rights if r.amount is not None}
    for label, amount in amounts.items():
        assert got[label] == amount
    assert "{" not in decision.says


def test_every_rule_has_a_case() -> None:
    tested = {case[2] for case in CASES}
    every = {rule.id for table in load_tables().values() for rule in table.rules}
    assert every <= tested, sorted(every - tested)


def test_every_ground_exists_and_is_in_force() -> None:
    store = StatuteStore.open_default()
    for table in load_tables().values():
        for rule in table.rules:
            for spec in rule.rights:
                article = store.get(spec.ground.law, spec.ground.article)
                assert article is not None and article.in_force, (rule.id, spec.ground)
                quoted = whole_sentences(paragraph_text(article.text, spec.ground.paragraph), spec.ground.sentences)
                assert quoted.endswith("。"), (rule.id, quoted)  # whole sentences only


@pytest.mark.parametrize(("price", "expected"), [(100, 500), (166, 500), (167, 501), (800, 2400)])
def test_fraud_floor(price: float, expected: float) -> None:
    assert fraud_triple(price) == expected


@pytest.mark.parametrize(("price", "loss", "expected"), [(15, None, 1000), (48, None, 1000), (2000, None, 20000),
                                                         (None, 6000, 18000), (100, 500, 1500)])
def test_food_tenfold_or_threefold_loss(price: float | None, loss: float | None, expected: float) -> None:
    assert food_tenfold(price, loss) == expected


@pytest.mark.parametrize(("deposit", "price", "expected"), [(30000, 100000, 20000), (1000, 10000, 1000),
                                                            (1000, None, 1000)])
def test_deposit_cap(deposit: float, price: float | None, expected: float) -> None:
    assert deposit_effective(deposit, price) == expected


def test_schema_rejects_unknown_key_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "kind: x\nname: x\nrules:\n- id: a\n  says: s\n  rights: []\n  colour: red\n", encoding="utf-8")
    load_tables.cache_clear()
    with pytest.raises(DataError, match=r"bad\.yaml:7: .*colour"):  # the line of the offending key
        load_tables(tmp_path)
    load_tables.cache_clear()
