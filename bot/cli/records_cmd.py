"""``csbot records``: verify the hash chain, export a case's 书面记录, dump every record, list cases.

``verify`` exits 1 and names the first bad record when the chain is broken (an edited or deleted
row); ``export CASE_ID --format md|html|json`` prints the written record; ``dump --json`` prints one
JSON object per record, in chain order. Only masked text is ever stored, so nothing here prints
personal data.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from bot.records import RecordStore
    from bot.records.anchor import Anchor

FORMATS = ("md", "html", "json")


def _store() -> RecordStore:
    from bot.records import RecordStore
    from bot.settings import load_settings

    settings = load_settings()
    settings.home.mkdir(parents=True, exist_ok=True)
    return RecordStore(settings.records_url)


def _anchor() -> Anchor:
    from bot.records.anchor import Anchor
    from bot.settings import load_settings

    return Anchor.for_settings(load_settings())


def verify(as_json: bool = typer.Option(False, "--json", help="Print the result as JSON.")) -> None:
    """Re-hash every record and check the chain against the latest signed checkpoint; exit 1 if broken."""
    store = _store()
    result, anchored = store.verify(), _anchor().verify(store)
    if as_json:
        typer.echo(json.dumps({**result.to_json(), "anchor": anchored.to_json()}, ensure_ascii=False))
    elif result.ok:
        typer.echo(f"ok: {result.checked} records, chain intact")
    else:
        typer.echo(f"BROKEN at record {result.first_bad}: {result.reason} ({result.checked} checked)")
    if not as_json:
        typer.echo(anchored.describe())
    if not (result.ok and anchored.ok):
        raise typer.Exit(1)


def checkpoint() -> None:
    """Sign the chain head and append it to the checkpoint file (run it from cron or a systemd timer)."""
    written = _anchor().checkpoint(_store())
    if written is None:
        typer.echo("no records yet: nothing to sign")
    else:
        typer.echo(f"checkpoint: record {written.seq} {written.hash[:16]}… at {written.at}")


def export(
    case_id: str = typer.Argument(..., help="Case number, e.g. CS20261129-1A2B3C4D5E."),
    fmt: str = typer.Option("md", "--format", help="md | html | json"),
) -> None:
    """Print one case's written record (Markdown, HTML, or its records as JSON lines)."""
    if fmt not in FORMATS:
        typer.echo(f"error: --format must be one of {', '.join(FORMATS)}", err=True)
        raise typer.Exit(2)
    store = _store()
    try:
        if fmt == "json":
            rows = store.for_case(case_id)
            if not rows:
                raise KeyError(case_id)
            for row in rows:
                typer.echo(json.dumps(row, ensure_ascii=False))
        else:
            typer.echo(store.export(case_id, fmt), nl=False)  # type: ignore[arg-type]
    except KeyError as error:
        typer.echo(f"error: no records for case {case_id}; `csbot records cases` lists them", err=True)
        raise typer.Exit(1) from error


def dump(as_json: bool = typer.Option(False, "--json", help="One JSON object per record.")) -> None:
    """Print every record in chain order."""
    for row in _store().dump():
        if as_json:
            typer.echo(json.dumps(row, ensure_ascii=False))
            continue
        body = row["body"]
        steps = f"{body.get('step_before')}→{body.get('step_after')}"
        reply = str(body.get("reply") or "")[:60]
        typer.echo(f"{row['id']} {row['created_at']} {row['case_id']} {row['actor']} {steps} {reply}")


def cases(as_json: bool = typer.Option(False, "--json", help="One JSON object per case.")) -> None:
    """List cases, most recently updated first."""
    for case in _store().cases():
        if as_json:
            typer.echo(json.dumps(asdict(case), ensure_ascii=False))
        else:
            flag = " [转人工]" if case.escalated else ""
            typer.echo(f"{case.case_id} {case.procedure} {case.step} turns={case.turns}{flag} {case.updated_at}")


def register(app: typer.Typer) -> None:
    records = typer.Typer(help="Written records (书面记录): verify, checkpoint, export, dump, cases.",
                          no_args_is_help=True)
    for command in (verify, checkpoint, export, dump, cases):
        records.command(command.__name__)(command)
    app.add_typer(records, name="records")
