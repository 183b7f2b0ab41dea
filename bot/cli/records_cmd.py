"""``csbot records``: verify the hash chain, export a case's 书面记录, dump every record, list cases.

``verify`` exits 1 and names the first bad record when the chain is broken (an edited or deleted
row); ``export CASE_ID --format md|html|json`` prints the written record; ``dump --json`` prints one
JSON object per record, in chain order. Only masked text is ever stored, so nothing here prints
personal data.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from bot.records import RecordStore
    from bot.records.anchor import Anchor
    from guardrails.pii.audit_chain import AuditVerify

FORMATS = ("md", "html", "json")


def _store() -> RecordStore:
    from bot.records import RecordStore
    from bot.settings import load_settings

    settings = load_settings()
    settings.home.mkdir(parents=True, exist_ok=True)
    return RecordStore(settings.records_url, settings.record_timezone)


def _anchor() -> Anchor:
    from bot.records.anchor import Anchor
    from bot.settings import load_settings

    return Anchor.for_settings(load_settings())


def verify(as_json: bool = typer.Option(False, "--json", help="Print the result as JSON.")) -> None:
    """Re-hash every record, check the chain against the latest signed checkpoint and re-hash the
    vault's audit trail; exit 1 if any is broken."""
    store = _store()
    result, anchored, audit = store.verify(), _anchor().verify(store), _vault_audit()
    if as_json:
        summary = {**result.to_json(), "anchor": anchored.to_json(), "vault_audit": asdict(audit)}
        typer.echo(json.dumps(summary, ensure_ascii=False))
    else:
        if result.ok:
            typer.echo(f"ok: {result.checked} records, chain intact")
        else:
            typer.echo(f"BROKEN at record {result.first_bad}: {result.reason} ({result.checked} checked)")
        typer.echo(anchored.describe())
        state = "ok" if audit.ok else f"BROKEN at row {audit.first_bad}: {audit.reason}"
        typer.echo(f"vault audit: {state} ({audit.checked} chained rows, {audit.unchained} from before the chain)")
    if not (result.ok and anchored.ok and audit.ok):
        raise typer.Exit(1)


def _vault_audit() -> AuditVerify:
    from bot.settings import load_settings
    from guardrails.pii import open_vault

    return open_vault(load_settings().vault_config).verify_audit()


def checkpoint(
    every: float = typer.Option(0, "--every", help="Keep running: sign the head every N seconds (0: once)."),
) -> None:
    """Sign the chain head and append it to the checkpoint file (cron, a systemd timer, or --every N)."""
    anchor, store = _anchor(), _store()
    while True:
        written = anchor.checkpoint(store)
        if written is None:
            typer.echo("no records yet: nothing to sign")
        else:
            typer.echo(f"checkpoint: record {written.seq} {written.hash[:16]}… at {written.at}")
        if every <= 0:
            return
        time.sleep(every)


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
    records = typer.Typer(
        help="Written records (书面记录): verify, checkpoint, export, dump, cases.", no_args_is_help=True
    )
    for command in (verify, checkpoint, export, dump, cases):
        records.command(command.__name__)(command)
    app.add_typer(records, name="records")
