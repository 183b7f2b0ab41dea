"""The long-lived parts one bot process needs for every turn, opened once and shared by sessions.

Nothing here holds per-case state: that lives in ``CaseState`` (stored in the records database),
so any process can continue any session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.drafting.base import Drafter
from bot.drafting.template import TemplateBook
from bot.engine import CaseState, Engine
from bot.records import RecordStore
from bot.reply_elements import ElementSpec
from bot.settings import Settings
from bot.slots import SlotSpec

if TYPE_CHECKING:
    from guardrails.pii import Masker, Vault

BOOK_KEY_FILE = "placeholder_book.key"


@dataclass
class Parts:
    settings: Settings
    engine: Engine
    drafter: Drafter
    templates: TemplateBook
    elements: dict[str, ElementSpec]
    records: RecordStore
    vault: Vault
    book_key: bytes
    pii_registry: Any = None  # guardrails.pii.RecognizerRegistry, built once
    searcher: Any = None  # knowledge.search.Searcher, or None when no index has been built
    search_note: str = ""
    fact_reader: Any = None  # bot.understand.assisted.FactReader when an LLM endpoint is configured

    @property
    def slot_specs(self) -> dict[str, SlotSpec]:
        return self.engine.slot_specs

    def masker(self, state: CaseState) -> Masker:
        """The case's masker: its placeholder book restored, values going to the vault under the case id."""
        from guardrails.pii import Masker, PlaceholderBook

        book = (
            PlaceholderBook.from_dict(state.placeholders, key=self.book_key)
            if state.placeholders
            else PlaceholderBook(self.book_key)
        )
        return Masker(
            self.settings.pii_operator,
            book=book,
            vault=self.vault,
            conversation_id=state.case_id,
            hash_key=self.book_key,
            registry=self.pii_registry,
        )

    def mask_known_names(self, state: CaseState, text: str) -> str:
        """``text`` with the names this case has seen masked even where no cue marks them (欧阳娜娜您好)."""
        from guardrails.pii import PlaceholderBook
        from guardrails.pii.known_names import mask_known_names

        if not state.placeholders:
            return text
        return mask_known_names(text, PlaceholderBook.from_dict(state.placeholders, key=self.book_key))

    def scrub(self, state: CaseState, text: str) -> str:
        """Text an agent, a drafter or an endpoint wrote, as it may be recorded: known names and every
        detected kind of personal data masked."""
        return self.draft_masker().mask(self.mask_known_names(state, text)).text

    def draft_masker(self) -> Masker:
        """A masker for drafts before they are recorded: an untrusted LLM may have written personal data."""
        from guardrails.pii import Masker

        return Masker("placeholder", hash_key=self.book_key, registry=self.pii_registry)
