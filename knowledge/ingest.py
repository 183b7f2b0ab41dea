"""Import company documents (.md, .txt, .docx, .pdf) into the index, re-indexing only what changed.

Each file is read with a well-kept parser (python-docx, pypdf), split by its structure
(knowledge.chunking) and registered in ``index_dir/imported.json`` under its content hash. When an
index exists, BM25 is rebuilt from the cached tokens (seconds, no re-tokenising of the statutes)
and only the changed file's vectors are replaced. A bad file is reported by name; the rest go in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from knowledge.chunking import split_document
from knowledge.config import SearchConfig
from knowledge.index import (
    IMPORTED,
    RECORDS,
    TOKENS,
    dense_metadata,
    index_exists,
    index_text,
    load_json,
    record,
    save_json,
    write_lexical,
)
from knowledge.tokenize import tokenize

SUPPORTED = (".md", ".markdown", ".txt", ".docx", ".pdf")
MAX_BYTES = 20 * 1024 * 1024


class IngestError(ValueError):
    """A file cannot be imported; the message names the file and the reason."""


@dataclass(frozen=True)
class FileResult:
    path: str
    status: Literal["ok", "unchanged", "error"]
    sections: int = 0
    error: str | None = None


@dataclass
class IngestReport:
    files: list[FileResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.status != "error" for f in self.files)


def read_text(path: Path) -> str:
    """Plain text of a supported file; raises IngestError naming the file."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise IngestError(f"{path}: unsupported file type {suffix or '(none)'}; use {', '.join(SUPPORTED)}")
    if path.stat().st_size > MAX_BYTES:
        raise IngestError(f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MiB")
    try:
        if suffix == ".docx":
            import docx

            return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
        if suffix == ".pdf":
            from pypdf import PdfReader

            return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
        raw = path.read_bytes()
        if b"\x00" in raw:
            raise IngestError(f"{path}: binary content in a text file")
        return raw.decode("utf-8")
    except IngestError:
        raise
    except UnicodeDecodeError as error:
        raise IngestError(f"{path}: not UTF-8 text ({error.reason})") from error
    except Exception as error:  # parsers raise many kinds of errors on damaged files
        raise IngestError(f"{path}: cannot be read as {suffix}: {type(error).__name__}: {error}") from error


def file_records(path: Path, text: str, digest: str) -> list[dict[str, Any]]:
    """The passages of one document; the title is the first heading or the file name."""
    title = _title(text) or path.stem
    chunks = split_document(text, markdown=path.suffix.lower() in (".md", ".markdown"))
    if not chunks:
        raise IngestError(f"{path}: no text found")
    return [
        record(
            id=f"doc:{digest[:16]}:{i}",
            source="document",
            doc=title,
            section=c.section,
            title=c.title,
            in_force=True,
            text=c.text,
        )
        for i, c in enumerate(chunks)
    ]


def ingest_paths(config: SearchConfig, paths: Sequence[Path]) -> IngestReport:
    """Import every path; unchanged files (same content hash) are skipped."""
    config.index_dir.mkdir(parents=True, exist_ok=True)
    registry: dict[str, Any] = load_json(config.index_dir / IMPORTED, default={})
    report = IngestReport()
    changed: dict[str, list[dict[str, Any]]] = {}
    for path in paths:
        key = str(Path(path).resolve())
        try:
            text = read_text(Path(path))
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
            if registry.get(key, {}).get("sha256") == digest:
                report.files.append(FileResult(str(path), "unchanged", len(registry[key]["records"])))
                continue
            records = file_records(Path(path), text, digest)
        except (IngestError, OSError) as error:
            report.files.append(FileResult(str(path), "error", error=str(error)))
            continue
        changed[key] = registry.get(key, {}).get("records", [])
        registry[key] = {"sha256": digest, "records": records}
        report.files.append(FileResult(str(path), "ok", len(records)))
    if changed:
        save_json(config.index_dir / IMPORTED, registry)
        if index_exists(config):
            _update_index(config, registry, changed)
    return report


def _update_index(config: SearchConfig, registry: dict[str, Any], changed: dict[str, list[dict[str, Any]]]) -> None:
    """Replace the changed files' passages in records, BM25 and (if present) the vectors."""
    old_ids = {rec["id"] for records in changed.values() for rec in records}
    new_records = [rec for key in changed for rec in registry[key]["records"]]
    records = load_json(config.index_dir / RECORDS, default=[])
    tokens = load_json(config.index_dir / TOKENS, default=[])
    kept = [(r, t) for r, t in zip(records, tokens, strict=True) if r["id"] not in old_ids]
    kept += [(r, tokenize(index_text(r))) for r in new_records]
    write_lexical(config.index_dir, [r for r, _ in kept], [t for _, t in kept])
    if (config.index_dir / "chroma").exists() or config.chroma_url:
        from knowledge.dense import DenseStore
        from knowledge.embedding import load_embedder

        embedder = load_embedder(config)
        store = DenseStore(config, embedder, create=True)
        store.delete(sorted(old_ids))
        store.upsert(
            [r["id"] for r in new_records],
            [index_text(r) for r in new_records],
            [dense_metadata(r, embedder.name) for r in new_records],
        )


def _title(text: str) -> str | None:
    for line in text.splitlines()[:20]:
        stripped = line.strip().lstrip("#").strip()
        if stripped:
            return stripped[:60]
    return None
