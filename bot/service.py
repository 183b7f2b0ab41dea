"""``CsBot``: the one object the CLI, the web app and the eval runner talk to.

It opens the long-lived parts lazily (engine, drafter, records, vault, searcher) and keeps no
per-case state in memory: every turn loads the case from the records database and saves it back
in the same transaction as its record, so sessions survive restarts and several processes can
serve them. A turn that lost a race with another process is simply run again.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot import customer_events, handover, pipeline, stages
from bot.agent_check import AgentCheck, check_agent_text
from bot.drafting import make_drafter
from bot.engine import CaseState
from bot.ownership import NOTE, RELEASE, TAKE, owner_in
from bot.pipeline import TracedReply, handle_turn
from bot.records import CaseConflict, RecordStore
from bot.records.anchor import anchored_store
from bot.records.bodies import VERIFY, transcript
from bot.session_locks import SessionLocks
from bot.settings import Settings
from bot.shared_parts import BOOK_KEY_FILE, Parts
from bot.types import Actor, Reply, Turn
from bot.understand.assisted import fact_reader_for

_ATTEMPTS = 3
T = TypeVar("T")
MAX_SESSION_CHARS = 80  # the records' session column
MAX_REASON_CHARS = 500  # an agent's note on why a conversation ended


def _retry_on_conflict(attempt: Callable[[], T]) -> T:
    """Run one load → decide → record attempt; if another process wrote the same case first
    (CaseConflict), start again from a fresh load, at most ``_ATTEMPTS`` times."""
    for number in range(_ATTEMPTS):
        try:
            return attempt()
        except CaseConflict:
            if number == _ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _with_orders(engine: Any, settings: Settings, vault: Any = None) -> Any:
    """The engine, connected to the demo order system when one was loaded (``csbot orders load``), and
    to the vault for a look-up by the phone number a customer gave (bot/phone_lookup.py): the value of
    one of the case's own placeholders, each reveal audited (actor and reason, never the value)."""
    from bot.orders import open_orders
    from bot.verification import rules

    engine.orders = open_orders(settings.home)
    if vault is not None:
        actor, reason = str(rules()["reveal_actor"]), str(rules()["reveal_reason"])
        engine.reveal = lambda case_id, placeholder: vault.reveal(case_id, placeholder, actor=actor, reason=reason)
    return engine


def _event_field(value: object, name: str, limit: int) -> str:
    """A short label for a case event (notice version, channel, agent): printable text, never empty."""
    if not isinstance(value, str) or not 0 < len(value.strip()) <= limit or not value.isprintable():
        raise ValueError(f"{name} is 1-{limit} printable characters")
    return value.strip()


@dataclass(frozen=True)
class CaseView:
    """Where a case stands, for the agent copilot and the QA console (all text masked)."""

    case_id: str
    session: str
    procedure: str
    procedure_name: str
    step: str
    steps_done: tuple[str, ...]
    slots: dict[str, str]
    missing_slots: tuple[str, ...]
    escalated: bool
    escalation_reason: str | None
    transcript: tuple[dict[str, Any], ...]
    last_rails: tuple[dict[str, Any], ...] = ()
    last_passages: tuple[dict[str, Any], ...] = ()
    turns: int = 0
    slot_labels: dict[str, str] = field(default_factory=dict)
    verified: dict[str, dict[str, str]] = field(default_factory=dict)  # slot → {by, how, at} (bot/verification.py)


