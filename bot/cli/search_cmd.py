"""``csbot search``: query the index, one query or a JSONL batch."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.cli.batch_lines import encodable
from bot.settings import load_settings


def result_json(passage: Any) -> dict[str, Any]:
    """The batch output form of one passage (statute: law/article; policy or document: doc/section)."""
    return {
        "law": passage.law,
        "article": passage.article,
        "doc": passage.doc,
        "section": passage.section,
        "score": passage.score,
    }


def register(app: typer.Typer) -> None:
    @app.command("search")
    def search(
        query: str | None = typer.Argument(None, help="The question, e.g. 七天内能退货吗"),
        top_k: int = typer.Option(5, "--top-k", min=1, max=100, help="Number of results."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
        batch: Annotated[
            Path | None, typer.Option("--batch", help='JSONL file of {"id": ..., "query": ...} lines.')
        ] = None,
    ) -> None:
        """Search statutes and policies (hybrid BM25 + dense, direct article look-up)."""
        from knowledge.search import IndexMissingError, Searcher

        if (query is None) == (batch is None):
            typer.echo("error: give either a QUERY or --batch FILE", err=True)
            raise typer.Exit(2)
        try:
            searcher = Searcher(load_settings().search_config)
        except IndexMissingError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(1) from error
        if batch is not None:
            raise typer.Exit(run_batch(searcher, batch, top_k))
        passages = searcher.search(query or "", top_k=top_k)
        if as_json:
            typer.echo(
                json.dumps(
                    [result_json(p) | {"label": p.label, "text": p.text} for p in passages],
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        for rank, passage in enumerate(passages, start=1):
            snippet = passage.text[:160].replace("\n", " ")
            typer.echo(f"{rank}. {passage.label} ({passage.score:.4f})\n   {snippet}")


def run_batch(searcher: Any, path: Path, top_k: int) -> int:
    """Answer every well-formed line; report each malformed one on stderr. Exit code 1 if any was bad."""
    try:
        lines = path.read_bytes().splitlines()
    except OSError as error:
        print(f"error: cannot read {path}: {error}", file=sys.stderr)
        return 2
    bad = 0
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:  # one bad line, not a bad batch
                raise ValueError(f"not valid UTF-8 (byte offset {error.start})") from None
            item = json.loads(line)
            if not isinstance(item, dict) or not isinstance(item.get("query"), str) or "id" not in item:
                raise ValueError('expected an object with "id" and a string "query"')
            if not encodable(item["query"]) or not encodable(json.dumps(item["id"], ensure_ascii=False)):
                raise ValueError("holds a lone surrogate escape, which is not text")
        except ValueError as error:
            print(f"error: {path}:{number}: malformed line: {error}", file=sys.stderr)
            bad += 1
            continue
        results = [result_json(p) for p in searcher.search(item["query"], top_k=top_k)]
        print(json.dumps({"id": item["id"], "results": results}, ensure_ascii=False), flush=True)
    return 1 if bad else 0
