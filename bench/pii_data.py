"""Seeded generator of chat messages with gold personal-data spans, for ``bench/pii.py``.

Every value is synthetic: IDs and card numbers get valid check characters so recall can be measured
against the validators, and the hard negatives (order and tracking numbers, statute articles,
prices, dates, models, company names, bare places, historical names) test precision. The same seed
always yields the same messages, so no data file needs to be committed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from guardrails.pii.recognizers.bank_card import luhn_valid
from guardrails.pii.recognizers.id_card import check_character

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范廖"
)
COMPOUND = ["欧阳", "司马", "诸葛", "上官", "慕容"]
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红玲芬燕春梅琳云莲雪荣佳嘉琦晶妍婷颖瑶怡丹蓉"
    "浩宇轩博文辉鹏飞斌俊峰建国志海东波宏龙鑫晨阳毅帅昊翔家成康星达安"
)
REGIONS = [
    ("浙江省", "杭州市", ["西湖区", "余杭区", "滨江区", "拱墅区"], "330106"),
    ("广东省", "深圳市", ["南山区", "福田区", "宝安区", "龙岗区"], "440305"),
    ("江苏省", "南京市", ["鼓楼区", "玄武区", "江宁区"], "320102"),
    ("四川省", "成都市", ["武侯区", "锦江区", "高新区"], "510107"),
    ("湖北省", "武汉市", ["洪山区", "江汉区", "武昌区"], "420111"),
    ("", "北京市", ["朝阳区", "海淀区", "东城区", "丰台区"], "110105"),
    ("", "上海市", ["浦东新区", "徐汇区", "静安区"], "310115"),
]
ROADS = [
    "文三路",
    "科技园南路",
    "中关村大街",
    "建国路",
    "人民路",
    "解放大道",
    "长江路",
    "学院路",
    "淮海中路",
    "天府大道",
]
COMPOUNDS = ["华星时代广场", "阳光小区", "翠苑新村", "金色家园", "万科城市花园", "绿地中心", "海岸公寓"]
PLATE_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁苏浙赣鄂桂甘晋陕吉闽贵粤川"
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


@dataclass
class Sample:
    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    negative: bool = False


class Builder:
    """Concatenate literal text and typed values, recording gold spans as it goes."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[tuple[int, int, str]] = []
        self.length = 0

    def text(self, value: str) -> Builder:
        self.parts.append(value)
        self.length += len(value)
        return self

    def pii(self, entity_type: str, value: str) -> Builder:
        self.spans.append((self.length, self.length + len(value), entity_type))
        return self.text(value)

    def build(self, negative: bool = False) -> Sample:
        return Sample("".join(self.parts), self.spans, negative)


def id_card(rng: random.Random, region: str = "110105", lower: bool = False) -> str:
    while True:
        born = f"{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        first17 = f"{region}{born}{rng.randint(0, 999):03d}"
        value = first17 + check_character(first17)
        if not lower or value.endswith("X"):
            return value.lower() if lower else value


def bank_card(rng: random.Random) -> str:
    prefix = rng.choice(["622202", "622848", "621700", "622588", "436742", "625965"])
    length = rng.choice([16, 19, 19])
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    return next(body + d for d in "0123456789" if luhn_valid(body + d))


def grouped(number: str, sep: str = " ") -> str:
    return sep.join(number[i : i + 4] for i in range(0, len(number), 4))


def phone(rng: random.Random) -> str:
    digits = f"1{rng.choice('3456789')}{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}"
    style = rng.randrange(6)
    if style == 1:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if style == 2:
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if style == 3:
        return "+86 " + digits
    if style == 4:
        return digits.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return digits


def person(rng: random.Random) -> str:
    surname = rng.choice(COMPOUND) if rng.random() < 0.08 else rng.choice(SURNAMES)
    return surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))


def address(rng: random.Random) -> str:
    province, city, districts, _ = rng.choice(REGIONS)
    head = rng.choice([province + city, city, ""]) + rng.choice(districts)
    number = f"{rng.randint(1, 999)}号"
    building = rng.choice(["", f"{rng.randint(1, 30)}栋", f"{rng.choice('ABCD')}座", f"{rng.randint(1, 12)}号楼"])
    unit = f"{rng.randint(1, 6)}单元" if building and rng.random() < 0.4 else ""
    room = f"{rng.randint(1, 30)}{rng.randint(1, 9):02d}室" if rng.random() < 0.7 else ""
    if rng.random() < 0.2:
        compound = rng.choice(COMPOUNDS)
        return head + compound + (building or "3栋") + unit + (room or "501室")
    return (
        head
        + rng.choice(ROADS)
        + number
        + (rng.choice(COMPOUNDS) if rng.random() < 0.4 else "")
        + building
        + unit
        + room
    )


