"""Order systems the bot may check stated facts against (``OrderSystem``): the SQLite demo shop here,
or a company's own over HTTP (implement the two look-ups). A fact is ``verified`` only when one of
them answered; the customer's word alone stays ``stated``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot.orders.sqlite import SqliteOrders


@dataclass(frozen=True)
class Order:
    order_no: str
    product: str
    amount: float
    paid_on: str  # ISO date
    delivered_on: str | None  # ISO date, None while in transit
    channel: str  # online / offline
    tracking_no: str | None = None


class OrderSystem(Protocol):
    name: str

    def by_order_no(self, order_no: str) -> Order | None: ...

    def by_phone(self, phone: str) -> list[Order]: ...


DEMO_FILE = "orders.db"


def open_orders(home: Path) -> OrderSystem | None:
    """The demo shop in ``CSBOT_HOME/orders.db`` when one was loaded (``csbot orders load``)."""
    path = home / DEMO_FILE
    return SqliteOrders(path) if path.exists() else None


__all__ = ["DEMO_FILE", "Order", "OrderSystem", "SqliteOrders", "open_orders"]
