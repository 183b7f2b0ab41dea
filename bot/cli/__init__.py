"""The ``csbot`` command line.

Each command group lives in its own module under ``bot.cli`` and exposes ``register(app)``;
this module only assembles them, so no command module grows into a monolith.
"""

from __future__ import annotations

import importlib

import typer

from bot.settings import enforce_offline_environment

# Module names, in the order their commands appear in ``csbot --help``.
COMMAND_MODULES = (
    "bot.cli.ingest_cmd",
    "bot.cli.index_cmd",
    "bot.cli.search_cmd",
    "bot.cli.mask_cmd",
    "bot.cli.rails_cmd",
    "bot.cli.chat_cmd",
    "bot.cli.records_cmd",
    "bot.cli.eval_cmd",
    "bot.cli.serve_cmd",
    "bot.cli.users_cmd",
    "bot.cli.orders_cmd",
    "bot.cli.data_cmd",
)


def build_app() -> typer.Typer:
    app = typer.Typer(
        name="csbot",
        help="csbot: a lawful customer-service chatbot (客服机器人). Every command has --help.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )

    @app.callback()
    def root() -> None:
        """csbot: a lawful customer-service chatbot (客服机器人)."""

    @app.command()
    def version() -> None:
        """Print csbot's version."""
        from importlib.metadata import version as package_version

        typer.echo(package_version("csbot"))

    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name == module_name:
                continue  # that command group is not part of this build
            raise
        module.register(app)
    return app


def main() -> None:
    enforce_offline_environment()
    build_app()()
