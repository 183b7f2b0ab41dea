"""``csbot records``: verify the hash chain, export a case's 书面记录, dump every record.

``verify`` exits 1 and names the first bad record when the chain is broken (an edited or deleted
row); ``export CASE_ID --format md|html`` prints the written record; ``dump --json`` prints one JSON
object per record, in chain order. Only masked text is ever stored, so nothing here prints
personal data.
"""

from __future__ import annotations

import json

import typer


def _store() -> object:
    from bot.records import RecordStore
    from bot.settings import load_settings

    settings = load_settings()
    settings.home.mkdir(parents=True, exist_ok=True)
    return RecordStore(settings.records_url)


def register(app: typer.Typer) -> None:
    records = typer.Typer(help="Written records (书面记录): verify, export, dump.", no_args_is_help=True)

    @records.command("verify")
    def verify(as_json: bool = typer.Option(False, "--json", help="Print the result as JSON.")) -> None:
        """Re-hash every record; exit 1 and name the first bad one if the chain is broken."""
        result = _store().verify()  # type: ignore[attr-defined]
        if as_json:
            typer.echo(json.dumps(result.to_json(), ensure_ascii=False))
        elif result.ok:
            typer.echo(f"ok: {result.checked} records, chain intact")
        else:
            typer.echo(f"BROKEN at record {result.first_bad}: {result.reason} ({result.checked} checked)")
        if not result.ok:
            raise typer.Exit(1)

    @records.command("export")
    def export(
        case_id: str = typer.Argument(..., help="Case number, e.g. CS20261129-1A2B3C."),
        fmt: str = typer.Option("md", "--format", help="md | html | json"),
    ) -> None:
        """Print one case's written record (Markdown, HTML, or its records as JSON lines)."""
        store = _store()
        if fmt not in ("md", "html", "json"):
            typer.echo("error: --format must be md, html or json", err=True)
            raise typer.Exit(2)
        try:
            if fmt == "json":
                for row in store.for_case(case_id):  # type: ignore[attr-defined]
                    typer.echo(json.dumps(row, ensure_ascii=False))
                return
            typer.echo(store.export(case_id, fmt), nl=False)  # type: ignore[attr-defined]
        except KeyError as error:
            typer.echo(f"error: no records for case {case_id}; `csbot records cases` lists them", err=True)
            raise typer.Exit(1) from error

    @records.command("dump")
    def dump(as_json: bool = typer.Option(False, "--json", help="One JSON object per record.")) -> None:
        """Print every record in chain order."""
        for row in _store().dump():  # type: ignore[attr-defined]
            if as_json:
                typer.echo(json.dumps(row, ensure_ascii=False))
            else:
                body = row["body"]
                typer.echo(f"{row['id']} {row['created_at']} {row['case_id']} {row['actor']} "
                           f"{body.get('step_before')}→{body.get('step_after')} {body.get('reply', '')[:60]}")

    @records.command("cases")
    def cases(as_json: bool = typer.Option(False, "--json", help="One JSON object per case.")) -> None:
        """List cases, most recently updated first."""
        from dataclasses import asdict

        for case in _store().cases():  # type: ignore[attr-defined]
            if as_json:
                typer.echo(json.dumps(asdict(case), ensure_ascii=False))
            else:
                flag = " [转人工]" if case.escalated else ""
                typer.echo(f"{case.case_id} {case.procedure} {case.step} turns={case.turns}{flag} {case.updated_at}")

    app.add_typer(records, name="records")
