"""Amounts the statutes fix, each written from the article's own words."""

from __future__ import annotations

from collections.abc import Mapping


def _num(facts: Mapping[str, object], key: str) -> float | None:
    value = facts.get(key)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def fraud_triple(price: float) -> float:
    """消法第55条第1款: 增加赔偿的金额为…价款或者…费用的三倍；增加赔偿的金额不足五百元的，为五百元。"""
    return max(3 * price, 500.0)


def food_tenfold(price: float | None, loss: float | None) -> float:
    """食品安全法第148条第2款: 价款十倍或者损失三倍的赔偿金；增加赔偿的金额不足一千元的，为一千元。
    The consumer chooses, so the larger of the two is what can be claimed."""
    return max(10 * (price or 0.0), 3 * (loss or 0.0), 1000.0)


def deposit_effective(deposit: float, price: float | None) -> float:
    """民法典第586条第2款: 不得超过主合同标的额的百分之二十，超过部分不产生定金的效力。"""
    return min(deposit, 0.2 * price) if price else deposit


def compute(formula: str, facts: Mapping[str, object]) -> float | None:
    """The amount for a named formula, or None when a needed figure is not known."""
    price, deposit, loss = _num(facts, "price"), _num(facts, "deposit"), _num(facts, "loss")
    if formula == "fraud_triple":
        return fraud_triple(price) if price is not None else None
    if formula == "food_tenfold":
        return food_tenfold(price, loss) if price is not None or loss is not None else 1000.0
    if formula == "deposit_effective":
        return deposit_effective(deposit, price) if deposit is not None else None
    if formula == "deposit_double":
        return 2 * deposit_effective(deposit, price) if deposit is not None else None
    if formula == "refund":
        return price
    raise ValueError(f"unknown formula {formula}")


def yuan(amount: float) -> str:
    return f"{amount:,.0f}元" if amount == int(amount) else f"{amount:,.2f}元"
