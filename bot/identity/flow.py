"""The identity check in a conversation: send a code, read it back, verify or hand to a human.

``take_code`` runs on the customer's text before it is masked: while the case has a code, a typed
code is cut out and replaced by ``[验证码]``, so it reaches neither the records, the logs nor an LLM.
``advance`` wraps ``Engine.advance``: the right code fills the ``identity`` slot (verified, by=code)
before the engine moves, so the request goes on in the same turn; after it moves, a case waiting
for its identity gets a code sent to the address the customer gave (read from the PII vault, the
read audited), or is handed to a human. Nothing else ever fills ``identity``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field

from bot.identity.codes import FAILED, PENDING, Check, Checked, CodeStore
from bot.identity.senders import Channel, CodeSender, Recipient, SendError
from knowledge.datafile import DataModel, Regex, load_model

if TYPE_CHECKING:
    from bot.engine import CaseState, Engine, StepOutcome
    from guardrails.types import MaskedText, RailFlag

IDENTITY_FILE = Path(__file__).resolve().parent.parent / "config" / "identity.yaml"
IDENTITY_SLOT, CONTACT_SLOT = "identity", "identity_contact"
CODE_MARK = "[验证码]"
VAULT_ACTOR, VAULT_REASON = "csbot-identity", "发送一次性验证码（个人信息请求的身份核验）"


class IdentityNotes(DataModel):
    sent: str
    resent: str
    waiting: str
    wrong: str
    verified: str
    exhausted: str
    expired: str
    no_contact: str
    send_failed: str
    no_sender: str
    resend_limit: str


class IdentityRules(DataModel):
    """bot/config/identity.yaml."""

    code_digits: int = Field(ge=4, le=10)
    ttl_minutes: int = Field(ge=1, le=60)
    max_attempts: int = Field(ge=1, le=10)
    max_sends: int = Field(ge=1, le=10)
    verified_value: str
    message: str
    channels: dict[str, str]
    resend_words: Regex
    no_contact_words: Regex
    notes: IdentityNotes


@cache
def identity_rules() -> IdentityRules:
    return load_model(IDENTITY_FILE, IdentityRules)


def _channel(placeholder: str) -> Channel | None:
    """phone or email, from the placeholder's label ([手机号1], [邮箱1])."""
    from guardrails.pii import TYPE_LABELS_ZH

    kinds: tuple[Channel, ...] = ("phone", "email")
    return next((kind for kind in kinds if placeholder.startswith(f"[{TYPE_LABELS_ZH[kind]}")), None)


