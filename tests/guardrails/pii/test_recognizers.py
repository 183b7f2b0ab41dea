"""One table per recogniser: matching (formats), validated (checksums), rejected (look-alikes)."""

from __future__ import annotations

import pytest

from guardrails.pii import detect

VALID_ID = "11010519491231002X"
VALID_CARD = "6222021234567890128"  # Luhn-valid, UnionPay prefix


def found(text: str, entity_type: str) -> list[str]:
    return [entity.value for entity in detect(text) if entity.type == entity_type]


# (recogniser type, text, expected values)
MATCHING = [
    ("phone", "我的手机13812345678", ["13812345678"]),
    ("phone", "电话：138 1234 5678", ["138 1234 5678"]),
    ("phone", "打 138-1234-5678 找我", ["138-1234-5678"]),
    ("phone", "+86 13812345678 是我", ["+86 13812345678"]),
    ("phone", "0086-13812345678", ["0086-13812345678"]),
    ("phone", "手机号１３８１２３４５６７８", ["１３８１２３４５６７８"]),
    ("id_card", f"身份证号{VALID_ID}", [VALID_ID]),
    ("id_card", f"身份证号{VALID_ID.lower()}", [VALID_ID.lower()]),
    ("id_card", "身份证号110105491231002", ["110105491231002"]),  # old 15-digit form, with context
    ("bank_card", f"卡号{VALID_CARD}", [VALID_CARD]),
    ("bank_card", "卡号6222 0212 3456 7890 128", ["6222 0212 3456 7890 128"]),
    ("email", "邮箱zhang.san@qq.com谢谢", ["zhang.san@qq.com"]),
    ("email", "mail: a_b+c@mail.example.com.cn。", ["a_b+c@mail.example.com.cn"]),
    ("landline", "电话010-62345678", ["010-62345678"]),
    ("landline", "座机（0755）8888 6666", ["（0755）8888 6666"]),
    ("landline", "办公电话0571-88886666转801", ["0571-88886666转801"]),
    ("passport", "护照E12345678", ["E12345678"]),
    ("passport", "港澳通行证C12345678", ["C12345678"]),
    ("passport", "台湾通行证L12345678", ["L12345678"]),
    ("license_plate", "车牌京A12345", ["京A12345"]),
    ("license_plate", "我的车是粤BD12345", ["粤BD12345"]),  # new-energy, small car
    ("license_plate", "沪A12345D停在B2", ["沪A12345D"]),  # new-energy, large vehicle
    ("im_account", "加我微信zhangsan_88", ["zhangsan_88"]),
    ("im_account", "QQ：123456789", ["123456789"]),
    ("ip", "登录IP是192.168.1.10", ["192.168.1.10"]),
    ("ip", "IPv6 地址 2001:db8::1 异常", ["2001:db8::1"]),
    ("name", "我叫张三，想退货", ["张三"]),
    ("name", "收件人：欧阳娜娜", ["欧阳娜娜"]),
    ("name", "请王秀英女士回电", ["王秀英"]),
    ("name", "客户张先生来电", ["张"]),
    ("name", "上次是蔡雪帮我处理的", ["蔡雪"]),  # no cue: jieba's new word, trimmed at 帮
    ("name", "上次是欧阳康萍帮我处理的", ["欧阳康萍"]),  # compound surname jieba split off
    ("name", "彭小军认为，国内银行走的是台湾模式", ["彭小军"]),
    ("name", "帮我查一下我邻居王大妈的订单", ["王"]),  # the span never swallows 邻居
    ("name", "让刘师傅明天来", ["刘"]),  # jieba keeps 刘师傅 as one rare word: still a surname + title
    ("name", "我要找马云投诉", ["马云"]),  # after a cue, a listed character then an unlisted one: a verb
    ("name", "总监张大伟介绍了新规", ["张大伟"]),  # role before the name
    ("name", "记者肖丹通讯员王媛报道", ["肖丹", "王媛"]),  # a role word ends the name before it
    ("name", "李力预计下周到货", ["李力"]),  # speech verb after the name
    ("name", "项目经理王强会联系你", ["王强"]),
    ("name", "演员威尔·史密斯来了", ["威尔·史密斯"]),  # transliteration joined by a middle dot
    ("name", "斯科拉里执教切尔西", ["斯科拉里"]),  # jieba tags it nrt, a whole transliterated run
    ("name", "历史学家塞尔比在谈到此事", ["塞尔比"]),  # pieces jieba split (塞尔|比) joined again
    ("name", "副县长于海波出席", ["于海波"]),  # after a role an everyday-word surname (于) counts
    ("name", "曹鹏飞用人工方式查看", ["曹鹏飞"]),  # a surname jieba tagged alone, then a rare given name
    ("name", "收件人李家，电话见备注", ["李家"]),  # a common word, but tagged as a person and all given-name characters
    ("name", "姓名：李四", ["李四"]),  # common, but jieba tags it nr
    ("name", "收件人：姚丹东，收件人邓峰峰", ["姚丹东", "邓峰峰"]),  # given names jieba reads as words (丹东, 峰峰)
    ("name", "演员卡里·史密斯来了", ["卡里·史密斯"]),  # 卡里 joined by a middle dot is a transliteration
    ("name", "于经理您好，请曾经理回电", ["于", "曾"]),  # a preposition surname at the start; 曾 is an adverb
    (
        "address",
        "收货地址：浙江省杭州市西湖区文三路478号华星时代广场A座1201室",
        ["浙江省杭州市西湖区文三路478号华星时代广场A座1201室"],
    ),
    ("address", "我住在北京市朝阳区建国路88号", ["北京市朝阳区建国路88号"]),
    ("address", "寄到阳光小区3栋2单元501室", ["阳光小区3栋2单元501室"]),
]


