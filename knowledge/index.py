"""Build the search index in ``config.index_dir``: BM25 (bm25s) beside dense vectors (chromadb).

Layout of the index folder:
  records.json   every passage (source, law/article or doc/section, text, in_force …), row = doc id
  tokens.json    the jieba tokens of every passage, so BM25 can be rebuilt after an ingest
                 without re-tokenising 24,000 articles
  bm25/          the bm25s index
  chroma/        the chromadb collection (only when the dense side is built)
  manifest.json  what was built, with which model, when, how long it took
  imported.json  registry of ingested files (content hash -> chunks), see knowledge.ingest
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import bm25s

from knowledge.config import SearchConfig
from knowledge.numerals import short_law_title
from knowledge.policies import PolicyLibrary
from knowledge.progress import bar
from knowledge.statutes import StatuteStore
from knowledge.tokenize import tokenize

RECORDS, TOKENS, MANIFEST, BM25_DIR, IMPORTED = "records.json", "tokens.json", "manifest.json", "bm25", "imported.json"
RECORD_FIELDS = ("id", "source", "law", "article", "doc", "section", "title", "in_force", "effective_date", "text")


@dataclass(frozen=True)
class IndexStats:
    statutes: int
    policies: int
    documents: int
    dense: bool
    model: str | None
    seconds: float


def record(**fields: Any) -> dict[str, Any]:
    """A passage record with every field present (None where not applicable)."""
    return {name: fields.get(name) for name in RECORD_FIELDS}


def index_text(rec: dict[str, Any]) -> str:
    """What BM25 and the embedder see: the passage with its law / document and heading."""
    if rec["source"] == "statute":
        return f"{short_law_title(rec['law'])} {rec['title'] or ''} {rec['text']}"
    return f"{rec['doc']} {rec['title'] or ''} {rec['text']}"


def statute_records(store: StatuteStore, laws: Sequence[str] | None) -> list[dict[str, Any]]:
    wanted: set[str] | None = None
    if laws is not None:
        wanted = set()
        for name in laws:
            full = store.resolve_law(name)
            if full is None:
                raise ValueError(f"unknown law: {name}")
            wanted.add(full)
    return [
        record(
            id=f"law:{a.law}:{a.article}",
            source="statute",
            law=a.law,
            article=a.article,
            title=a.chapter,
            in_force=a.in_force,
            effective_date=a.effective_date,
            text=a.text,
        )
        for a in store.articles(in_force_only=True)
        if wanted is None or a.law in wanted
    ]


def policy_records(library: PolicyLibrary) -> list[dict[str, Any]]:
    return [
        record(
            id=f"policy:{s.doc_id}:{s.section}",
            source="policy",
            doc=s.doc,
            section=s.section,
            title=s.title,
            in_force=True,
            effective_date=s.effective,
            text=s.text,
        )
        for s in library.sections()
    ]


def imported_records(index_dir: Path) -> list[dict[str, Any]]:
    """Passages of the files added with ``csbot ingest`` (kept across rebuilds)."""
    registry = load_json(index_dir / IMPORTED, default={})
    return [chunk for entry in registry.values() for chunk in entry["records"]]


DENSE_BATCH = 256  # passages embedded and written per step (one progress tick)


def build_index(
    config: SearchConfig, *, laws: Sequence[str] | None = None, progress: bool = False, dense: bool | None = None
) -> IndexStats:
    """Build (or rebuild) the whole index. ``dense=None`` builds vectors only when dense_weight > 0."""
    started = time.perf_counter()
    index_dir = config.index_dir
    index_dir.mkdir(parents=True, exist_ok=True)
    statutes = statute_records(StatuteStore.open_default(), laws)
    policies = policy_records(PolicyLibrary.load())
    documents = imported_records(index_dir)
    records = statutes + policies + documents
    _say(progress, f"tokenising {len(records)} passages")
    tokens = [tokenize(index_text(r)) for r in bar(records, "分词", enabled=progress, total=len(records))]
    write_lexical(index_dir, records, tokens)
    build_dense = config.dense_weight > 0 if dense is None else dense
    model = None
    if build_dense:
        _say(progress, "embedding passages (dense side)")
        model = write_dense(config, records, progress)
    elif (index_dir / "chroma").exists() and not config.chroma_url:
        shutil.rmtree(index_dir / "chroma")  # stale vectors must not outlive the records they describe
    stats = IndexStats(
        len(statutes), len(policies), len(documents), build_dense, model, round(time.perf_counter() - started, 2)
    )
    save_json(index_dir / MANIFEST, asdict(stats) | {"laws": list(laws) if laws else None, "built_at": time.time()})
    _say(progress, f"index built in {stats.seconds:.1f}s")
    return stats


def write_lexical(index_dir: Path, records: list[dict[str, Any]], tokens: list[list[str]]) -> None:
    """Write records, tokens and the bm25s index (every passage gets at least one token)."""
    safe_tokens = [t or ["∅"] for t in tokens]
    retriever = bm25s.BM25()
    retriever.index(safe_tokens, show_progress=False)
    target = index_dir / BM25_DIR
    if target.exists():
        shutil.rmtree(target)
    retriever.save(str(target))
    save_json(index_dir / TOKENS, safe_tokens)
    save_json(index_dir / RECORDS, records)


def write_dense(config: SearchConfig, records: list[dict[str, Any]], progress: bool = False) -> str:
    """Embed only passages whose text or model changed since the last build; drop vanished ones."""
    from knowledge.dense import DenseStore
    from knowledge.embedding import load_embedder

    embedder = load_embedder(config)
    store = DenseStore(config, embedder, create=True)
    existing = store.fingerprints()
    wanted = {r["id"]: dense_metadata(r, embedder.name) for r in records}
    store.delete([i for i in existing if i not in wanted])
    todo = [r for r in records if existing.get(r["id"]) != wanted[r["id"]]["sha"]]
    batches = [todo[start : start + DENSE_BATCH] for start in range(0, len(todo), DENSE_BATCH)]
    for batch in bar(batches, "向量化", enabled=progress, total=len(batches), unit="批"):
        store.upsert([r["id"] for r in batch], [index_text(r) for r in batch], [wanted[r["id"]] for r in batch])
    return embedder.name


def dense_metadata(rec: dict[str, Any], model: str) -> dict[str, Any]:
    """Filter fields plus a fingerprint of (model, text) so unchanged vectors are never recomputed."""
    sha = hashlib.sha256(f"{model}\n{index_text(rec)}".encode()).hexdigest()[:24]
    return {"source": rec["source"], "law": rec["law"] or "", "in_force": bool(rec["in_force"]), "sha": sha}


def index_exists(config: SearchConfig) -> bool:
    folder = config.index_dir
    return all((folder / name).exists() for name in (RECORDS, TOKENS, MANIFEST, BM25_DIR))


def load_json(path: Path, default: Any) -> Any:
    if not path.exists():
        return default
    return json.loads(path.read_text(encoding="utf-8"))


def save_json(path: Path, data: Any) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a file."""
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    temporary.replace(path)


def _say(enabled: bool, message: str) -> None:
    if enabled:
        print(message, file=sys.stderr, flush=True)
