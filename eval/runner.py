"""Run dialogues through the conversation engine and check their expectations.

Each dialogue gets a fresh temporary ``CSBOT_HOME`` (its own records and vault databases, so the
leak scan reads exactly that dialogue's record), while the statute index is built once per run
and linked into every home read-only: rebuilding it per dialogue would cost minutes for nothing.
Records always go to SQLite in the temporary home (a configured ``CSBOT_DB_URL`` is ignored
here) so that the database file's bytes can be scanned.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.settings import Settings
from bot.types import Turn
from eval import assertions, metrics
from eval.models import Dialogue, ExpectationSpec, Transcript, TurnResult
from eval.pii_scan import planted_pii
from eval.results import DialogueResult, RunResult

Progress = Callable[[DialogueResult], None]
CODE_SLOT, NO_CODE = "{验证码}", "（没有收到验证码）"  # a dialogue's stand-in for the code the customer received
RECORD_FILES = ("records.db", "records.db-wal", "records.db-journal")
# Checked for every dialogue even when its file does not say so: the written record must verify
# and planted personal data must not leak anywhere.
IMPLICIT = (("records_verify", True), ("no_personal_data_in", ["reply", "records", "llm_requests"]))


def _masked(text: str) -> str:
    """Customer text (or an error message) as it may appear in a report."""
    from guardrails.pii import mask_text

    return mask_text(text).text


def dialogue_settings(base: Settings, home: Path, drafter: str) -> Settings:
    """Settings for one dialogue: the run's configuration with its own home and SQLite stores."""
    values = base.model_dump()
    values.update(home=home, db_url=None, vault_db_url=None, drafter=drafter)
    return Settings(**values)


def prepare_home(root: Path, dialogue: Dialogue, index_dir: Path | None) -> Path:
    home = Path(tempfile.mkdtemp(prefix=f"{dialogue.id[:40]}-", dir=root))
    if index_dir is not None:
        (home / "index").symlink_to(index_dir.resolve(), target_is_directory=True)
    return home


def _turn_result(bot: Any, session: str, index: int, text: str) -> TurnResult:
    traced = bot.trace_turn(Turn(session=session, text=text))
    reply, trace = traced.reply, traced.trace
    masked = trace.masked_input.text if trace.masked_input is not None else _masked(text)
    retrieved = [passage.citation() for passage in trace.passages]
    view = bot.case_view(session)
    return TurnResult(
        index=index,
        customer_masked=masked,
        reply=reply.to_json(),
        retrieved=retrieved,
        step_before=trace.step_before,
        path=[*view.steps_done, view.step],
    )


def with_code(bot: Any, session: str, text: str) -> str:
    """A turn's text with ``{验证码}`` replaced by the last one-time code the demo sender "sent" in the
    case (read where an agent reads it in a demo: bot.identity's outbox), as a customer types it."""
    if CODE_SLOT not in text:
        return text
    from bot.identity import demo_outbox

    sent = demo_outbox(bot.parts.engine.identity, bot.case_view(session).case_id)
    return text.replace(CODE_SLOT, sent[-1].code if sent else NO_CODE)


def _records_blob(bot: Any, home: Path) -> tuple[bytes, bool | None]:
    import json

    parts = [(home / name).read_bytes() for name in RECORD_FILES if (home / name).exists()]
    records = bot.records
    parts.append(json.dumps(list(records.dump()), ensure_ascii=False, default=str).encode("utf-8"))
    return b"\n".join(parts), bool(records.verify().ok)


def run_transcript(dialogue: Dialogue, settings: Settings) -> Transcript:
    """Play one dialogue against a fresh engine; an engine exception ends the dialogue, masked."""
    from bot.service import CsBot

    transcript = Transcript(dialogue=dialogue, planted_pii=planted_pii(dialogue))
    bot: Any = None
    try:
        bot = CsBot(settings, drafter=settings.drafter)  # a pinned drafter may be misconfigured
        session = bot.new_session()
        for index, turn in enumerate(dialogue.turns):
            transcript.turns.append(_turn_result(bot, session, index, with_code(bot, session, turn.text)))
        transcript.records_blob, transcript.records_ok = _records_blob(bot, settings.home)
        transcript.llm_requests = [str(body) for body in bot.llm_requests]
    except Exception as error:  # the engine must never raise; when it does, the report says so
        transcript.error = _masked(f"{type(error).__name__}: {error}")[:500]
    finally:
        if bot is not None:
            with suppress(Exception):
                bot.close()
    return transcript


def warm_up(root: Path, base: Settings, index_dir: Path | None) -> None:
    """One untimed turn first: lazy loads (tokeniser dictionaries, classifiers) must not count as
    the first dialogue's latency. Template drafter (an LLM is not called); the home is thrown away."""
    from bot.service import CsBot

    home = Path(tempfile.mkdtemp(prefix="warm-up-", dir=root))
    if index_dir is not None:
        (home / "index").symlink_to(index_dir.resolve(), target_is_directory=True)
    bot = CsBot(dialogue_settings(base, home, "template"))
    try:
        bot.handle(Turn(session=bot.new_session(), text="你好，我想咨询一下退货"))
    finally:
        bot.close()
    shutil.rmtree(home, ignore_errors=True)


def _implicit_specs(dialogue: Dialogue) -> list[ExpectationSpec]:
    declared = {spec.name for spec in dialogue.expect}
    return [ExpectationSpec(name, value, dialogue.line) for name, value in IMPLICIT if name not in declared]


def evaluate(transcript: Transcript) -> DialogueResult:
    outcomes = assertions.check_all(transcript)
    outcomes += [assertions.check(spec, transcript) for spec in _implicit_specs(transcript.dialogue)]
    return DialogueResult(transcript.dialogue, transcript, outcomes)


def run_dialogues(
    dialogues: Sequence[Dialogue],
    base: Settings,
    *,
    index_dir: Path | None,
    drafter: str | None = None,
    progress: Progress | None = None,
    load_errors: Iterable[str] = (),
    keep_homes: Path | None = None,
) -> RunResult:
    """Run every dialogue in its own home; the summary covers them all."""
    started = datetime.now(UTC).isoformat(timespec="seconds")
    run_drafter = drafter or base.drafter
    root = Path(tempfile.mkdtemp(prefix="csbot-eval-", dir=keep_homes))
    results: list[DialogueResult] = []
    try:
        if dialogues:
            warm_up(root, base, index_dir)
        for dialogue in dialogues:
            home = prepare_home(root, dialogue, index_dir)
            settings = dialogue_settings(base, home, dialogue.drafter or run_drafter)
            result = evaluate(run_transcript(dialogue, settings))
            results.append(result)
            if progress is not None:
                progress(result)
    finally:
        if keep_homes is None:
            shutil.rmtree(root, ignore_errors=True)
    errors = list(load_errors)
    summary = metrics.summarise(results)
    summary["load_errors"] = len(errors)
    return RunResult(
        dialogues=results,
        summary=summary,
        drafter=run_drafter,
        load_errors=errors,
        started_at=started,
    )
