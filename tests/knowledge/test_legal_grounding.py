"""In force on the day, regulations, repealed and renumbered citations, relevance, the rights text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.rights import rights_for
from knowledge.citations import check_citations, find_citations
from knowledge.clock import fixed
from knowledge.regulations import import_regulation, parse_articles, regulations
from knowledge.relevance import judge


def one(text: str):
    checks = check_citations(text)
    assert len(checks) == 1
    return checks[0]


def test_version_not_yet_effective_is_not_in_force_today() -> None:
    # laws.db marks the 商标法 version effective 2027-01-01 as 现行有效 and the version in force today
    # (2019 amendment) as 历史版本: today an article is checked against the 2019 text, and an article
    # that only the 2027 version has is not in force yet.
    old_10 = "《商标法》第十条：“下列标志不得作为商标使用：”"
    new_10 = (
        "《商标法》第十条：“申请商标注册或者办理其他商标事宜，可以自行办理，也可以委托依法设立的商标代理机构办理。”"
    )
    with fixed(date(2026, 12, 4)):
        assert one("《商标法》第十条").in_force
        assert one(old_10).quote_matches and not one(new_10).quote_matches
        only_new = one("《商标法》第八十条")  # the 2019 text has 73 articles
        assert only_new.exists and not only_new.in_force
    with fixed(date(2027, 1, 2)):
        assert one("《商标法》第八十条").in_force
        assert one(new_10).quote_matches and not one(old_10).quote_matches


def test_the_version_in_force_on_the_day_is_the_one_looked_up() -> None:
    from knowledge.statutes import StatuteStore

    store = StatuteStore.open_default()
    today_text = store.on_day("农业法", 1, "2026-12-04")
    later_text = store.on_day("农业法", 1, "2027-01-01")
    assert today_text is not None and today_text.status == "历史版本"
    assert later_text is not None and later_text.status == "现行有效"
    assert store.on_day("农业法", 110, "2026-12-04") is None  # the 2003 text has 99 articles
    assert store.on_day("消费者权益保护法", 25, "2014-03-01", current_from="2014-03-15") is None


def test_regulation_is_known_and_dated() -> None:
    with fixed(date(2026, 12, 4)):
        check = one("《消费者权益保护法实施条例》第十九条")
        assert check.exists and check.in_force
        assert not one("《消费者权益保护法实施条例》第九十九条").exists
    with fixed(date(2024, 6, 30)):  # effective 2024-07-01
        assert not one("《消费者权益保护法实施条例》第十九条").in_force


def test_renumbered_article_is_off_topic() -> None:
    verdict = judge("中华人民共和国反不正当竞争法", 8, None, None, "虚假宣传", "")
    assert not verdict.relevant and verdict.successor == 9
    assert judge("中华人民共和国反不正当竞争法", 9, None, None, "虚假宣传", "").relevant


def test_a_statute_of_another_field_is_off_topic() -> None:
    # 商标法 does not speak to a customer returning trousers; it does to one who bought a fake brand
    verdict = judge("中华人民共和国商标法", 57, None, None, "依据《商标法》第五十七条：", "裤子不喜欢，想退货")
    assert not verdict.relevant and verdict.own_topic == "商标"
    assert judge("中华人民共和国商标法", 57, None, None, "依据《商标法》第五十七条：", "买到假冒的名牌鞋").relevant
    assert judge("中华人民共和国保险法", 17, None, None, "", "碎屏险理赔被拒").relevant
    assert judge("中华人民共和国消费者权益保护法", 25, None, None, "", "随便问问").relevant  # general law: not listed


def test_the_relevance_rail_removes_a_statute_of_another_field() -> None:
    from guardrails.rails import OutputContext, run_output_rails

    draft = "您好，七天内可以无理由退货。依据《商标法》第五十七条，您可以维权。请提供订单号。"
    result = run_output_rails(
        draft, OutputContext(step="accept", investigation_complete=False, customer_text="网上买的裤子不喜欢，想退货")
    )
    assert "商标法" not in result.text and "七天内可以无理由退货" in result.text
    kept = run_output_rails(
        draft, OutputContext(step="accept", investigation_complete=False, customer_text="买到假冒商标的裤子")
    )
    assert "《商标法》第五十七条" in kept.text


def test_boilerplate_ground_needs_the_customer_to_ask() -> None:
    assert not judge(None, None, "投诉处理规范", "2.3", "", "买的鞋子不想要了").relevant
    assert judge(None, None, "投诉处理规范", "2.3", "", "调查核实要多久").relevant
    assert not judge("中华人民共和国电子商务法", 60, None, None, "", "七天无理由退货").relevant


def test_rights_text_quotes_whole_sentences_and_keeps_rule() -> None:
    answer = rights_for("我交了2000定金订沙发，现在不想要了，定金能退吗？", {})
    assert answer.rule_id == "deposit.buyer_defaults"
    assert "双倍返还定金。”" in answer.text and "无权请求返还定金" in answer.text
    checks = check_citations(answer.text)
    assert checks and all(c.exists and c.in_force and c.quote_matches is not False for c in checks)


def test_opposite_deposit_questions_get_opposite_rules() -> None:
    seller = rights_for("交了1000定金订的婚纱，店家突然说档期满了不做了", {})
    assert seller.rule_id == "deposit.seller_defaults" and "2,000元" in seller.text


def test_repealed_article_named_by_customer_is_corrected_not_rewritten() -> None:
    answer = rights_for("根据合同法第40条，你们这个条款无效", {})
    assert "2021年1月1日废止" in answer.text and "第四百九十七条" in answer.text
    assert all(c.law != "中华人民共和国合同法" for c in check_citations(answer.text))


def test_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSBOT_RIGHTS", "off")
    assert rights_for("我交了2000定金，现在不想要了", {}).text == ""


def test_regulation_import(tmp_path: Path) -> None:
    source = tmp_path / "t.txt"
    official = "中华人民共和国消费者权益保护法实施条例\n第一章 总则\n第十九条 甲。\n乙。\n第二十条 丙。\n"
    source.write_text(official, "utf-8")
    assert parse_articles(source.read_text("utf-8")) == {19: "甲。\n乙。", 20: "丙。"}
    name, count = import_regulation(source, tmp_path / "home")
    assert count == 2 and (tmp_path / "home" / "regulations" / f"{name}.json").exists()
    table = regulations(imported=tmp_path / "home" / "regulations")
    assert table[name].text[19] == "甲。\n乙。"
    regulations.cache_clear()
    assert find_citations("《消费者权益保护法实施条例》第十九条")


def test_regulation_import_from_an_official_docx(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for line in ("网络购买商品七日无理由退货暂行办法", "第一章 总则", "第六条 甲。", "第七条 乙。"):
        document.add_paragraph(line)
    document.save(str(tmp_path / "official.docx"))
    name, count = import_regulation(tmp_path / "official.docx", tmp_path / "home")
    assert (name, count) == ("网络购买商品七日无理由退货暂行办法", 2)
    assert regulations(imported=tmp_path / "home" / "regulations")[name].text[7] == "乙。"
    regulations.cache_clear()


def test_regulation_import_rejects_an_unreadable_file_with_a_clear_error(tmp_path: Path) -> None:
    from knowledge.datafile import DataError

    (tmp_path / "scan.pdf").write_bytes(b"not a pdf")
    with pytest.raises(DataError, match=r"scan\.pdf: cannot be read as \.pdf"):
        import_regulation(tmp_path / "scan.pdf", tmp_path / "home")


def test_copilot_checklist_shows_rule_and_ground() -> None:
    from types import SimpleNamespace

    from bot.web.views import checklist

    view = SimpleNamespace(
        procedure_name="合同纠纷",
        case_id="CS1",
        step="accept",
        steps_done=[],
        slot_labels={},
        missing_slots=(),
        escalated=False,
        slots={"rights_rule": "deposit.buyer_defaults", "rights_grounds": "《中华人民共和国民法典》第五百八十七条"},
    )
    shown = checklist(view)
    assert "deposit.buyer_defaults" in shown and "第五百八十七条" in shown


def test_amended_law_is_in_force_from_its_amendment() -> None:
    # 七日无理由退货 came with the 2013 amendment, in force 2014-03-15 (laws.db says 1994-01-01)
    with fixed(date(2014, 3, 1)):
        assert not one("《消费者权益保护法》第二十五条").in_force
    with fixed(date(2014, 3, 15)):
        assert one("《消费者权益保护法》第二十五条").in_force


def test_deposit_defaulter_slot_completes_later_turns() -> None:
    answer = rights_for("订单号 DD2026110300999，定金1000元，有付款截图", {"deposit_defaulter": "买方"})
    assert answer.rule_id == "deposit.buyer_defaults"


def test_buyer_who_withdrew_is_never_offered_double_deposit() -> None:
    from bot.engine import Engine
    from guardrails.types import MaskedText

    engine = Engine.load()
    state = engine.open_case("s")
    for text in ("我交了定金订沙发，现在我不想要了，定金能退吗", "订单号 DD2026110300999，定金1000元，有付款截图"):
        outcome = engine.advance(state, MaskedText(text))
    assert state.step == "resolve" and "双倍返还定金" not in outcome.remedies


def test_regulation_known_by_name_only() -> None:
    with fixed(date(2026, 12, 4)):
        check = one("《明码标价和禁止价格欺诈规定》第十九条")
        assert check.exists and check.in_force
    with fixed(date(2022, 6, 30)):
        assert not one("《明码标价和禁止价格欺诈规定》第十九条").in_force


def test_unsafe_food_is_offered_the_ten_fold_compensation() -> None:
    from bot.engine import Engine
    from guardrails.types import MaskedText

    engine = Engine.load()
    state = engine.open_case("s")
    for text in ("在你们店买的牛奶过期了，20元，我要求赔偿", "订单号 DD2026110300111，有照片", "前天收到的"):
        outcome = engine.advance(state, MaskedText(text))
    assert state.step == "resolve" and any("十倍" in remedy for remedy in outcome.remedies)


# Customer's words → rule → central article cited and quoted (classes added after the first tables).
# Each sentence is written for this test; the ground is the one its statute text gives.
NEW_CLASSES = [
    ("结账的时候比价签上贵了十块，店员说以电脑为准", "pricing.above_label", "《中华人民共和国价格法》第十三条第二款"),
    ("他们先涨价再打折，这个原价根本没卖过", "pricing.fake_original", "《中华人民共和国价格法》第十四条第四项"),
    ("商场保安要搜我的身，说怀疑我偷东西", "safety.searched", "《中华人民共和国消费者权益保护法》第二十七条"),
    ("在超市门口滑倒了，地上全是水", "safety.premises", "《中华人民共和国消费者权益保护法》第十八条第二款"),
    ("我要开发票，店员说不开", "invoice.general", "《中华人民共和国消费者权益保护法》第二十二条"),
    ("网店连个联系方式都没有，我去哪找他", "platform.no_contact_info", "《中华人民共和国消费者权益保护法》第二十八条"),
    ("我寄给家人的东西保价了，快递给弄丢了", "carriage.insured", "《中华人民共和国民法典》第八百三十三条"),
    ("旅行社导游带我们进了三个购物店", "travel.shopping", "《中华人民共和国旅游法》第三十五条第三款"),
    ("拍卖行事先没说这幅画有破损", "auction.undisclosed_flaw", "《中华人民共和国拍卖法》第六十一条第一款"),
    ("美甲店把我的手指弄感染了", "service.injury", "《中华人民共和国消费者权益保护法》第四十九条"),
    ("合同里的违约金太高了，要我赔一半的钱", "breach.penalty_too_high", "《中华人民共和国民法典》第五百八十五条第二款"),
    ("家具晚了一个月才送到，我另外花钱租了一套", "breach.loss", "《中华人民共和国民法典》第五百八十四条"),
    ("我付了钱，店家单方面取消了订单", "ecommerce.order_cancelled", "《中华人民共和国电子商务法》第四十九条第一款"),
    ("我想撤回之前给你们的定位授权", "personal_information.withdraw", "《中华人民共和国个人信息保护法》第十五条"),
    ("网上买的裤子七天无理由退了，运费谁出", "returns.shipping", "《中华人民共和国消费者权益保护法》第二十五条第三款"),
    # third batch classes (sentences written for this test, not taken from the question set)
    (
        "我女儿9岁，偷偷用我的账号充了一千多买皮肤",
        "minors.limited_capacity",
        "《中华人民共和国民法典》第一百四十五条第一款",
    ),
    ("五岁的孩子在平板上下单买了三百块的玩具", "minors.under_eight", "《中华人民共和国民法典》第二十条"),
    (
        "电暖器用着用着起火了，把窗帘烧坏了",
        "product_liability.property",
        "《中华人民共和国产品质量法》第四十一条第一款",
    ),
    ("火车晚点四个小时，车站也不给退票", "passenger.delay", "《中华人民共和国民法典》第八百二十条"),
    ("酒店前台说寄存的行李箱不见了，免费寄存不负责", "storage.general", "《中华人民共和国民法典》第八百八十八条第二款"),
    (
        "先试用一周再决定买不买的按摩椅，我不想要了他们不让退",
        "sales.trial",
        "《中华人民共和国民法典》第六百三十八条第一款",
    ),
    ("分6期买的手机，晚了两天还，商家要我一次付清", "sales.instalment", "《中华人民共和国民法典》第六百三十四条第一款"),
    (
        "保险公司拿免责条款拒赔，投保时没人跟我讲",
        "insurance.exclusion_not_explained",
        "《中华人民共和国保险法》第十七条第二款",
    ),
    ("旅行社出发前一天说人数不够不成团", "travel.not_enough_people", "《中华人民共和国旅游法》第六十三条第一款"),
    (
        "京东自营买的东西坏了，客服让我找品牌方",
        "ecommerce.self_operated",
        "《中华人民共和国电子商务法》第三十七条第二款",
    ),
    ("商场店员嫌我穿得土，说买不起就别看，当众羞辱我", "safety.dignity", "《中华人民共和国消费者权益保护法》第十四条"),
    ("这家药店不收现金，只能扫码", "fair_trade.cash_refused", "《中华人民共和国中国人民银行法》第十六条"),
    (
        "游泳馆的须知写着意外受伤概不负责，我在池边被松动的扶手划伤了",
        "standard_terms.injury_exemption",
        "《中华人民共和国民法典》第五百零六条",
    ),
    ("店里答应的降价补差价，现在又说不认了", "breach.promise", "《中华人民共和国消费者权益保护法》第十六条第二款"),
    ("进口饼干包装上没有中文标签", "food.no_chinese_label", "《中华人民共和国食品安全法》第九十七条"),
]


@pytest.mark.parametrize(("words", "rule_id", "central"), NEW_CLASSES)
def test_new_classes_cite_their_central_article(words: str, rule_id: str, central: str) -> None:
    with fixed(date(2026, 12, 4)):
        answer = rights_for(words, {})
    assert answer.rule_id == rule_id
    assert f"依据{central}：“" in answer.text  # cited, then quoted
    checks = check_citations(answer.text)
    assert checks and all(c.exists and c.in_force and c.quote_matches is not False for c in checks)


def test_an_item_is_quoted_whole_and_matches_the_source() -> None:
    answer = rights_for("你们先把价格调高再打五折", {})
    quote = answer.text.split("第十四条第四项：“", 1)[1].split("”", 1)[0]
    assert quote.startswith("（四）利用虚假的或者使人误解的价格手段") and quote.endswith("进行交易。")
    assert one(f"《价格法》第十四条：“{quote}”").quote_matches


def test_a_shop_that_does_not_act_is_not_a_platform_that_knew() -> None:
    # 消法44-2 is the platform's joint liability; "你们一直不处理" is said to the shop itself
    assert rights_for("平台一直不处理我的举报", {}).rule_id == "platform.knew"
    assert rights_for("你们一直不处理，我要投诉", {}).rule_id == "ecommerce.dispute_channels"


def test_a_service_without_harm_is_not_a_service_claim() -> None:
    # 装修 alone does not make a harm: the service table needs an injury, a damage or a dispute over proof
    assert rights_for("装修公司什么时候能上门量尺寸", {}).rule_id is None


def test_a_label_on_goods_that_are_not_food_is_not_food_law() -> None:
    # 食品安全法97/67 speak of 预包装食品: a face cream without a Chinese label is not a food case
    assert rights_for("进口饼干上一个中文都没有", {}).rule_id == "food.no_chinese_label"
    assert not (rights_for("买的面霜没有厂名厂址，是三无产品", {}).rule_id or "").startswith("food.")


@pytest.mark.parametrize(
    "words",
    [
        "给女儿买的奶粉罐子是瘪的，想换一罐",  # a parent buying for a child is not a child spending alone
        "我们两个订单合并发货，少了一件",  # 合并 of parcels is not a company merger
        "说好的三天发货，现在还没发",  # an ordinary delivery promise is a breach case, not 消法16 承诺
        "退货的运费险说不赔",  # 运费险 is a returns matter, not 保险法
        "早就知道你们会这样推脱",  # 早就知道 alone is not 明知缺陷
        "快递员把包裹寄存在驿站，结果丢了",  # a parcel lost on the way is 电商法20, not storage
    ],
)
def test_everyday_words_do_not_open_the_third_batch_tables(words: str) -> None:
    rule = rights_for(words, {}).rule_id or ""
    assert rule.split(".")[0] not in {"minors", "platform", "fraud", "insurance", "product_liability", "storage"}, rule
    assert rule not in {"breach.promise", "fair_trade.cash_refused"}, rule


def test_harm_in_a_service_is_the_service_providers_not_a_product_claim() -> None:
    # 消法40-3 / 49: the beauty salon answers for its own device that burned the customer
    assert rights_for("美容院的仪器漏电，把我脸烫伤了", {}).rule_id == "service.injury"


@pytest.mark.parametrize(
    ("words", "rule_id"),
    [
        ("厂家发了召回通知的取暖器，还没换就起火了，把床单烧了", "safety.recall"),
        ("前年买的电饭煲炸了把柜子烧坏了，现在还能索赔吗", "quality.asks_limitation"),
    ],
)
def test_a_more_specific_ground_wins_over_product_liability(words: str, rule_id: str) -> None:
    assert rights_for(words, {}).rule_id == rule_id
