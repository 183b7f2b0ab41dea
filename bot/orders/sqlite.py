"""The demo shop: orders, products and deliveries in one SQLite file, loaded from CSV.

CSV columns: order_no, phone, product, amount, paid_on, delivered_on, channel, tracking_no. The phone
is stored as a keyed digest only, so the demo database holds no phone number in clear.
"""

from __future__ import annotations

import csv
import hashlib
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.orders import Order

_SCHEMA = """
create table if not exists orders (
  order_no text primary key, phone_digest text, product text not null, amount real not null,
  paid_on text not null, delivered_on text, channel text not null default 'online', tracking_no text
);
create index if not exists orders_phone on orders(phone_digest);
"""


def phone_digest(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())[-11:]
    return hashlib.sha256(f"csbot-orders|{digits}".encode()).hexdigest()


class SqliteOrders:
    name = "demo-shop"

    def __init__(self, path: Path) -> None:
        self.path = path
        with self._connect() as db:
            db.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        db.row_factory = sqlite3.Row
        return db

    def load_csv(self, csv_path: Path) -> int:
        with csv_path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        missing = [c for c in ("order_no", "product", "amount", "paid_on") if rows and c not in rows[0]]
        if missing:
            raise ValueError(f"{csv_path.name}: missing columns {', '.join(missing)}")
        with self._connect() as db:
            db.executemany(
                "insert or replace into orders values (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        r["order_no"].strip(),
                        phone_digest(r["phone"]) if r.get("phone") else None,
                        r["product"],
                        float(r["amount"]),
                        r["paid_on"],
                        r.get("delivered_on") or None,
                        r.get("channel") or "online",
                        r.get("tracking_no") or None,
                    )
                    for r in rows
                ],
            )
        return len(rows)

    def _order(self, row: sqlite3.Row) -> Order:
        from bot.orders import Order

        return Order(
            row["order_no"],
            row["product"],
            row["amount"],
            row["paid_on"],
            row["delivered_on"],
            row["channel"],
            row["tracking_no"],
        )

    def by_order_no(self, order_no: str) -> Order | None:
        with self._connect() as db:
            row = db.execute("select * from orders where upper(order_no) = upper(?)", (order_no.strip(),)).fetchone()
        return self._order(row) if row else None

    def by_phone(self, phone: str) -> list[Order]:
        with self._connect() as db:
            rows = db.execute(
                "select * from orders where phone_digest = ? order by paid_on desc", (phone_digest(phone),)
            ).fetchall()
        return [self._order(row) for row in rows]