class IdentityCheck:
    """Codes (a ``CodeStore``), a ``CodeSender`` (None: every identity goes to a human) and the vault."""

    def __init__(self, codes: CodeStore, sender: CodeSender | None, vault: Any) -> None:
        self.codes, self.sender, self.vault = codes, sender, vault
        self.rules = identity_rules()
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        # 6 digits, as typed: 513250, 513 250, full-width ５１３２５０ (never inside a longer number)
        self._code = re.compile(rf"(?<!\d)\d(?:[ \t]?\d){{{self.rules.code_digits - 1}}}(?!\d)")

    # --- before masking -----------------------------------------------------------------------
    def take_code(self, state: CaseState, text: str) -> tuple[str, str | None]:
        """The text with any code-like number replaced by ``[验证码]``, and the first one (ASCII digits)."""
        if self.codes.status(state.case_id) is None:
            return text, None
        found = self._code.search(text)
        if found is None:
            return text, None
        typed = re.sub(r"\s", "", unicodedata.normalize("NFKC", found.group(0)))
        return self._code.sub(CODE_MARK, text), typed

    # --- around the engine --------------------------------------------------------------------
    def check(self, state: CaseState, code: str | None) -> Checked | None:
        if code is None or state.slots.get(IDENTITY_SLOT) or state.escalated:
            return None
        checked = self.codes.check(state.case_id, code, self.clock())
        if checked.result is Check.RIGHT:
            state.slots[IDENTITY_SLOT] = self.rules.verified_value
            state.verified[IDENTITY_SLOT] = {"by": "code", "at": self.clock().isoformat(timespec="seconds")}
        return checked

    def after(
        self, engine: Engine, state: CaseState, outcome: StepOutcome, masked: MaskedText, checked: Checked | None
    ) -> StepOutcome:
        """Say what the check found; send a code to a case that waits for one, or hand it to a human."""
        notes, reason = self._checked_notes(checked)
        if reason is None and not state.escalated and self._waiting(engine, state):
            reason = self._contact(state, masked, notes, typed=checked is not None)
        if reason is not None and not state.escalated:
            notes.append(getattr(self.rules.notes, reason).format(**self._numbers(state)))
            state.escalated, state.escalation_reason, state.last_asks = True, f"identity_{reason}", []
            return replace(
                outcome,
                notes=(*outcome.notes, *notes),
                escalated_now=True,
                escalation_reason=state.escalation_reason,
            )
        return replace(outcome, notes=(*outcome.notes, *notes))

    def _checked_notes(self, checked: Checked | None) -> tuple[list[str], str | None]:
        if checked is None or checked.result is Check.NONE:
            return [], None
        if checked.result is Check.RIGHT:
            return [self.rules.notes.verified], None
        if checked.result is Check.WRONG:
            return [self.rules.notes.wrong.format(left=checked.left)], None
        return [], checked.result.value  # exhausted / expired

    def _numbers(self, state: CaseState) -> dict[str, object]:
        return {
            "attempts": self.rules.max_attempts,
            "minutes": self.rules.ttl_minutes,
            "sends": self.codes.sends(state.case_id),
            "digits": self.rules.code_digits,
        }

    @staticmethod
    def _waiting(engine: Engine, state: CaseState) -> bool:
        """The case's step needs the customer's identity, and it is not verified yet."""
        step = engine.procedures[state.procedure].step(state.step)
        return IDENTITY_SLOT in step.required_slots and not state.slots.get(IDENTITY_SLOT)

    def _contact(self, state: CaseState, masked: MaskedText, notes: list[str], typed: bool) -> str | None:
        """Send the first code, another on 重发 or to a new address; or the reason for a human."""
        from bot.facts import dialogue_rules

        if self.sender is None:
            return "no_sender"
        text, contact = masked.text, state.slots.get(CONTACT_SLOT)
        if not contact or _channel(contact) is None:
            no_contact = re.search(self.rules.no_contact_words, text)
            asked_out = state.asked.get(CONTACT_SLOT, 0) > int(dialogue_rules()["max_asks"])
            return "no_contact" if no_contact or asked_out else None
        status = self.codes.status(state.case_id)
        if status == FAILED:
            return "exhausted"
        if status == PENDING and typed:
            return None  # the wrong-code note says what next
        # 号码输错了，是… : the customer gave another address (the slot takes the newest); a code goes there
        readdressed = status == PENDING and self.codes.recipient(state.case_id) != contact
        if status == PENDING and not readdressed and not re.search(self.rules.resend_words, text):
            notes.append(self.rules.notes.waiting.format(recipient=contact, **self._numbers(state)))
            return None
        if status == PENDING and self.codes.sends(state.case_id) >= self.rules.max_sends:
            return "resend_limit"
        return self._send(state, contact, notes, again=status == PENDING)

    def _send(self, state: CaseState, contact: str, notes: list[str], again: bool) -> str | None:
        from guardrails.pii import VaultError

        assert self.sender is not None  # _contact returned no_sender otherwise
        channel = _channel(contact)
        try:
            address = self.vault.reveal(state.case_id, contact, actor=VAULT_ACTOR, reason=VAULT_REASON)
        except VaultError:
            return "no_contact"  # erased, or never stored
        issued = self.codes.issue(state.case_id, contact, self.clock())
        message = self.rules.message.format(code=issued.code, minutes=self.rules.ttl_minutes)
        try:
            self.sender.send(state.case_id, Recipient(channel or "phone", address, contact), message, issued.code)
        except SendError:
            self.codes.withdraw(state.case_id)
            return "send_failed"
        wording = self.rules.notes.resent if again else self.rules.notes.sent
        notes.append(
            wording.format(
                channel=self.rules.channels.get(channel or "phone", ""),
                recipient=contact,
                minutes=self.rules.ttl_minutes,
                digits=self.rules.code_digits,
            )
        )
        return None


def take_code(identity: IdentityCheck | None, state: CaseState, text: str) -> tuple[str, str | None]:
    """``IdentityCheck.take_code`` when identity checks are on; the text unchanged otherwise."""
    return (text, None) if identity is None else identity.take_code(state, text)


def advance(
    engine: Engine,
    state: CaseState,
    masked: MaskedText,
    flags: Sequence[RailFlag],
    code: str | None,
    proposed: Mapping[str, str] | None = None,
) -> StepOutcome:
    """``Engine.advance`` with the identity check around it (``engine.identity``, when set);
    ``proposed``: the LLM's checked facts, passed on (they never include the identity)."""
    identity: IdentityCheck | None = engine.identity
    if identity is None:
        return engine.advance(state, masked, flags, proposed=proposed)
    checked = identity.check(state, code)
    outcome = engine.advance(state, masked, flags, proposed=proposed)
    return identity.after(engine, state, outcome, masked, checked)
