"""What a reply cites, in one comparable form, using the knowledge layer's citation checker.

A reply cites through its structured ``citations`` list and through the text itself
(《消费者权益保护法》第二十五条). Both count. Law names are compared by their canonical short
title so 消法, 消费者权益保护法 and 中华人民共和国消费者权益保护法 are the same law.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from knowledge.numerals import short_law_title


@dataclass(frozen=True)
class Cited:
    """One citation found in a reply. ``valid``: it exists and is in force (None: not checkable)."""

    law: str | None = None
    article: int | None = None
    doc: str | None = None
    section: str | None = None
    repealed: bool = False
    valid: bool | None = None

    @property
    def label(self) -> str:
        if self.law is not None:
            return f"{self.law}第{self.article}条"
        return f"《{self.doc}》{self.section}"


@lru_cache(maxsize=1)
def _store() -> Any:
    from knowledge.statutes import StatuteStore

    return StatuteStore.open_default()


@lru_cache(maxsize=512)
def law_key(name: str) -> str:
    """Canonical short title of a law name or alias (消法 -> 消费者权益保护法)."""
    cleaned = name.strip().strip("《》")
    try:
        full = _store().resolve_law(cleaned)
    except Exception:  # the statute store is an optional help here; the plain title still compares
        full = None
    return short_law_title(full or cleaned)


def section_matches(expected: str, cited: str | None) -> bool:
    """Section "3" is satisfied by 3 or any of its sub-sections (3.2); "3.2" only by 3.2 and below."""
    if cited is None:
        return False
    expected = str(expected).strip()
    cited = str(cited).strip()
    return cited == expected or cited.startswith(expected + ".")


def doc_matches(expected: str, cited: str | None) -> bool:
    if cited is None:
        return False
    return expected.strip().strip("《》") == cited.strip().strip("《》")


def matches(ref: dict[str, Any], cited: Cited) -> bool:
    """Does a citation found in a reply satisfy an expected reference from a dialogue file?"""
    if "law" in ref:
        return cited.law is not None and law_key(str(ref["law"])) == cited.law and int(ref["article"]) == cited.article
    return doc_matches(str(ref["doc"]), cited.doc) and section_matches(str(ref["section"]), cited.section)


def from_structured(entry: dict[str, Any]) -> Cited:
    if entry.get("law"):
        article = entry.get("article")
        return Cited(law=law_key(str(entry["law"])), article=int(article) if article is not None else None)
    return Cited(doc=str(entry.get("doc") or ""), section=str(entry.get("section") or ""))


@lru_cache(maxsize=2048)
def _from_text(text: str) -> tuple[Cited, ...]:
    from knowledge.citations import check_citations

    found: list[Cited] = []
    for check in check_citations(text):
        if check.kind == "statute" and check.law:
            found.append(
                Cited(
                    law=law_key(check.law),
                    article=check.article,
                    repealed=bool(check.repealed),
                    valid=bool(check.exists and check.in_force and not check.repealed),
                )
            )
        elif check.kind == "policy":
            found.append(Cited(doc=check.doc, section=check.section, valid=bool(check.exists)))
    return tuple(found)


def citations_of(reply: dict[str, Any]) -> list[Cited]:
    """Every citation of one reply: the structured list plus what the text cites."""
    structured = [from_structured(entry) for entry in reply.get("citations") or () if isinstance(entry, dict)]
    return structured + list(_from_text(str(reply.get("reply", ""))))


def text_citations(text: str) -> tuple[Cited, ...]:
    """Citations written in a text, checked against the statute database and the policy pack."""
    return _from_text(text)