@pytest.mark.parametrize(("entity_type", "text", "values"), MATCHING)
def test_when_value_is_written_in_a_common_form_then_it_is_found(
    entity_type: str, text: str, values: list[str]
) -> None:
    assert found(text, entity_type) == values


VALIDATED = [
    ("id_card", f"随口说{VALID_ID}", 1.0),  # checksum + date verified: full score even without context
    ("bank_card", f"随口说{VALID_CARD}", 1.0),
]


@pytest.mark.parametrize(("entity_type", "text", "score"), VALIDATED)
def test_when_checksum_is_right_then_score_is_full(entity_type: str, text: str, score: float) -> None:
    (entity,) = [e for e in detect(text) if e.type == entity_type]
    assert entity.score == score


REJECTED = [
    # Without a cue word: a number that fails the check is an order number or a serial.
    ("id_card", "就是110105194912310021这个"),  # wrong check character
    ("id_card", "就是110105194913310023这个"),  # month 13
    ("id_card", "就是990105194912310028这个"),  # no such province
    ("id_card", "就是110105219912310027这个"),  # born in the future
    ("bank_card", "就是6222021234567890127这个"),  # Luhn fails
    ("bank_card", "就是1234567812345670这个"),  # Luhn passes but no card issuer starts with 1
    ("id_card", "身份证号1111111111111111111"),  # 19 digits: not an id's shape even after the cue
    ("phone", "订单号13812345678"),
    ("phone", "SN138123456789"),
    ("phone", "编号A13812345678"),
    ("phone", "价格12812345678元"),
    ("landline", "售后热线400-123-4567"),
    ("passport", "型号C12345678"),  # permit shape without a permit word
    ("im_account", "账号zhangsan_88"),  # no 微信/QQ word
    ("im_account", "微信支付的订单号12345678"),  # nearest context word is 订单号
    ("ip", "版本1.2.3.4"),
    ("ip", "地址999.1.1.1"),
    ("email", "价格@100元"),
    ("license_plate", "沪A股大涨"),
]


# Right after a cue word a number of the right shape is kept even when its check fails: a mistyped
# id card or card number is still someone's personal data (issue 14).
KEPT_AFTER_CUE = [
    ("id_card", "身份证号110105194912310021", "110105194912310021"),  # wrong check character
    ("id_card", "身份证号110105194913310023", "110105194913310023"),  # month 13
    ("id_card", "身份证：990105194912310028", "990105194912310028"),  # no such province
    ("bank_card", "卡号6222021234567890127", "6222021234567890127"),  # Luhn fails
    ("bank_card", "银行卡 6222 0212 3456 7890 124", "6222 0212 3456 7890 124"),
]


@pytest.mark.parametrize(("entity_type", "text", "value"), KEPT_AFTER_CUE)
def test_when_check_fails_right_after_a_cue_then_still_found(entity_type: str, text: str, value: str) -> None:
    assert found(text, entity_type) == [value]


@pytest.mark.parametrize(("entity_type", "text"), REJECTED)
def test_when_checksum_or_shape_is_wrong_then_no_match(entity_type: str, text: str) -> None:
    assert found(text, entity_type) == []


