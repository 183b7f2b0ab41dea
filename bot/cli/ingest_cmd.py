"""``csbot ingest PATH...``: import company documents into the knowledge base."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.settings import load_settings


def register(app: typer.Typer) -> None:
    @app.command("ingest")
    def ingest(
        paths: Annotated[list[Path] | None, typer.Argument(help="Files to import (.md, .txt, .docx, .pdf).")] = None,
        regulation: Annotated[
            Path | None, typer.Option(help="Official text (.txt, .docx, .pdf) of a regulation in regulations.yaml")
        ] = None,
    ) -> None:
        """Import documents, split by structure; unchanged files are skipped, bad files reported by name."""
        from knowledge.ingest import ingest_paths

        if regulation is not None:
            from knowledge.datafile import DataError
            from knowledge.regulations import import_regulation

            try:
                name, count = import_regulation(regulation, load_settings().home)
            except (DataError, OSError, UnicodeDecodeError) as error:
                typer.echo(f"error: {error}", err=True)
                raise typer.Exit(1) from error
            typer.echo(f"imported: {name} ({count} articles)")
            if not paths:
                return
        if not paths:
            typer.echo("error: give files to import, or --regulation FILE", err=True)
            raise typer.Exit(2)

        report = ingest_paths(load_settings().search_config, paths)
        for result in report.files:
            if result.status == "error":
                typer.echo(f"error: {result.error}", err=True)
            else:
                typer.echo(f"{result.status}: {result.path} ({result.sections} sections)")
        if not report.ok:
            raise typer.Exit(1)
