"""``csbot ingest PATH...``: import company documents into the knowledge base."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.settings import load_settings


def register(app: typer.Typer) -> None:
    @app.command("ingest")
    def ingest(
        paths: Annotated[list[Path], typer.Argument(help="Files to import (.md, .txt, .docx, .pdf).")],
    ) -> None:
        """Import documents, split by structure; unchanged files are skipped, bad files reported by name."""
        from knowledge.ingest import ingest_paths

        report = ingest_paths(load_settings(), paths)
        for result in report.files:
            if result.status == "error":
                typer.echo(f"error: {result.error}", err=True)
            else:
                typer.echo(f"{result.status}: {result.path} ({result.sections} sections)")
        if not report.ok:
            raise typer.Exit(1)
