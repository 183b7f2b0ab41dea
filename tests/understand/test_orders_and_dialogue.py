"""The demo order system, honest verification, refusals and ways round, through the whole engine."""

from __future__ import annotations

from pathlib import Path

from bot.orders import SqliteOrders
from bot.orders.sqlite import phone_digest

DEMO_CSV = Path(__file__).resolve().parents[2] / "bot" / "orders" / "demo" / "orders.csv"


def test_the_demo_shop_loads_from_csv_and_keeps_no_phone_in_clear(tmp_path: Path) -> None:
    orders = SqliteOrders(tmp_path / "orders.db")
    assert orders.load_csv(DEMO_CSV) == 3
    order = orders.by_order_no("dd2026112233445")
    assert order is not None and order.delivered_on == "2026-11-27"
    assert [o.order_no for o in orders.by_phone("+86 138-0013-8000")] == ["DD2026112233445"]
    assert b"13800138000" not in (tmp_path / "orders.db").read_bytes()
    assert phone_digest("13800138000") == phone_digest("8613800138000")


def test_refusal_is_never_consent_and_keeps_the_case_open(chat) -> None:  # type: ignore[no-untyped-def]
    c = chat()
    c.user("鞋子不合适，想七天无理由退货")
    c.user("订单号 DD2026112233445，五天前收到的，吊牌还在")
    reply = c.user("道歉有什么用？医药费你们得出")
    assert reply.step == "resolve" and "人工" in reply.reply
    assert reply.slots.get("agreement") is None


def test_a_missing_order_number_is_accepted_and_never_asked_a_third_time(chat) -> None:  # type: ignore[no-untyped-def]
    c = chat()
    asked = 0
    for text in ("我买的台灯坏了", "我找找", "还在找", "找不到了，门店买的没有订单号"):
        reply = c.user(text)
        asked += "order_no" in reply.asks
        assert "核实完成" not in reply.reply and "已核实" not in reply.reply
    assert asked <= 2
    assert "order_no" not in reply.asks


def test_stated_facts_are_not_verified_without_an_order_system(chat) -> None:  # type: ignore[no-untyped-def]
    c = chat()
    c.user("热水壶漏水了")
    reply = c.user("订单号 DD2026112233445，前天收到的，有视频")
    assert reply.verified == ()
    assert "经系统核对" not in reply.reply
