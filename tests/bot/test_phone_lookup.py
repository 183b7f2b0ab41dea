"""Issue 10 item 3: look-up by the phone number the customer gave, through the real command line
(``csbot orders load`` into a real SQLite shop, ``csbot chat --json``), the real vault and records.
The raw number must never reach a reply, a record, the case state, the vault's audit trail or a log."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import build_app
from bot.phone_lookup import masked_order_no, picked_order
from bot.service import CsBot
from bot.settings import Settings
from bot.types import Turn

DEMO_CSV = Path(__file__).resolve().parents[2] / "bot" / "orders" / "demo" / "orders.csv"
PHONE = "13800138000"  # one order in the demo shop
TWO_ORDERS_PHONE = "13700137000"
SHOP_CSV = """order_no,phone,product,amount,paid_on,delivered_on,channel,tracking_no
DD2026112233445,13800138000,电热水壶,129,2026-11-25,2026-11-27,online,SF1234567890123
DD2026111011111,13700137000,台灯,89,2026-11-10,2026-11-12,online,
DD2026112022222,13700137000,双开门冰箱,3299,2026-11-20,2026-11-23,online,
"""


@pytest.fixture
def cli(bot_settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    """The shop loaded the way an operator loads it: ``csbot orders load FILE``."""
    monkeypatch.setenv("CSBOT_HOME", str(bot_settings.home))
    shop = tmp_path / "shop.csv"
    shop.write_text(SHOP_CSV, encoding="utf-8")
    runner = CliRunner()
    loaded = runner.invoke(build_app(), ["orders", "load", str(shop)])
    assert loaded.exit_code == 0 and "loaded 3 orders" in loaded.stdout, loaded.output
    return runner


def chat(cli: CliRunner, *lines: str) -> list[dict]:
    result = cli.invoke(build_app(), ["chat", "--json"], input="\n".join(lines).encode() + b"\n")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def everything_stored(home: Path) -> str:
    """Every row of every SQLite database under CSBOT_HOME (records, cases, vault audit), as text."""
    text = []
    for path in home.rglob("*.db"):
        with sqlite3.connect(path) as db:
            for (table,) in db.execute("select name from sqlite_master where type = 'table'"):
                text += [repr(row) for row in db.execute(f'select * from "{table}"')]
    return "\n".join(text)


def test_one_order_found_by_phone_makes_its_facts_verified_and_the_number_is_kept_nowhere(
    cli: CliRunner, bot_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    first, second = chat(cli, "我买的电热水壶漏水了", f"订单号找不到了，我下单的手机号是{PHONE}")
    assert "order_no" in first["asks"] and first["verified"] == []
    assert {"order_no", "purchase_date", "receipt_date", "amount", "product"} <= set(second["verified"])
    assert second["slots"]["order_no"] == "DD2026112233445" and second["slots"]["receipt_date"] == "2026-11-27"
    assert "经系统核对" in second["reply"] and "电热水壶" in second["reply"]
    assert "order_no" not in second["asks"]
    assert "没有订单号也没关系" not in second["reply"]  # no way round offered: the order was found
    stored = everything_stored(bot_settings.home)
    assert "按顾客本人提供的手机号查询订单" in stored and "csbot-orders" in stored  # the reveal is audited
    for place in (json.dumps(first, ensure_ascii=False), json.dumps(second, ensure_ascii=False), stored, caplog.text):
        assert PHONE not in place
        assert "138 0013 8000" not in place


def test_several_orders_are_listed_masked_and_the_customers_pick_is_verified(cli: CliRunner) -> None:
    replies = chat(cli, "我买的东西坏了，质量有问题", f"没有订单号，手机号{TWO_ORDERS_PHONE}", "第二个")
    listing, picked = replies[1], replies[2]
    assert "2 个订单" in listing["reply"] and "台灯" in listing["reply"] and "双开门冰箱" in listing["reply"]
    assert "DD2026112022222" not in listing["reply"] and masked_order_no("DD2026112022222") in listing["reply"]
    assert "order_no" not in listing["asks"] and listing["verified"] == []
    assert "没有订单号也没关系" not in listing["reply"]  # no way round while the customer picks
    first_listed = listing["reply"].index("双开门冰箱") < listing["reply"].index("台灯")  # newest first
    assert first_listed
    assert picked["slots"]["order_no"] == "DD2026111011111" and "order_no" in picked["verified"]
    assert picked["slots"]["product"] == "台灯" and "经系统核对" in picked["reply"]


def test_none_of_the_listed_orders_goes_on_on_stated_facts(cli: CliRunner) -> None:
    replies = chat(cli, "我买的东西坏了，质量有问题", f"手机号{TWO_ORDERS_PHONE}，订单号找不到", "都不是")
    last = replies[-1]
    assert "order_no" not in last["verified"] and "order_no" not in last["slots"]  # 未提供 is left out
    assert "order_no" not in last["asks"] and "按您提供的信息继续" in last["reply"]


def test_no_order_for_the_phone_is_said_and_the_case_goes_on(cli: CliRunner) -> None:
    replies = chat(cli, "我买的电热水壶漏水了", "订单号我找找", "还是找不到", "我手机号13912345678")
    asked = sum("order_no" in reply["asks"] for reply in replies)
    assert asked <= 2  # then the way round: look it up by phone
    assert "手机号" in replies[2]["reply"]
    last = replies[-1]
    assert "没有查到订单" in last["reply"] and last["verified"] == []
    assert "order_no" not in last["asks"] and "经系统核对" not in last["reply"]
    assert "13912345678" not in json.dumps(replies, ensure_ascii=False)


def test_a_phone_placeholder_typed_by_hand_reveals_nothing(csbot: CsBot, bot_settings: Settings) -> None:
    """The engine reveals only placeholders of the case's own book: the text [手机号1] typed by a
    customer who never gave a number opens nothing in the vault."""
    from bot.orders import DEMO_FILE, SqliteOrders

    SqliteOrders(bot_settings.home / DEMO_FILE).load_csv(DEMO_CSV)
    csbot.parts.engine.orders = SqliteOrders(bot_settings.home / DEMO_FILE)
    session = csbot.new_session()
    csbot.handle(Turn(session, "我买的电热水壶漏水了"))
    reply = csbot.handle(Turn(session, "订单号找不到，手机号是[手机号1]"))
    case_id = reply.case_id
    assert csbot.parts.vault.reveals(case_id) == [] and reply.verified == ()


def test_the_customer_may_pick_by_product_or_the_numbers_last_digits() -> None:
    from bot.orders import Order

    orders = [
        Order("DD2026112022222", "双开门冰箱", 3299, "2026-11-20", "2026-11-23", "online"),
        Order("DD2026111011111", "台灯", 89, "2026-11-10", "2026-11-12", "online"),
    ]
    assert picked_order(orders, "冰箱那个") is orders[0]
    assert picked_order(orders, "尾号1111的") is orders[1]
    assert picked_order(orders, "第1单") is orders[0]
    assert picked_order(orders, "2") is orders[1]
    assert picked_order(orders, "第三个") is None and picked_order(orders, "都不是") is None
    assert picked_order(orders, "好的") is None


def test_a_request_about_personal_information_never_looks_orders_up(cli: CliRunner, bot_settings: Settings) -> None:
    """Identity for personal-information requests is checked apart (not by typing a number): no look-up."""
    (reply,) = chat(cli, f"我想查询你们保存了我哪些个人信息，我的手机号是{PHONE}")
    assert reply["procedure"] == "personal_information"
    assert reply["verified"] == [] and "经系统核对" not in reply["reply"] and "电热水壶" not in reply["reply"]
    assert "按顾客本人提供的手机号查询订单" not in everything_stored(bot_settings.home)  # nothing revealed
