"""Amounts of money in the customer's words: ¥380, 380元, 三百八, 一千二, 1.2k, 两万块."""

from __future__ import annotations

import re

from bot.understand.numerals import CN_DIGITS, to_number

_AMOUNT = rf"(?P<v>\d{{1,7}}(?:\.\d{{1,2}})?\s*[kKwW万千]?|[{CN_DIGITS}]{{1,8}})"
_K_MIXED = re.compile(r"(?<![A-Za-z0-9.])(?P<n>\d{1,3})\s*(?P<u>[kKwW千万])(?P<r>\d)(?![\dA-Za-z])")  # 1k5, 1w2, 1千5
_WITH_UNIT = re.compile(rf"{_AMOUNT}\s*(?:多)?(?:元|块钱|块|rmb|RMB|人民币)")
_WITH_SIGN = re.compile(r"[¥￥]\s*(?P<v>\d{1,7}(?:\.\d{1,2})?)")
_WITH_CUE = re.compile(
    rf"(?:花了|付了|价格|价钱|售价|一共|总共|共计|买的时候|标价|扣了|退我|赔我|医药费|金额|余额还?剩?|还剩|充了|交了)"
    rf"(?:是|为|:|：)?\s*(?:小|大概|大约|差不多|将近|快|近)?{_AMOUNT}(?![\d天日号月年个周星岁次成折半%％kKwW.])"
)
_K = re.compile(r"(?<![A-Za-z0-9.])(?P<v>\d{1,4}(?:\.\d{1,2})?\s*[kKwW])(?![A-Za-z0-9])")
# 299买的, 一千出头, 九十九包邮; never the day in 星期五买的 / 20号买的
_BOUGHT_FOR = re.compile(
    rf"(?<![期周拜月日号年天第])(?<!星期)(?<!礼拜){_AMOUNT}\s*(?:块钱|块|元)?(?:买的|买了|入手|拍的|下单的|出头|包邮)"
)
# 三块五 / 3块5 / 两块八毛: yuan and a tenth (jiao) after 块
_YUAN_JIAO = re.compile(
    rf"(?P<v>\d{{1,6}}|[{CN_DIGITS}]{{1,6}})\s*块(?P<j>[一二两三四五六七八九1-9])(?![十百千万\d])毛?"
)
# what was actually paid wins over a list price said in the same message (原价799，实付666)
_PAID = re.compile(
    rf"(?:实付|实际付了?|实际支付|实际花了|到手价|券后价?|优惠后|付款)(?:是|为|:|：)?\s*{_AMOUNT}(?![\d天日号月年个周星岁次成折半%％kKwW.])"
)
_LIST_PRICE = re.compile(r"(?:原价|标价|划线价|吊牌价|市场价|定价)(?:是|为|:|：)?\s*$")
_BARE = re.compile(rf"^\s*(?:大概|大约|差不多|就)?{_AMOUNT}\s*(?:左右)?\s*[。.!！]?\s*$")


def find_amount(text: str, expecting: bool = False) -> float | None:
    """The first amount the message states; a bare number counts only when the bot asked for one."""
    mixed = _K_MIXED.search(text)
    if mixed:
        unit = 1000 if mixed["u"] in "kK千" else 10000
        return float(int(mixed["n"]) * unit + int(mixed["r"]) * unit // 10)
    jiao = _YUAN_JIAO.search(text)
    if jiao:
        whole, tenth = to_number(jiao["v"]), to_number(jiao["j"])
        if whole is not None and tenth is not None:
            return whole + tenth / 10
    patterns = [_PAID, _WITH_SIGN, _WITH_UNIT, _WITH_CUE, _K, _BOUGHT_FOR] + ([_BARE] if expecting else [])
    for pattern in patterns:
        for match in pattern.finditer(text):
            if pattern is not _PAID and _LIST_PRICE.search(text[: match.start()]) and _PAID.search(text):
                continue  # 原价七百九十九: a list price, when the paid amount is said too
            value = to_number(match["v"])
            if value is not None and 0 < value < 10_000_000:
                return value
    return None


def yuan(value: float) -> str:
    """A slot value: 380 rather than 380.0."""
    return str(int(value)) if value == int(value) else f"{value:.2f}"