class CsBot:
    """The conversation engine behind every front end."""

    def __init__(self, settings: Settings, *, drafter: str | None = None) -> None:
        self.settings = settings
        self.drafter = make_drafter(settings, drafter)  # fails fast, with how to fix, on a bad LLM config
        self.fact_reader = fact_reader_for(settings)  # None unless an LLM endpoint is configured
        self._parts: Parts | None = None
        self._lock = threading.Lock()
        self._sessions = SessionLocks()

    def session_lock(self, session: str) -> AbstractContextManager[None]:
        """Held while a turn of this session runs: its turns never race inside this process."""
        return self._sessions.hold(session)

    # --- parts ---------------------------------------------------------------------------------
    @property
    def parts(self) -> Parts:
        with self._lock:
            if self._parts is None:
                self._parts = self._open_parts()
            return self._parts

    def _open_parts(self) -> Parts:
        from bot.drafting.template import TemplateBook
        from bot.engine import Engine
        from bot.identity import open_identity
        from bot.reply_elements import load_elements
        from guardrails.pii import default_registry, open_vault
        from knowledge.index import index_exists

        self.settings.home.mkdir(parents=True, exist_ok=True)
        searcher, note = None, "no search index; run `csbot index build`"
        if index_exists(self.settings.search_config):
            from knowledge.search import Searcher

            searcher, note = Searcher(self.settings.search_config), ""
        vault = open_vault(self.settings.vault_config)  # safe when processes open it at once (creates tables)
        parts = Parts(
            settings=self.settings,
            engine=_with_orders(Engine.load(self.settings.escalate_after_turns), self.settings, vault),
            drafter=self.drafter,
            templates=TemplateBook.load(),
            elements=load_elements(),
            records=anchored_store(self.settings),  # checkpointed outside the database at every case close
            vault=vault,
            book_key=self.settings.key_file_secret(BOOK_KEY_FILE),
            pii_registry=default_registry(),
            searcher=searcher,
            search_note=note,
            fact_reader=self.fact_reader,
        )
        parts.engine.identity = open_identity(self.settings, parts.vault)  # needs the vault: contacts are read there
        return parts

    @property
    def records(self) -> RecordStore:
        return self.parts.records

    @property
    def llm_requests(self) -> list[str]:
        return [*getattr(self.drafter, "request_log", ()), *getattr(self.fact_reader, "request_log", ())]

    def warm_up(self) -> None:
        """Pay the first-use costs before the first customer does: open the parts, train the input
        rails' classifier, load the name model and the segmenter's dictionary, the embedding model and
        the vectors (``csbot serve`` calls this)."""
        from guardrails.rails import check_input

        check_input("您好")
        sample = "我叫张伟，电话13800138000，住在北京市海淀区中关村大街1号"
        self.parts.draft_masker().mask(sample)  # a draft masker has no vault: nothing is kept
        if self.parts.searcher is not None:
            self.parts.searcher.search("退货", top_k=1)

    def close(self) -> None:
        if self._parts is not None:
            self._parts.records.close()
            if self._parts.engine.identity is not None:
                self._parts.engine.identity.codes.close()
        closer = getattr(self.drafter, "close", None)
        if closer is not None:
            closer()
        if self.fact_reader is not None:
            self.fact_reader.close()

    # --- sessions ------------------------------------------------------------------------------
    def new_session(self) -> str:
        return uuid.uuid4().hex

    def _load(self, session: str) -> tuple[CaseState, int | None]:
        if not isinstance(session, str) or not 0 < len(session) <= MAX_SESSION_CHARS or not session.isprintable():
            raise ValueError(f"a session id is 1-{MAX_SESSION_CHARS} printable characters; get one from new_session()")
        stored = self.parts.records.load_case(session)
        if stored is None:
            return self.parts.engine.open_case(session), None
        return CaseState.from_dict(stored.state), stored.version

    def _in_session(self, session: str, work: Callable[[CaseState, int | None], T]) -> T:
        """Run one turn of any kind: the session's lock held, its case loaded, the whole attempt run
        again from a fresh load when another process recorded this case first."""
        with self.session_lock(session):
            return _retry_on_conflict(lambda: work(*self._load(session)))

    def handle(self, turn: Turn) -> Reply:
        """A customer message in, a checked reply out; an agent's message goes to ``agent_send``."""
        return self.trace_turn(turn).reply

    def trace_turn(self, turn: Turn) -> TracedReply:
        """``handle``, with the trace of what the turn decided (for eval and bench); nothing is kept."""
        if turn.actor == "agent":
            return self._agent_turn(turn.session, turn.agent_id or "agent", turn.text)
        if not isinstance(turn.text, str | bytes):
            turn = Turn(turn.session, "", turn.actor, turn.agent_id)

        def run(state: CaseState, version: int | None) -> TracedReply:
            held = handover.owner(self.parts.records.for_session(turn.session)) != "bot"  # an agent answers
            return (
                TracedReply(*handover.held_turn(self.parts, turn, state, version))
                if held
                else handle_turn(self.parts, turn, state, version)
            )

        return self._in_session(turn.session, run)

    # --- copilot and hand-over -----------------------------------------------------------------
    def suggest(self, session: str, variant: int = 0) -> Reply:
        """Draft the next reply for an agent to edit; nothing is sent, recorded or advanced.

        On an escalated case the draft is what the agent would say, not the bot's holding line: the
        case is drafted as if open, so it answers the customer's last message with the facts and the
        grounds. ``variant`` > 0 asks for another wording: the templates' next variant, and every other
        one from the other drafter when an LLM drafts.
        """
        state, _ = self._load(session)
        return pipeline.suggest_turn(self.parts, state, self._drafter_for(variant), variant).reply

    def _drafter_for(self, variant: int) -> Any:
        """Every other variant comes from the other drafter (the templates when an LLM drafts)."""
        from bot.drafting.template import TemplateDrafter

        if variant % 2 == 1 and self.drafter.name != "template":
            return TemplateDrafter(self.parts.templates)
        return self.drafter

    def check_agent_text(self, session: str, text: str) -> AgentCheck:
        """The output rails' objections to an agent's text, as typed; nothing is changed or recorded."""
        state, _ = self._load(session)
        cleaned, _ = stages.clean_input(text)
        outcome = pipeline.standing_still(self.parts, state)
        context = stages.output_context(self.parts, state, outcome, pipeline.last_customer_text(self.parts, session))
        return check_agent_text(cleaned, context)

    def agent_send(self, session: str, agent_id: str, text: str) -> Reply:
        """An agent's reply, sent exactly as typed: the output rails check it (``check_agent_text``, shown
        to the agent before sending) and their verdicts are recorded with it, but they rewrite nothing.
        The record keeps the text masked, like any text a person typed (``bot.pipeline.agent_turn``)."""
        return self._agent_turn(session, agent_id, text).reply

    def _agent_turn(self, session: str, agent_id: str, text: str) -> TracedReply:
        turn = Turn(session, text, "agent", agent_id)
        return self._in_session(session, lambda state, version: pipeline.agent_turn(self.parts, turn, state, version))

    def escalate(self, session: str, reason: str, actor: str = "customer") -> Reply:
        """Hand the case to a human now and tell the customer so."""
        who: Actor = actor if actor in ("customer", "agent", "system") else "system"  # type: ignore[assignment]
        return self._in_session(
            session, lambda state, version: pipeline.escalation_turn(self.parts, session, reason, who, state, version)
        ).reply

    def erase_personal_data(self, session: str, actor: str = "system", reason: str = "个保法第四十七条删除") -> int:
        """Erase the case's personal data from the vault; the records (masked) and their chain stay intact.

        The erasure itself is written down as a record, so the 书面记录 shows when and why it happened.
        """
        state, _ = self._load(session)
        masked_reason = self.parts.scrub(state, reason)  # typed by a person: recorded masked, like any text
        erased = self.parts.vault.delete_conversation(state.case_id, actor=actor, reason=masked_reason)
        self._append_event(session, "system", "erasure", {"erased_values": erased}, masked_reason)
        return int(erased)

    # --- case events -------------------------------------------------------------------------
    def record_consent(self, session: str, notice_version: str, channel: str) -> None:
        """Write the customer's consent to the privacy notice (《个人信息保护法》第十四条、第十七条) into the
        hash chain, so the 书面记录 itself shows which notice version was agreed to, where and when."""
        fields = {
            "notice_version": _event_field(notice_version, "notice_version", 40),
            "channel": _event_field(channel, "channel", 16),
        }
        self._append_event(session, "customer", "consent", fields)

    def end_conversation(self, session: str, actor: str, reason: str | None = None) -> None:
        """Write that an agent (or the system, ``actor="system"``) ended the conversation; a reason is
        typed by a person, so it is masked before it is stored, like an escalation reason."""
        who = _event_field(actor, "actor", 40)
        if reason is not None and (not isinstance(reason, str) or len(reason) > MAX_REASON_CHARS):
            raise ValueError(f"an end reason is text of at most {MAX_REASON_CHARS} characters")
        fields: dict[str, Any] = {"ended_by": who}
        if who != "system":
            fields["agent_id"] = who
        self._append_event(session, "system" if who == "system" else "agent", "end", fields, (reason or "").strip())

    def case_owner(self, session: str) -> str | None:
        """The agent who owns this session's case now, or None (see ``bot.ownership``)."""
        return owner_in(self.parts.records.for_session(session))

    def take_case(self, session: str, agent_id: str) -> None:
        """An agent takes the case over (from the bot, or from another agent); recorded in the chain."""
        who = _event_field(agent_id, "agent_id", 40)
        if self.case_owner(session) != who:
            self._append_event(session, "agent", TAKE, {"agent_id": who})

    def release_case(self, session: str, agent_id: str) -> None:
        """The owning agent hands the case back to the queue (and the bot)."""
        who = _event_field(agent_id, "agent_id", 40)
        if self.case_owner(session) == who:
            self._append_event(session, "agent", RELEASE, {"agent_id": who})

    def add_note(self, session: str, agent_id: str, text: str) -> None:
        """An internal note on the case: recorded (masked) for staff, never shown to the customer."""
        who = _event_field(agent_id, "agent_id", 40)
        if not isinstance(text, str) or not 0 < len(text.strip()) <= MAX_REASON_CHARS:
            raise ValueError(f"a note is 1-{MAX_REASON_CHARS} characters")
        self._append_event(session, "agent", NOTE, {"agent_id": who}, note=text.strip())

    def verify_facts(
        self, session: str, agent_id: str, facts: Sequence[str], values: Mapping[str, str] | None = None
    ) -> dict[str, dict[str, str]]:
        """An agent confirms stated facts as verified (or enters the value they checked, e.g. from a receipt):
        the case state and a ``verify`` record (who, what, when; values masked) are written together, so the
        engine treats the facts as verified from the next turn on. Returns the case's verified facts.
        Raises ``VerifyError`` (Chinese, for the agent) for an unknown fact or one without a value."""
        from bot.verification import VerifyError, confirm_by_agent

        who = _event_field(agent_id, "agent_id", 40)
        if self.parts.records.load_case(session) is None:
            raise VerifyError("该会话还没有案件，无法核对。")

        def change(state: CaseState) -> dict[str, Any]:
            typed = {key: self.parts.scrub(state, str(value)) for key, value in (values or {}).items() if value}
            entries = confirm_by_agent(self.parts.engine, state, who, list(facts), typed)
            return {"agent_id": who, "facts": entries}

        state = self._append_event(session, "agent", VERIFY, {}, change=change)
        return dict(state.verified)

    def record_satisfaction(self, session: str, rating: str) -> None:
        """The customer's answer to the satisfaction question at the close, written with the case."""
        if rating not in customer_events.ratings():
            raise ValueError(f"rating is one of {', '.join(customer_events.ratings())}")
        self._append_event(session, "customer", "satisfaction", {"rating": rating})

    def record_attachment(self, session: str, fields: dict[str, Any]) -> None:
        """A file the customer sent (stored beside the records): the chain keeps its id, masked name, type,
        size and SHA-256, never its bytes."""
        state, _ = self._load(session)
        named = {**fields, "name": self.parts.scrub(state, str(fields["name"]))}
        self._append_event(session, "customer", "attachment", named)

    def _append_event(
        self,
        session: str,
        actor: str,
        kind: str,
        fields: dict[str, Any],
        reason: str = "",
        note: str = "",
        change: Callable[[CaseState], dict[str, Any]] | None = None,
    ) -> CaseState:
        """One insert-only record of a case event, written with the case state like a turn (retried on a
        race); ``change`` updates the loaded state and returns more body fields (an agent's verification)."""

        def attempt() -> CaseState:
            state, version = self._load(session)
            body = {**fields, "step_before": state.step, "step_after": state.step}
            if change is not None:
                body.update(change(state))
            if reason:
                body["reason"] = self.parts.scrub(state, reason)
            if note:
                body["note"] = self.parts.scrub(state, note)
            self.parts.records.append(
                session=session,
                case_id=state.case_id,
                actor=actor,
                kind=kind,
                body=body,
                case_state=state.to_dict(),
                expected_version=version,
            )
            return state

        with self.session_lock(session):
            return _retry_on_conflict(attempt)

    # --- views ---------------------------------------------------------------------------------
    def case_view(self, session: str) -> CaseView:
        state, _ = self._load(session)
        rows = self.parts.records.for_session(session)
        exchanges = [row["body"] for row in rows if "verdicts" in row["body"]]  # not consent, end or other events
        last: dict[str, Any] = exchanges[-1] if exchanges else {}
        procedure = self.parts.engine.procedures[state.procedure]
        return CaseView(
            case_id=state.case_id,
            session=session,
            procedure=state.procedure,
            procedure_name=procedure.name,
            step=state.step,
            steps_done=tuple(state.steps_done),
            slots=dict(state.slots),
            missing_slots=self.parts.engine.missing(state),
            escalated=state.escalated,
            escalation_reason=state.escalation_reason,
            transcript=tuple(message.to_json() for message in transcript(rows)),
            last_rails=tuple([*last.get("input_flags", ()), *last.get("verdicts", ())]),
            last_passages=tuple(last.get("sources", ())),
            turns=state.turns,
            slot_labels={k: spec.label for k, spec in self.parts.slot_specs.items()},
            verified=dict(state.verified),
        )