def plate(rng: random.Random) -> str:
    head = rng.choice(PLATE_PROVINCES) + rng.choice(PLATE_LETTERS)
    if rng.random() < 0.3:
        return head + rng.choice("DF") + f"{rng.randint(0, 99999):05d}"
    return head + f"{rng.randint(0, 99999):05d}"


def _positive(rng: random.Random) -> Sample:
    """One customer message carrying one to three kinds of personal data."""
    b = Builder()
    kind = rng.randrange(16)
    if kind >= 12:
        return _harder(rng, kind, b)
    if kind == 0:
        b.text(rng.choice(["我的手机号是", "电话：", "打", "联系方式 ", "手机 "])).pii("phone", phone(rng))
        b.text(rng.choice(["，麻烦尽快回电", "。", " 找我就行", "，谢谢"]))
    elif kind == 1:
        value = id_card(rng, rng.choice(REGIONS)[3], lower=rng.random() < 0.15)
        b.text(rng.choice(["身份证号", "我的身份证是", "证件号码：", "实名认证用的"])).pii("id_card", value)
        b.text(rng.choice(["，请核实", "。", "，帮我查一下"]))
    elif kind == 2:
        card = bank_card(rng)
        b.text(rng.choice(["退款请打到我的银行卡", "卡号：", "储蓄卡 ", "我的信用卡号是"]))
        b.pii("bank_card", grouped(card) if rng.random() < 0.4 else card).text("，谢谢")
    elif kind == 3:
        user = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(4, 9)))
        mail = f"{user}{rng.randint(1, 999)}@{rng.choice(['qq.com', '163.com', 'gmail.com', 'yunshan.com.cn'])}"
        b.text(rng.choice(["发票请发到邮箱", "邮箱：", "我的邮件地址是 "])).pii("email", mail).text("。")
    elif kind == 4:
        b.text(rng.choice(["收货地址：", "寄到", "我住在", "麻烦改一下地址，新地址是"])).pii("address", address(rng))
        b.text(rng.choice(["，谢谢", "。", "，收件人", ""]))
    elif kind == 5:
        b.text(rng.choice(["我叫", "收件人：", "联系人", "我是"])).pii("name", person(rng))
        b.text(rng.choice(["，想问一下退货的事", "，电话", "。", "，订单一直没到"]))
        if b.parts[-1] == "，电话":
            b.pii("phone", phone(rng))
    elif kind == 6:
        name = person(rng)
        b.text(rng.choice(["请让", "麻烦转告", "之前联系的是"])).pii("name", name)
        b.text(rng.choice(["女士", "先生"]) + "回个电话")
    elif kind == 7:
        b.text("收件人").pii("name", person(rng)).text("，电话").pii("phone", phone(rng))
        b.text("，地址").pii("address", address(rng))
    elif kind == 8:
        b.text(rng.choice(["我的车牌是", "车牌号", "送到停车场，车是"])).pii("license_plate", plate(rng)).text("，谢谢")
    elif kind == 9:
        if rng.random() < 0.5:
            b.text(rng.choice(["加我微信", "微信号：", "vx "])).pii("im_account", f"wx{rng.randint(10000, 99999)}_abc")
        else:
            b.text(rng.choice(["QQ：", "我的QQ是", "qq号"])).pii("im_account", str(rng.randint(10_000, 2_999_999_999)))
        b.text("，方便联系")
    elif kind == 10:
        b.text(rng.choice(["护照号", "我的护照是"])).pii("passport", f"E{rng.randint(10_000_000, 99_999_999)}")
        b.text("，港澳通行证").pii("passport", f"C{rng.randint(10_000_000, 99_999_999)}").text("。")
    else:
        ip = ".".join(str(rng.randint(1, 254)) for _ in range(4))
        b.text(rng.choice(["登录IP是", "异地登录提示 IP "])).pii("ip", ip).text("，不是我本人操作")
    return b.build()


def _landline(rng: random.Random) -> str:
    area = rng.choice(["010", "021", "020", "0571", "0755", "028"])
    local = f"{rng.randint(2, 8)}{rng.randint(0, 9_999_999):07d}"
    return rng.choice([f"{area}-{local}", f"({area}){local}", f"{area} {local[:4]} {local[4:]}"])


def _old_id(rng: random.Random) -> str:
    region = rng.choice(REGIONS)[3]
    return f"{region}{rng.randint(50, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"


