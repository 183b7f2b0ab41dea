"""行政法规 and 部门规章 that laws.db lacks: metadata from ``knowledge/data/regulations.yaml`` plus any
text a company imported with ``csbot ingest --regulation FILE`` (kept under ``<home>/regulations``).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from knowledge.datafile import DataError, DataModel, load_model
from knowledge.numerals import PRC_PREFIX, chinese_to_arabic

DATA_FILE = Path(__file__).resolve().parent / "data" / "regulations.yaml"
_ARTICLE_HEAD = re.compile(r"^\s*第([零〇一二两三四五六七八九十百千]+)条\s*")


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    aliases: list[str] = Field(default_factory=list)
    level: str
    issued_by: str
    document: str
    effective: date
    articles: list[int] = Field(default_factory=list)
    articles_unverified: bool = False
    text: dict[int, str] = Field(default_factory=dict)
    provenance: list[str] = Field(default_factory=list)


class RegulationsFile(DataModel):
    """knowledge/data/regulations.yaml."""

    regulations: list[_Entry] = Field(default_factory=list)


@dataclass(frozen=True)
class Regulation:
    name: str
    aliases: tuple[str, ...]
    level: str
    issued_by: str
    document: str
    effective: date
    articles: frozenset[int]
    text: dict[int, str] = field(default_factory=dict)
    articles_unverified: bool = False

    def has(self, article: int | None) -> bool:
        """Whether the article is known to exist (any article, when no list has been verified)."""
        return article is not None and (article in self.articles or (self.articles_unverified and article > 0))

    def in_force_on(self, day: date) -> bool:
        return self.effective <= day


@dataclass(frozen=True)
class RegulationArticle:
    regulation: Regulation
    article: int
    text: str | None


def _imported_dir() -> Path | None:
    return Path(os.environ.get("CSBOT_HOME", ".csbot")) / "regulations"


@lru_cache(maxsize=2)
def regulations(path: Path = DATA_FILE, imported: Path | None = None) -> dict[str, Regulation]:
    table: dict[str, Regulation] = {}
    for entry in load_model(path, RegulationsFile).regulations:
        table[entry.name] = Regulation(
            entry.name,
            tuple(entry.aliases),
            entry.level,
            entry.issued_by,
            entry.document,
            entry.effective,
            frozenset(entry.articles),
            dict(entry.text),
            entry.articles_unverified,
        )
    folder = imported if imported is not None else _imported_dir()
    for file in sorted(folder.glob("*.json")) if folder and folder.is_dir() else ():
        data = json.loads(file.read_text(encoding="utf-8"))
        known = table.get(data["name"])
        texts = {int(k): v for k, v in data["articles"].items()}
        if known is not None:
            table[known.name] = Regulation(
                known.name,
                known.aliases,
                known.level,
                known.issued_by,
                known.document,
                known.effective,
                known.articles | frozenset(texts),
                {**known.text, **texts},
                known.articles_unverified,
            )
    return table


def resolve(name: str) -> Regulation | None:
    name = name.strip().strip("《》")
    for regulation in regulations().values():
        if name in (regulation.name, regulation.name.removeprefix(PRC_PREFIX), *regulation.aliases):
            return regulation
    return None


def regulation_article(name: str, article: int, on: date) -> RegulationArticle | None:
    """The article when the regulation is known, lists it and is in force on ``on``; else None."""
    regulation = resolve(name)
    if regulation is None or not regulation.in_force_on(on) or article not in regulation.articles:
        return None
    return RegulationArticle(regulation, article, regulation.text.get(article))


def parse_articles(text: str) -> dict[int, str]:
    """Split an official text (as published by the national database, saved as .txt) into articles."""
    articles: dict[int, list[str]] = {}
    current: int | None = None
    for line in text.splitlines():
        head = _ARTICLE_HEAD.match(line)
        if head:
            current = chinese_to_arabic(head.group(1))
            articles[current] = [line[head.end() :].strip()]
        elif current is not None and line.strip() and not re.match(r"^\s*第[^条]+[章节]", line):
            articles[current].append(line.strip())
    return {number: "\n".join(lines) for number, lines in articles.items()}


def import_regulation(source: Path, home: Path) -> tuple[str, int]:
    """Import an official file (.txt, .docx or .pdf, as the national database publishes them) whose
    first non-empty line is the regulation's title."""
    from knowledge.ingest import IngestError, read_text

    try:
        text = read_text(source)
    except IngestError as error:
        raise DataError(str(error)) from error
    title = next(line.strip() for line in text.splitlines() if line.strip())
    regulation = resolve(title)
    if regulation is None:
        raise DataError(f"{source}: '{title}' is not a regulation listed in {DATA_FILE.name}")
    articles = parse_articles(text)
    if not articles:
        raise DataError(f"{source}: no article (第…条) found")
    target = home / "regulations"
    target.mkdir(parents=True, exist_ok=True)
    out = {"name": regulation.name, "source": str(source.name), "articles": articles}
    (target / f"{regulation.name}.json").write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    regulations.cache_clear()
    return regulation.name, len(articles)
