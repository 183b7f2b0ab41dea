"""The offline drafter: replies assembled from step templates (bot/templates/*.yaml).

A reply covers every step the case entered during the turn (受理 with the case number, 初步处理
with the responsibility finding, …), then asks for what is still missing, then quotes the
strongest retrieved passage with its citation. Each template has variants; the choice is a hash
of case, template and turn, so a case reads naturally and a test run is reproducible.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, RootModel

from bot.drafting.base import DraftContext, register
from bot.settings import Settings
from bot.types import STEP_IDS, Draft
from knowledge.datafile import DataError, load_model
from knowledge.types import Passage

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
COMMON = "_common"
_GROUNDED_STEPS = ("triage", "resolve", "record")
_QUOTE_CHARS = 60
_SENTENCE_END = re.compile(r"[。；！？]")


_SPECIAL_KEYS = ("ask", "ask_more", "closed", "empty", "escalated", "escalated_waiting", "grounds", "grounds_plain")


def _template_key(key: str) -> str:
    """A step id, ``step.outcome`` (a step's wording for one outcome), or a key the drafter uses."""
    if key in _SPECIAL_KEYS or key.split(".", 1)[0] in STEP_IDS:
        return key
    steps, special = ", ".join(STEP_IDS), ", ".join(_SPECIAL_KEYS)
    raise ValueError(f"未知的模板「{key}」：应为步骤（{steps}）、步骤.结果，或 {special}")


TemplateKey = Annotated[str, AfterValidator(_template_key)]


class TemplateFile(RootModel[dict[TemplateKey, Annotated[list[str], Field(min_length=1)]]]):
    """bot/templates/*.yaml: each template key maps to its non-empty list of variants."""


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class TemplateBook:
    """Template variants by (procedure id, key); a procedure's own file wins over ``_common``."""

    books: dict[str, dict[str, tuple[str, ...]]]

    @classmethod
    def load(cls, directory: Path = TEMPLATES_DIR) -> TemplateBook:
        books: dict[str, dict[str, tuple[str, ...]]] = {}
        for path in sorted(directory.glob("*.yaml")):
            model = load_model(path, TemplateFile)
            books[path.stem] = {key: tuple(variants) for key, variants in model.root.items()}
        if COMMON not in books:
            raise DataError(f"{directory}: {COMMON}.yaml is missing")
        return cls(books)

    def variants(self, procedure_id: str, key: str) -> tuple[str, ...] | None:
        return self.books.get(procedure_id, {}).get(key) or self.books[COMMON].get(key)

    def has(self, procedure_id: str, key: str) -> bool:
        return self.variants(procedure_id, key) is not None

    def render(self, context: DraftContext, key: str, **extra: str) -> str:
        variants = self.variants(context.procedure_id, key)
        if variants is None:
            raise DataError(f"no template '{key}' for procedure '{context.procedure_id}'")
        # a per-case start, then one step per turn: two replies in a row never use the same variant
        seed = f"{context.case_id}|{key}".encode()
        chosen = variants[(int(hashlib.sha256(seed).hexdigest(), 16) + context.turn_no) % len(variants)]
        return chosen.format_map(_Blank({**context.fields, **extra}))


def quote(passage: Passage) -> str | None:
    """The opening words of a passage, quotable verbatim (the citation rail compares them with the source).

    Cut at a clause boundary and never end with an ellipsis, which would not match the source;
    a sentence that itself contains quotation marks is not quoted at all (None).
    """
    text = " ".join(passage.text.split())
    match = _SENTENCE_END.search(text)
    sentence = text[: match.start() + 1] if match else text
    if any(mark in sentence for mark in '“”「」"'):
        return None
    if len(sentence) <= _QUOTE_CHARS:
        return sentence
    head = sentence[:_QUOTE_CHARS]
    cut = max(head.rfind(mark) for mark in "，；：、")  # never end inside a word (…履行期限和方式、安)
    return head[:cut] if cut > _QUOTE_CHARS // 3 else head


class TemplateDrafter:
    """Deterministic Chinese replies from templates; needs nothing but the repository."""

    name = "template"

    def __init__(self, book: TemplateBook | None = None) -> None:
        self.book = book or TemplateBook.load()

    def draft(self, context: DraftContext) -> Draft:
        return Draft(text="".join(self.sections(context)), drafter=self.name, passages=context.passages)

    def sections(self, context: DraftContext) -> list[str]:
        sections = [self._step_text(context, step) for step in context.entered]
        negotiating = bool(context.fields.get("negotiating"))
        if not context.entered and not context.closed and not context.escalated and not negotiating:
            sections.append(self._step_text(context, context.step))
        sections.append(context.fields.get("notes", ""))  # side answers, a way round, a negotiation
        if context.escalated_now:
            sections.append(self.book.render(context, "escalated"))
        elif context.escalated:
            sections.append(self.book.render(context, "escalated_waiting"))
        elif context.closed:
            sections.append(self.book.render(context, "closed"))
        elif context.asks:
            first = "empty" if context.empty_input else "ask"
            sections.append(self.book.render(context, first, ask=context.asks[0]))
            sections.extend(self.book.render(context, "ask_more", ask=ask) for ask in context.asks[1:2])
        rights = context.fields.get("rights", "")  # issue 11: the rule's central article, statute first
        if rights and (not context.escalated or context.escalated_now):  # the handover states it once
            sections.append(rights)
        grounded = [s for s in (*context.entered, context.step) if s in _GROUNDED_STEPS]
        passages = [p for p in context.passages if p.source == "policy"] if rights else context.passages
        if grounded and passages and not context.escalated:
            passage = passages[0]
            words = quote(passage)
            key = "grounds" if words else "grounds_plain"
            sections.append(self.book.render(context, key, label=passage.label, quote=words or ""))
        return sections

    def _step_text(self, context: DraftContext, step: str) -> str:
        outcome = context.fields.get("outcome", "")
        key = f"{step}.{outcome}" if outcome and self.book.has(context.procedure_id, f"{step}.{outcome}") else step
        later = context.entered[context.entered.index(step) + 1 :] if step in context.entered else ()
        if step == "investigate" and (not context.fields.get("facts") or later):
            return ""  # nothing to repeat yet, or the next step's text repeats the facts anyway
        return self.book.render(context, key)


@register("template")
def _make(settings: Settings) -> TemplateDrafter:
    return TemplateDrafter()