def _harder(rng: random.Random, kind: int, b: Builder) -> Sample:
    """Forms the first twelve kinds leave out: landlines, names with no cue, 15-digit IDs, permits."""
    if kind == 12:
        b.text(rng.choice(["座机", "办公电话：", "家里电话 "])).pii("landline", _landline(rng)).text("，白天有人")
    elif kind == 13:
        before, after = rng.choice([("上次是", "帮我处理的"), ("", "说明天下午过来取货"), ("我找", "，她知道这个单子")])
        b.text(before).pii("name", person(rng)).text(after)
    elif kind == 14:
        b.text(rng.choice(["老身份证号", "15位身份证号码："])).pii("id_card", _old_id(rng)).text("，还能用吗")
    else:
        permit = rng.choice([("台湾通行证", "L"), ("回乡证", "H"), ("港澳通行证", "C")])
        b.text(permit[0]).pii("passport", f"{permit[1]}{rng.randint(10_000_000, 99_999_999)}").text("，过期了")
    return b.build()


def _order_number(rng: random.Random) -> str:
    """An 18-digit order number whose last digit is NOT the ID check character."""
    while True:
        day = f"{rng.randint(2019, 2026)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        value = f"{day}{rng.randint(0, 10**10 - 1):010d}"
        if check_character(value[:17]) != value[17]:
            return value


def _dates(rng: random.Random) -> str:
    ordered = f"{rng.randint(2020, 2026)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
    return f"{ordered}下的单，{rng.randint(2020, 2026)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}到货"


def _service_numbers(rng: random.Random) -> str:
    ticket = f"{rng.randint(2024, 2026)}{rng.randint(10**8, 10**9 - 1)}"
    return f"工单编号{ticket}，售后电话400-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"


def _instalment(rng: random.Random) -> str:
    version = ".".join(str(rng.randint(0, 9)) for _ in range(4))
    return f"第{rng.randint(1, 30)}期分期还款{rng.randint(100, 9999)}.{rng.randint(10, 99)}元，App版本{version}"


def _checksum_valid_order(rng: random.Random) -> str:
    """An order number that happens to pass the ID checksum: only the context tells them apart."""
    return f"订单号{id_card(rng, rng.choice(REGIONS)[3])}已经取消了"


def _luhn_valid_serial(rng: random.Random) -> str:
    return f"交易流水号{bank_card(rng)}，请核对"


NEGATIVE_CHOICES = [
    ["型号SM-G9980和iPhone 15 Pro Max A3108", "买的是RTX 4090显卡，型号ZT-D40900J-10P", "空调型号KFR-35GW/NhGa1B"],
    ["杭州云杉科技有限公司开的发票", "华为官方旗舰店买的", "京东自营的订单", "在苏宁买的格力空调"],
    ["我在北京出差，下周回杭州", "人在上海，东西寄到哪里", "我是广东人，现在住深圳", "朝阳区那边能送吗"],
    ["李白的诗我很喜欢", "孔子说过己所不欲勿施于人", "诸葛亮草船借箭的故事", "买了一本苏轼的诗集"],
    ["马上给我退款", "高铁票能报销吗", "周末能送到吗", "黄金手镯有证书吗", "白色款还有货吗", "钱什么时候退回来"],
]


def _negative(rng: random.Random) -> Sample:
    """A message with look-alikes only: nothing in it is personal data."""
    makers = [
        lambda: f"订单号{_order_number(rng)}怎么还没发货",
        lambda: f"快递单号SF{rng.randint(10**12, 10**13 - 1)}，中通{rng.randint(10**11, 10**12 - 1)}",
        lambda: f"根据《消费者权益保护法》第二十四条和民法典第{rng.randint(1000, 1260)}条，我要求退货",
        lambda: f"价格是{rng.randint(100, 20000)}元，优惠后¥{rng.randint(1, 99)},{rng.randint(100, 999)}.00",
        lambda: _dates(rng),
        lambda: f"订单号1{rng.choice('3456789')}{rng.randint(10**8, 10**9 - 1)}的退款到账了吗",
        lambda: _service_numbers(rng),
        lambda: _instalment(rng),
        lambda: _checksum_valid_order(rng),
        lambda: _luhn_valid_serial(rng),
        *[lambda options=options: rng.choice(options) for options in NEGATIVE_CHOICES],
    ]
    return Sample(rng.choice(makers)(), [], negative=True)


def generate(seed: int = 20241129, positives: int = 1200, negatives: int = 600) -> list[Sample]:
    """The benchmark set: ``positives`` messages with personal data, ``negatives`` without."""
    rng = random.Random(seed)
    samples = [_positive(rng) for _ in range(positives)] + [_negative(rng) for _ in range(negatives)]
    rng.shuffle(samples)
    return samples
