"""``csbot index build``: build the statute + policy (+ imported documents) search index."""

from __future__ import annotations

import typer

from bot.settings import load_settings


def register(app: typer.Typer) -> None:
    index_app = typer.Typer(help="Build and inspect the search index.", no_args_is_help=True)

    @index_app.command("build")
    def build(
        if_missing: bool = typer.Option(False, "--if-missing", help="Do nothing when an index already exists."),
        laws: str | None = typer.Option(
            None, "--laws", help="Comma-separated laws to index (full or short names); default: all in force."
        ),
        dense: bool | None = typer.Option(
            None, "--dense/--no-dense", help="Build dense vectors; default: only when CSBOT_DENSE_WEIGHT > 0."
        ),
    ) -> None:
        """Build (or rebuild) the index in CSBOT_HOME/index."""
        from knowledge.index import build_index, index_exists

        settings = load_settings()
        if if_missing and index_exists(settings.search_config):
            typer.echo(f"index already present in {settings.index_dir}")
            return
        selected = [name.strip() for name in laws.split(",") if name.strip()] if laws else None
        try:
            stats = build_index(settings.search_config, laws=selected, progress=True, dense=dense)
        except ValueError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(2) from error
        typer.echo(
            f"indexed {stats.statutes} articles, {stats.policies} policy sections, {stats.documents} document "
            f"sections in {stats.seconds:.1f}s (dense: {stats.model or 'off'}) -> {settings.index_dir}"
        )

    app.add_typer(index_app, name="index")
