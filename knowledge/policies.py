"""The company policy pack: ``knowledge/policies/*.md`` with YAML front matter and numbered sections.

Front matter names the document (``title``), its ``id``, ``version`` and ``effective`` date; the body
uses ``## 3 标题`` and ``### 3.2 标题`` headings. A leaf section is one retrievable passage.
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class PolicyDoc:
    id: str
    title: str
    version: str | None
    effective: str | None
    path: Path
    sections: tuple[PolicySection, ...]


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
    sections = tuple(
        PolicySection(title, doc_id, chunk.section, chunk.title, chunk.text, version, effective)
        for chunk in split_headings(body)
    )
    return PolicyDoc(doc_id, title, version, effective, path, sections)


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

    def get(self, doc: str, section: str) -> PolicySection | None:
        title = self.resolve_doc(doc)
        if title is None:
            return None
        return next((s for s in self._docs[title].sections if s.section == section), None)
