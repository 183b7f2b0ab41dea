"""``csbot users``: staff accounts for the web app (the first admin is created here)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from bot.web.auth import AuthError, UserStore, role_names


def _read_password(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


def register(app: typer.Typer) -> None:
    users = typer.Typer(help="Manage staff accounts (agent, qa, admin).", no_args_is_help=True)

    @users.command("add")
    def add(
        name: Annotated[str, typer.Argument(help="Login name (letters, digits, . _ -)")],
        role: Annotated[str, typer.Option(help=f"One of: {', '.join(role_names())}")],
        password_stdin: Annotated[bool, typer.Option(help="Read the password from the first stdin line")] = False,
    ) -> None:
        """Create a staff user, or reset an existing user's password and role. Never takes the password
        as an argument (it would land in the shell history); it is prompted for or read from stdin."""
        from bot.settings import load_settings

        try:
            user = UserStore.open(load_settings()).add(name, role, _read_password(password_stdin))
        except AuthError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(2) from None
        typer.echo(f"user {user.name} ({user.role}) saved")

    @users.command("list")
    def list_users() -> None:
        """List staff users and their roles (never the hashes)."""
        from bot.settings import load_settings

        for name, role in UserStore.open(load_settings()).names():
            typer.echo(f"{name}\t{role}")

    app.add_typer(users, name="users")
