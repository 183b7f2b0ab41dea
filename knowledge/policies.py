"""The company policy pack: ``knowledge/policies/*.md`` with YAML front matter and numbered sections.

Front matter names the document (``title``), its ``id``, ``version`` and ``effective`` date; the body
uses ``## 3 标题`` and ``### 3.2 标题`` headings. A leaf section is one retrievable passage.
``not_quotable`` (optional) lists sections that staff may read but a reply must never quote to a
customer, such as a list of forbidden phrases: quoting it would make the reply say the phrase.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

import yaml

from knowledge.chunking import split_headings


class PolicyFormatError(ValueError):
    """A policy file cannot be parsed; the message names the file."""


@dataclass(frozen=True)
class PolicySection:
    doc: str
    doc_id: str
    section: str
    title: str | None
    text: str
    version: str | None
    effective: str | None
    quotable: bool = True


@dataclass(frozen=True)
class PolicyDoc:
    id: str
    title: str
    version: str | None
    effective: str | None
    path: Path
    sections: tuple[PolicySection, ...]
    not_quotable: tuple[str, ...] = ()

    def quotable(self, section: str) -> bool:
        """False for a listed section and its sub-sections (5 covers 5.1)."""
        return not any(section == s or section.startswith(f"{s}.") for s in self.not_quotable)


def default_policy_dir() -> Path:
    return Path(str(resources.files("knowledge") / "policies"))


def parse_policy(text: str, path: Path) -> PolicyDoc:
    """Parse one policy file; raises PolicyFormatError naming the file on bad front matter."""
    if not text.startswith("---"):
        raise PolicyFormatError(f"{path}: missing YAML front matter (--- ... ---)")
    try:
        _, front, body = text.split("---", 2)
        meta = yaml.safe_load(front)
    except (ValueError, yaml.YAMLError) as error:
        raise PolicyFormatError(f"{path}: malformed front matter: {error}") from error
    if not isinstance(meta, dict) or not meta.get("title"):
        raise PolicyFormatError(f"{path}: front matter needs a title")
    title = str(meta["title"])
    doc_id = str(meta.get("id") or path.stem)
    version = None if meta.get("version") is None else str(meta["version"])
    effective = None if meta.get("effective") is None else str(meta["effective"])
    not_quotable = _section_list(meta.get("not_quotable"), path)
    sections = tuple(
        PolicySection(title, doc_id, chunk.section, chunk.title, chunk.text, version, effective)
        for chunk in split_headings(body)
    )
    doc = PolicyDoc(doc_id, title, version, effective, path, sections, not_quotable)
    marked = tuple(replace(section, quotable=doc.quotable(section.section)) for section in sections)
    return replace(doc, sections=marked)


def _section_list(value: object, path: Path) -> tuple[str, ...]:
    """A front-matter list of section ids (numbers or strings)."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, (str, int, float)) for item in value):
        raise PolicyFormatError(f'{path}: not_quotable must be a list of section ids, e.g. ["5"]')
    return tuple(str(item) for item in value)


class PolicyLibrary:
    """Every policy document of a folder, addressable by title or id and section id."""

    def __init__(self, docs: list[PolicyDoc]) -> None:
        self._docs = {doc.title: doc for doc in docs}
        self._ids = {doc.id: doc.title for doc in docs}

    @classmethod
    def load(cls, directory: Path | None = None) -> PolicyLibrary:
        folder = directory or default_policy_dir()
        paths = sorted(folder.glob("*.md")) if folder.is_dir() else []
        return cls([parse_policy(path.read_text(encoding="utf-8"), path) for path in paths])

    def docs(self) -> list[PolicyDoc]:
        return list(self._docs.values())

    def sections(self) -> list[PolicySection]:
        return [section for doc in self._docs.values() for section in doc.sections]

    def resolve_doc(self, name: str) -> str | None:
        """Document title for a title (with or without 《》) or an id."""
        cleaned = name.strip().strip("《》")
        return cleaned if cleaned in self._docs else self._ids.get(cleaned)

    def quotable(self, doc: str | None, section: str | None) -> bool:
        """Whether a reply may quote this section; documents this library does not hold (statutes) may be."""
        title = self.resolve_doc(doc) if doc else None
        if title is None or section is None:
            return True
        return self._docs[title].quotable(section)

    def get(self, doc: str, section: str) -> PolicySection | None:
        title = self.resolve_doc(doc)
        if title is None:
            return None
        return next((s for s in self._docs[title].sections if s.section == section), None)
