"""``csbot orders load FILE.csv``: load the demo shop's orders (bot/orders/sqlite.py) into CSBOT_HOME."""

from __future__ import annotations

from pathlib import Path

import typer

_CSV = typer.Argument(..., exists=True, dir_okay=False, help="CSV of orders.")


def register(app: typer.Typer) -> None:
    orders = typer.Typer(help="The demo order system the bot checks stated order facts against.", no_args_is_help=True)
    app.add_typer(orders, name="orders")

    @orders.command("load")
    def load(csv_file: Path = _CSV) -> None:
        """Load orders from a CSV (order_no, phone, product, amount, paid_on, delivered_on, channel, tracking_no)."""
        from bot.orders import DEMO_FILE, SqliteOrders
        from bot.settings import load_settings

        home = load_settings().home
        home.mkdir(parents=True, exist_ok=True)
        try:
            count = SqliteOrders(home / DEMO_FILE).load_csv(csv_file)
        except (ValueError, KeyError) as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(1) from error
        typer.echo(f"loaded {count} orders into {home / DEMO_FILE}")
