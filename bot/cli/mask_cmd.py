"""``csbot mask``: mask personal data in stdin lines.

Plain lines in, masked lines out; with ``--json``, lines ``{"id": ..., "text": ...}`` in and
``{"id": ..., "masked": ..., "entities": [{"type", "start", "end", "score"}]}`` out, offsets into
the input text. Detected values are never printed. A bad line (empty, over 1 MB, not UTF-8, not
JSON) gets an error on stderr with its line number and the batch goes on; the exit code is then 1.
Placeholders are consistent across the whole batch (the batch is treated as one conversation).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import IO

import typer

from bot.cli.batch_lines import BatchReader


def mask_lines(lines: Iterable[bytes], operator: str, as_json: bool, out: IO[str], err: IO[str]) -> int:
    """Mask every line; write results to ``out`` and errors to ``err``. Returns the exit code."""
    from bot.settings import load_settings
    from guardrails.pii import Masker

    masker = Masker(operator, hash_key=load_settings().key_file_secret("pii-hash.key"))
    batch = BatchReader(lines, as_json, err)
    for item_id, text in batch:
        masked, entities = masker.mask_with_entities(text)
        if as_json:
            row = {"id": item_id, "masked": masked.text, "entities": [entity.public() for entity in entities]}
            print(json.dumps(row, ensure_ascii=False), file=out)
        else:
            print(masked.text, file=out)
    return 1 if batch.failed else 0


def register(app: typer.Typer) -> None:
    @app.command("mask")
    def mask(
        as_json: bool = typer.Option(
            False, "--json", help='Lines {"id", "text"} in, {"id", "masked", "entities"} out.'
        ),
        operator: str | None = typer.Option(
            None, "--operator", help="placeholder | mask | redact | hash (default: CSBOT_PII_OPERATOR, placeholder)."
        ),
    ) -> None:
        """Mask personal data (phones, IDs, cards, names, addresses ...) in stdin lines."""
        from bot.settings import load_settings
        from guardrails.pii import OPERATORS

        chosen = operator or load_settings().pii_operator
        if chosen not in OPERATORS:
            typer.echo(f"unknown operator {chosen!r}; choose one of: {', '.join(OPERATORS)}", err=True)
            raise typer.Exit(2)
        raise typer.Exit(mask_lines(sys.stdin.buffer, chosen, as_json, sys.stdout, sys.stderr))
