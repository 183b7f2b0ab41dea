"""Find statute and policy citations in text and check each against the sources.

Recognised spellings: 《中华人民共和国消费者权益保护法》第二十五条, 《消法》第25条, 消法24条, 电商法 第 59 条,
民法典第五百八十四条第二款, lists (第二十四条、第二十五条), policy sections 《退换货政策》第3.2条, and a
wording quoted right after the citation (规定：“……”), which is compared with the article text.
The output guardrails call :func:`check_citations` on every drafted reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from knowledge.clock import today
from knowledge.datafile import DataModel, load_model
from knowledge.numerals import chinese_to_arabic
from knowledge.policies import PolicyLibrary
from knowledge.regulations import Regulation
from knowledge.regulations import resolve as resolve_regulation
from knowledge.repealed import repealed_laws
from knowledge.statutes import REPEALED, StatuteStore

LAW_VERSIONS_FILE = Path(__file__).resolve().parent / "data" / "law_versions.yaml"


class LawVersion(DataModel):
    law: str = Field(min_length=1)
    text_effective: date
    source: str = ""


class LawVersionsFile(DataModel):
    """knowledge/data/law_versions.yaml: from when the bundled text of an amended law applies."""

    laws: list[LawVersion] = Field(default_factory=list)


_NUM = r"[零〇一二两三四五六七八九十百千万\d]+"
_ARTICLE = rf"第?\s*(?P<num>{_NUM}|\d+(?:\.\d+)+)\s*条(?:\s*第\s*(?P<para>{_NUM})\s*款)?"
_CONTINUATION = re.compile(
    rf"\s*(?:、|，|,|和|及|以及|与|或者|或)\s*(?P<ref>第)\s*(?P<num>{_NUM}|\d+(?:\.\d+)+)\s*条"
    rf"(?:\s*第\s*(?P<para>{_NUM})\s*款)?"
)
_QUOTE = re.compile(r"^[^“\"「。；\n]{0,12}?[：:，,]?\s*[“\"「](?P<quote>[^”\"」]{2,500})[”\"」]")
_PUNCT = re.compile(r"[\s，。；：、,.;:“”\"'‘’「」（）()《》！？!?]")


@dataclass(frozen=True)
class Citation:
    """One parsed citation (no checking yet)."""

    start: int
    end: int
    raw: str
    name: str  # the law or document as written, without 《》
    number: str  # "25" or "3.2"
    paragraph: int | None
    quote: str | None


@dataclass(frozen=True)
class CitationCheck:
    start: int
    end: int
    raw: str
    kind: Literal["statute", "policy"]
    law: str | None
    article: int | None
    paragraph: int | None
    doc: str | None
    section: str | None
    exists: bool
    in_force: bool
    repealed: bool
    successor_law: str | None
    successor_articles: tuple[int, ...]
    quote_matches: bool | None


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    names = "|".join(re.escape(s) for s in StatuteStore.open_default().names.spellings())
    return re.compile(rf"(?:《\s*(?P<book>[^《》\n]{{1,60}}?)\s*》|(?P<name>{names}))\s*(?:的)?\s*{_ARTICLE}")


def find_citations(text: str) -> list[Citation]:
    """Every citation in ``text``, in order (parse only; no database look-up)."""
    found: list[Citation] = []
    for match in _pattern().finditer(text):
        name = (match.group("book") or match.group("name")).strip()
        found.append(_citation(text, match, name))
        position = match.end()
        while continuation := _CONTINUATION.match(text, position):
            found.append(_citation(text, continuation, name))
            position = continuation.end()
    return found


def _citation(text: str, match: re.Match[str], name: str) -> Citation:
    para = match.group("para")
    quote = _QUOTE.match(text[match.end() : match.end() + 520])
    start = match.start("ref") if "ref" in match.re.groupindex else match.start()
    return Citation(
        start=start,
        end=match.end(),
        raw=text[start : match.end()],
        name=name,
        number=match.group("num"),
        paragraph=chinese_to_arabic(para) if para else None,
        quote=quote.group("quote") if quote else None,
    )


def check_citations(
    text: str, store: StatuteStore | None = None, policies: PolicyLibrary | None = None
) -> list[CitationCheck]:
    """Check every citation: exists, in force, repealed (with successor), quoted wording matches."""
    store = store or StatuteStore.open_default()
    policies = policies if policies is not None else PolicyLibrary.load()
    return [_check(c, store, policies) for c in find_citations(text)]


def _check(citation: Citation, store: StatuteStore, policies: PolicyLibrary) -> CitationCheck:
    doc = policies.resolve_doc(citation.name)
    if doc is not None:
        return _check_policy(citation, doc, policies)
    law = store.resolve_law(citation.name)
    number = _article_number(citation.number)
    if law is None and (regulation := resolve_regulation(citation.name)) is not None:
        return _check_regulation(citation, regulation, number)
    base: dict[str, Any] = {
        "start": citation.start,
        "end": citation.end,
        "raw": citation.raw,
        "kind": "statute",
        "law": law,
        "article": number,
        "paragraph": citation.paragraph,
        "doc": None,
        "section": None,
    }
    repealed = repealed_laws().get(law or "")
    if repealed is not None and store.law_status(law or "") == REPEALED:
        successors = repealed.article_map.get(number or -1, ())
        return CitationCheck(
            **base,
            exists=True,
            in_force=False,
            repealed=True,
            successor_law=repealed.successor,
            successor_articles=successors,
            quote_matches=None,
        )
    article = store.get(law, number) if law and number else None
    # the text that is the law on the conversation's date: not a version that takes effect later
    current = store.on_day(law, number, today().isoformat(), text_effective(law)) if law and number else None
    shown = current or article
    exists = shown is not None and _paragraph_exists(shown.text, citation.paragraph)
    status = store.law_status(law) if law else None
    quote_ok = quote_matches(citation.quote, shown.text) if shown is not None and citation.quote else None
    return CitationCheck(
        **base,
        exists=exists,
        in_force=current is not None and _paragraph_exists(current.text, citation.paragraph),
        repealed=status == REPEALED,
        successor_law=None,
        successor_articles=(),
        quote_matches=quote_ok,
    )


@lru_cache(maxsize=1)
def _text_dates() -> dict[str, str]:
    model = load_model(LAW_VERSIONS_FILE, LawVersionsFile)
    return {entry.law: entry.text_effective.isoformat() for entry in model.laws}


def text_effective(law: str) -> str | None:
    """The date the bundled text of ``law`` applies from (knowledge/data/law_versions.yaml), if listed."""
    return _text_dates().get(law)


def _check_regulation(citation: Citation, regulation: Regulation, number: int | None) -> CitationCheck:
    """A 行政法规 / 部门规章 from knowledge/data/regulations.yaml (laws.db does not bundle them)."""
    exists = regulation.has(number)
    text = regulation.text.get(number or -1)
    quote_ok = quote_matches(citation.quote, text) if text and citation.quote else None
    return CitationCheck(
        start=citation.start,
        end=citation.end,
        raw=citation.raw,
        kind="statute",
        law=regulation.name,
        article=number,
        paragraph=citation.paragraph,
        doc=None,
        section=None,
        exists=exists,
        in_force=exists and regulation.in_force_on(today()),
        repealed=False,
        successor_law=None,
        successor_articles=(),
        quote_matches=quote_ok,
    )


def _check_policy(citation: Citation, doc: str, policies: PolicyLibrary) -> CitationCheck:
    section = policies.get(doc, citation.number)
    quote_ok = quote_matches(citation.quote, section.text) if section is not None and citation.quote else None
    return CitationCheck(
        start=citation.start,
        end=citation.end,
        raw=citation.raw,
        kind="policy",
        law=None,
        article=None,
        paragraph=citation.paragraph,
        doc=doc,
        section=citation.number,
        exists=section is not None,
        in_force=section is not None,
        repealed=False,
        successor_law=None,
        successor_articles=(),
        quote_matches=quote_ok,
    )


def _article_number(number: str) -> int | None:
    if "." in number:
        return None
    try:
        return chinese_to_arabic(number)
    except ValueError:
        return None


def paragraphs(article_text: str) -> list[str]:
    """The 款 of an article: its lines, without the enumerated items （一）… that belong to a 款."""
    lines = [line.strip() for line in article_text.splitlines() if line.strip()]
    return [line for line in lines if not re.match(r"^[（(][一二三四五六七八九十]+[）)]", line)]


def _paragraph_exists(article_text: str, paragraph: int | None) -> bool:
    return paragraph is None or 1 <= paragraph <= len(paragraphs(article_text))


def quote_matches(quote: str, source_text: str) -> bool:
    """True when the quoted wording occurs in the source, ignoring punctuation and whitespace."""
    wanted = _PUNCT.sub("", quote)
    return bool(wanted) and wanted in _PUNCT.sub("", source_text)
