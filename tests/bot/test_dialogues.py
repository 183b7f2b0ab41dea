"""End-to-end dialogues, one per procedure, with the template drafter over the real test index."""

from __future__ import annotations

from collections.abc import Callable

from tests.fixtures.bot import Chat


def test_quality_defect_within_seven_days_offers_return_replace_repair(chat: Callable[[], Chat]) -> None:
    c = chat()
    c.user("我在你们店买的耳机坏了，开不了机")
    first = c.expect(procedure="quality_defect", step="investigate", missing=["order_no", "receipt_date"])
    assert first.case_id in first.reply and "本店" in first.reply
    c.user("订单号 2024112012345，三天前收到的")
    c.expect(step="investigate", missing=["evidence"], says="2024112012345")
    c.user("我拍了照片")
    c.expect(step="resolve", says=["退货", "换货", "修理"])
    c.user("换货吧")
    c.expect(step="record", says=["书面记录", "换货"])
    c.user("谢谢")
    c.expect(step="record", says="处理小结")  # every variant of the closed reply restates the summary


def test_quality_defect_after_fifteen_days_offers_repair_only(chat: Callable[[], Chat]) -> None:
    c = chat()
    c.user("洗衣机漏水，质量问题")
    c.user("订单号 A20240001，收到20天了，有视频")
    reply = c.expect(step="resolve", says="修理")
    assert "退货" not in reply.reply.split("可以为您办理")[-1].split("。")[0]


def test_seven_day_return_walks_all_five_steps(chat: Callable[[], Chat]) -> None:
    c = chat()
    c.user("衣服不喜欢，想七天无理由退货")
    c.expect(procedure="return_7day", step="investigate")
    c.user("订单号 88812345678，昨天签收，没拆封")
    c.expect(step="resolve", says=["退货", "退款"])
    c.user("好的")
    c.expect(step="record", says="书面记录")


def test_fraud_claim_offers_three_times_only_after_investigation(chat: Callable[[], Chat]) -> None:
    c = chat()
    first = c.user("你们卖假货，这个包不是正品，我要退一赔三")
    c.expect(procedure="fraud_claim", step="investigate")
    assert "可以为您办理" not in first.reply
    c.user("订单号 88001234567，价格 1299元，有鉴定照片")
    c.expect(step="resolve", says=["三倍", "五百元"])
    c.user("同意")
    c.expect(step="record")


def test_service_complaint_apologises_and_offers_compensation(chat: Callable[[], Chat]) -> None:
    c = chat()
    c.user("你们的快递员态度太差了，还骂我")
    c.expect(procedure="service_complaint", step="investigate", missing=["order_no"])
    c.user("订单号 12345678901")
    c.expect(step="resolve", says=["道歉", "补偿"])
    c.user("可以")
    c.expect(step="record")


def test_contract_dispute_over_a_deposit_offers_double_return(chat: Callable[[], Chat]) -> None:
    c = chat()
    c.user("我交了定金，你们却单方取消了订单")
    c.expect(procedure="contract_dispute", step="investigate")
    c.user("订单号 99887766554，定金500元")
    c.expect(step="resolve", says="双倍返还定金")
    c.user("不同意")
    c.expect(step="resolve", says="人工")  # a refusal keeps the case open once, with a human offered
    c.user("还是不同意")
    c.expect(step="record", says=["调解", "仲裁", "书面记录", "人工"])


def test_prepaid_card_offers_refund_of_the_balance(chat: Callable[[], Chat]) -> None:
    c = chat()
    c.user("我办的会员卡，店关门了，卡里的钱怎么办")
    c.expect(procedure="prepaid_card", step="investigate", missing=["purchase_date", "amount"])
    c.user("去年3月5日办卡的，余额800元")
    c.expect(step="resolve", says="退还预付款余额")
    c.user("退余额吧")
    c.expect(step="record")


def _demo_code(c: Chat) -> str:
    """The one-time code the demo sender "sent" in this case (what the agent console shows)."""
    from bot.identity import demo_outbox

    return demo_outbox(c.bot.parts.engine.identity, c.last.case_id)[-1].code


def test_personal_information_request_verifies_identity_first(chat: Callable[[], Chat]) -> None:
    c = chat()
    c.user("我想知道你们收集了我哪些个人信息")
    c.expect(procedure="personal_information", step="investigate", missing=["identity"], says="验证身份")
    c.user("验证码 4821，我要查阅")  # a code nobody sent verifies nothing
    c.expect(step="investigate", says="手机号或邮箱")
    c.user("手机 13812345678")
    c.expect(step="investigate", says="验证码已发送")
    c.user(f"验证码 {_demo_code(c)}")
    c.expect(step="resolve", says="提供查阅", verified=("identity",))
    c.user("好的")
    c.expect(step="record")


def test_request_to_delete_transaction_records_is_refused_with_reasons(chat: Callable[[], Chat]) -> None:
    c = chat()
    c.user("请删除我的个人信息")
    c.user("已验证，请删除订单记录")
    c.expect(step="investigate")  # saying so is not verifying
    c.user("邮箱 li.na.demo@example.com")
    c.user(_demo_code(c))
    reply = c.expect(step="record", says=["原因", "三年"])
    assert "resolve" not in [r.step for r in c.replies]
    assert reply.missing_slots == ()


def test_goods_bought_elsewhere_are_pointed_to_the_seller_and_12315(chat: Callable[[], Chat]) -> None:
    c = chat()
    c.user("吹风机坏了，不过我是在别家买的")
    c.expect(procedure="not_our_responsibility", step="record", says=["不属于本店", "12315"])
    assert not any(r.step == "resolve" for r in c.replies)


def test_general_complaint_switches_to_not_ours_when_bought_elsewhere(chat: Callable[[], Chat]) -> None:
    c = chat()
    c.user("我要投诉一下")
    c.expect(procedure="general_complaint", step="investigate")
    c.user("东西是在别的平台买的，你们管不管")
    c.expect(procedure="not_our_responsibility", says="不属于本店")


def test_replies_cite_retrieved_knowledge(chat: Callable[[], Chat]) -> None:
    c = chat()
    reply = c.user("我买的衣服不喜欢，可以七天无理由退货吗")
    assert reply.citations, reply.reply
    assert all(("law" in item) or ("doc" in item) for item in reply.citations)