LOOK_ALIKES = [
    "订单号202403150001234567怎么还没发货",  # 18 digits, fails the ID checksum
    "订单号11010519491231002X已取消",  # passes the checksum, but the context says order number
    "快递单号SF1234567890123，圆通YT9876543210987",
    "根据民法典第1165条和《消费者权益保护法》第二十四条",
    "价格12999元，优惠后¥11,999.00",
    "2024年3月15日下的单，2024-03-20到货",
    "型号SM-G9980和iPhone 15 Pro Max A3108",
    "杭州云杉科技有限公司开的发票",
    "我在北京出差，下周回杭州",
    "住在北京市朝阳区",
    "李白的诗我很喜欢",
    "诸葛亮草船借箭的故事",
    "工单编号2024123456789，售后电话400-123-4567",
    "第3期分期还款1234.56元",
    "谢谢，银行卡已经绑定好了",
    "马上给我退款，高铁票能报销吗",
    "东方明珠那家店周末营业吗",
    # Body parts and everyday nouns jieba's dictionary tags as names, or that start with a surname:
    # no given-name characters, or a word the dictionary knows as common.
    "蓝牙耳机收到第三天就坏了，左耳没声音",
    "最终解释权归商家所有",
    "包装破损了，外包装也压坏了",
    "右眼皮跳，左手疼",
    "修正一下收货时间，配件齐全",
    "古董花瓶碎了",
    "官方称明天发货",  # 官 is a surname, 官方 a common word
    "经理说明天处理，快递员说放在门口了",
    "商家表示不退",
    # Transliterated brands jieba tags as person names, and pieces of longer transliterations.
    "我在沃尔玛买的阿迪达斯鞋子",
    "特斯拉充电桩坏了",
    "这款是索尼的，也有飞利浦的",
    "盖蒂博物馆的门票",
    "蒂芙尼的项链和哈根达斯的券",
    "有经验的班主任和公司经理都说可以",  # 班主任 and 公司 are words: no 班 or 司 before a title
    "维拉公园旁边的巴克莱资本",  # a place or organisation word follows the guessed name
    "经理高兴地说客服马上处理，员工态度差",  # after a role: 高兴, 马上 are common words
    # A single-character surname (or an everyday word) and a locative is a noun and a place word.
    "你们家的礼品卡说过期了不让用，卡里的钱怎么办",
    "卡内余额还有两百，卡上写着有效期",
    "包里的东西丢了，车上的人说没看见",
    "钱在卡里，店里说卡中余额作废",
    # After a cue word something that looks like a name must follow: no legal term, no everyday word.
    "某公司侵犯了我的姓名权，姓名权人可以要求停止侵害",
    "请写明公司姓名权人",
    "当事人姓名公司都要填",
    "姓名权利人可以主张",
    "开户名单位那一栏怎么填",  # 户名 is read across 开户|名单: no cue
    "找马上就能办好",  # after a weak cue, 马上 is an everyday word
    "家具坏了，可以找房东修吗",  # 房东 is a common word inside the guess 房东修
    "机关未通知申请人和利害关系人",  # 和利 would cut the word 利害
    "退还学校组织老师和同学筹集的捐款",  # 和 is a conjunction, not a surname before 同学
    "有问题请向经理反映",  # 向 is a preposition
    "隔壁楼栋树立高大广告",  # 楼 is an everyday word before it is a surname: only with a cue
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_when_text_only_looks_like_personal_data_then_nothing_is_detected(text: str) -> None:
    assert [entity.public() for entity in detect(text)] == []


def test_when_ids_overlap_a_card_reading_then_the_validated_longer_match_wins() -> None:
    (entity,) = detect(f"身份证{VALID_ID}")
    assert (entity.type, entity.start, entity.end) == ("id_card", 3, 21)


def test_when_types_are_restricted_then_only_those_are_reported() -> None:
    text = f"我叫张三，手机13812345678，身份证{VALID_ID}"
    assert {entity.type for entity in detect(text, types={"phone"})} == {"phone"}


def test_when_type_is_unknown_then_error_names_it() -> None:
    with pytest.raises(ValueError, match="no_such_type"):
        detect("13812345678", types={"no_such_type"})


def test_when_text_is_empty_then_nothing_is_found() -> None:
    assert detect("") == []


def test_when_full_width_digits_are_used_then_span_points_into_original() -> None:
    text = "电话：１３８－１２３４－５６７８。"
    (entity,) = detect(text)
    assert text[entity.start : entity.end] == "１３８－１２３４－５６７８"


@pytest.mark.timeout(120)  # a hang guard against catastrophic backtracking, not a speed assertion
@pytest.mark.parametrize(
    "filler", ["北京市", "小区", "路1", "京A", "张", "1", "a@", "1.1.", "0-"], ids=lambda f: f"repeat-{f}"
)
def test_when_text_is_a_long_adversarial_run_then_detection_finishes_and_finds_the_real_value(filler: str) -> None:
    text = filler * (40_000 // len(filler)) + "，电话13812345678"
    phones = [e for e in detect(text) if e.type == "phone"]
    assert [text[e.start : e.end] for e in phones] == ["13812345678"]
