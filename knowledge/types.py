"""Values the knowledge layer hands to the rest of the product."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SourceKind = Literal["statute", "policy", "document"]


@dataclass(frozen=True)
class Passage:
    """One retrieved piece of knowledge with where it comes from.

    A statute passage has ``law`` (full name, e.g. 中华人民共和国消费者权益保护法) and ``article``;
    a policy or imported-document passage has ``doc`` (document title) and ``section`` ("3.2").
    """

    source: SourceKind
    text: str
    score: float
    law: str | None = None
    article: int | None = None
    doc: str | None = None
    section: str | None = None
    title: str | None = None  # chapter or section heading, for display
    in_force: bool = True
    effective_date: str | None = None

    @property
    def label(self) -> str:
        """How the passage is cited in a reply: 《消费者权益保护法》第二十五条 or 《退换货政策》第3.2条."""
        from knowledge.numerals import arabic_to_chinese, short_law_title

        if self.law is not None and self.article is not None:
            return f"《{short_law_title(self.law)}》第{arabic_to_chinese(self.article)}条"
        return f"《{self.doc}》第{self.section}条"

    def citation(self) -> dict[str, object]:
        """The JSON form used by ``csbot chat --json`` and the REST API."""
        if self.source == "statute":
            return {"law": self.law, "article": self.article}
        return {"doc": self.doc, "section": self.section}


@dataclass(frozen=True)
class SearchFilters:
    """Restrictions on a search. ``laws`` are full law names; ``sources`` limits the kinds."""

    sources: tuple[SourceKind, ...] = ("statute", "policy", "document")
    laws: tuple[str, ...] = ()
    in_force_only: bool = True
    extra: dict[str, str] = field(default_factory=dict)
