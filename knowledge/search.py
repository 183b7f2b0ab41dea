"""Hybrid search over the index: BM25 with query expansion, dense vectors, score fusion, direct look-up.

The index is loaded once per :class:`Searcher`; a query costs two sparse-matrix products (query
words, expansion words) over numpy arrays plus, when ``dense_weight > 0``, one embedding and one
chromadb query. Each side is min-max normalised over its top candidates and the two are combined
convexly (``bm25_weight``, ``dense_weight``); then every passage gets a share of the evidence for
its source document (law or policy), see :func:`knowledge.fusion.group_evidence`. Filters are
numpy masks, so no Python loop ever walks all passages.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import bm25s
import numpy as np

from knowledge.citations import find_citations, text_effective
from knowledge.clock import today
from knowledge.config import SearchConfig
from knowledge.expansion import expand
from knowledge.fusion import group_evidence, normalise_top
from knowledge.index import BM25_DIR, MANIFEST, RECORDS, index_exists, load_json
from knowledge.scope import core_laws
from knowledge.statutes import StatuteStore
from knowledge.tokenize import tokenize
from knowledge.topics import TopicPrior
from knowledge.types import Passage, SearchFilters

logger = logging.getLogger(__name__)

# Expansion words count less than the customer's own words (bench/retrieval.py: 0.3 beat 0.5 and 1.0).
EXPANSION_WEIGHT = 0.3
# Each side proposes this many candidates; its scores are min-max normalised over them.
CANDIDATES = 100
DENSE_OVERFETCH = 4  # unfiltered neighbours fetched per wanted dense candidate
# Source-document prior (config.law_prior weighs it; bench/retrieval.py, STARD dev half): the
# articles per law that count, and the fused candidates it is computed over.
GROUP_TOP = 3
GROUP_CANDIDATES = 200
LOOKUP_SCORE = 1.0  # direct article references rank above any fused score (fused scores are < 1)
SOURCES = ("statute", "policy", "document")


class IndexMissingError(RuntimeError):
    """No index in CSBOT_HOME; the message says how to build one."""


class Searcher:
    """Search one index (``config.index_dir``), loaded once."""

    def __init__(self, config: SearchConfig, embedder: Any = None) -> None:
        if not index_exists(config):
            raise IndexMissingError(f"no search index in {config.index_dir}; run `csbot index build` first")
        self.config = config
        self.store = StatuteStore.open_default()
        self.records: list[dict[str, Any]] = load_json(config.index_dir / RECORDS, default=[])
        self.bm25 = bm25s.BM25.load(str(config.index_dir / BM25_DIR))
        self._row = {rec["id"]: row for row, rec in enumerate(self.records)}
        self._source = np.array([SOURCES.index(r["source"]) for r in self.records], dtype=np.int8)
        self._in_force = np.array([bool(r["in_force"]) for r in self.records], dtype=bool)
        self._law_names = sorted({r["law"] for r in self.records if r["law"]})
        law_code = {law: code for code, law in enumerate(self._law_names)}
        self._law = np.array([law_code.get(r["law"], -1) for r in self.records], dtype=np.int32)
        self._group = source_groups(self.records)
        self.group_prior = max(config.law_prior, 0.0)
        self.core_prior = max(config.core_law_prior, 0.0)
        self._core = self._core_mask()
        self.topic_prior = max(config.topic_prior, 0.0)
        self._topics = TopicPrior(self.records, self.store.resolve_law)
        self._dense: Any = None
        self._dense_lock = threading.Lock()
        self._embedder = embedder
        self.dense_weight = self._usable_dense_weight()

    def search(self, query: str, top_k: int = 5, filters: SearchFilters | None = None) -> list[Passage]:
        """Direct article references first, then the fused BM25 + dense ranking."""
        filters = filters or SearchFilters()
        if not query.strip() or top_k <= 0:
            return []
        direct = [p for p in self.lookup(query) if self._allowed(p, filters)]
        seen = {(p.law, p.article) for p in direct}
        scores = self.fused_scores(query, filters)
        wanted = min(len(scores), top_k + len(direct))
        if wanted == 0:
            return direct[:top_k]
        rows = np.argpartition(-scores, wanted - 1)[:wanted]
        rows = rows[np.argsort(-scores[rows], kind="stable")]
        fused = [
            self._passage(self.records[row], scores[row])
            for row in rows
            if scores[row] > 0 and self._key(row) not in seen
        ]
        return (direct + fused)[:top_k]

    def fused_scores(self, query: str, filters: SearchFilters | None = None) -> np.ndarray:
        """One score in [0, 1) per passage (0: filtered out or no match): the weighted, normalised
        BM25 and dense scores plus the source-document prior and the core-law boost (for passages
        that match at all), divided by the sum of the weights."""
        mask = self._mask(filters or SearchFilters())
        w_bm25, w_dense = max(self.config.bm25_weight, 0.0), self.dense_weight
        fused = np.zeros(len(self.records), dtype=np.float32)
        if w_bm25 > 0:
            fused += w_bm25 * normalise_top(self.bm25_scores(query), mask, CANDIDATES)
        if w_dense > 0:
            dense = np.zeros(len(self.records), dtype=np.float32)
            for row, similarity in self._dense_candidates(query, filters or SearchFilters(), CANDIDATES):
                dense[row] = similarity
            fused += w_dense * normalise_top(dense, mask, CANDIDATES)
        if self.group_prior > 0:
            fused += self.group_prior * group_evidence(fused, self._group, GROUP_TOP, GROUP_CANDIDATES)
        matching = fused > 0
        if self.core_prior > 0:
            fused += self.core_prior * (self._core & matching)
        if self.topic_prior > 0:
            fused += self.topic_prior * (self._topics.mask(query) & matching)
        fused[~mask] = 0.0
        return fused / (w_bm25 + w_dense + self.group_prior + self.core_prior + self.topic_prior + 1e-6)

    def _usable_dense_weight(self) -> float:
        """The dense weight, or 0 with a warning when the index was built without vectors (an index
        built BM25-only, e.g. before the default changed, keeps answering instead of failing)."""
        weight = max(self.config.dense_weight, 0.0)
        manifest = load_json(self.config.index_dir / MANIFEST, default={})
        if weight > 0 and manifest.get("dense") is False:
            logger.warning(
                "the index in %s has no dense vectors: searching with BM25 only; "
                "run `csbot index build --dense` to use CSBOT_DENSE_WEIGHT=%s",
                self.config.index_dir,
                weight,
            )
            return 0.0
        return weight

    def lookup(self, query: str) -> list[Passage]:
        """Articles referenced directly in the query (消法24条, 民法典第五百八十四条 …) that exist."""
        passages: list[Passage] = []
        for citation in find_citations(query):
            law = self.store.resolve_law(citation.name)
            number = int(citation.number) if citation.number.isdigit() else None
            if number is None and "." not in citation.number:
                from knowledge.numerals import chinese_to_arabic

                number = chinese_to_arabic(citation.number)
            # the text that is the law on the conversation's date (not a version effective later)
            on_day = (
                self.store.on_day(law, number, today().isoformat(), text_effective(law)) if law and number else None
            )
            article = on_day or (self.store.get(law, number) if law and number else None)
            if article is not None and all(p.article != number or p.law != law for p in passages):
                passages.append(
                    Passage(
                        source="statute",
                        text=article.text,
                        score=LOOKUP_SCORE,
                        law=article.law,
                        article=article.article,
                        title=article.chapter,
                        in_force=on_day is not None,
                        effective_date=article.effective_date,
                    )
                )
        return passages

    def bm25_ranking(self, query: str, filters: SearchFilters | None = None, n: int = CANDIDATES) -> list[int]:
        """Row numbers of the best BM25 passages for the query plus its expansion, best first."""
        scores = self.bm25_scores(query)
        scores[~self._mask(filters or SearchFilters())] = 0.0
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [int(row) for row in top if scores[row] > 0]

    def bm25_scores(self, query: str) -> np.ndarray:
        """Raw BM25 score of every passage: the query's own words plus its expansion, down-weighted."""
        words = tokenize(query)
        extra = [t for t in tokenize(" ".join(expand(query))) if t not in set(words)]
        return self._scores(words) + EXPANSION_WEIGHT * self._scores(extra)

    def dense_ranking(self, query: str, filters: SearchFilters | None = None, n: int = CANDIDATES) -> list[int]:
        """Row numbers of the nearest passages by embedding, best first."""
        return [row for row, _ in self._dense_candidates(query, filters or SearchFilters(), n)]

    def _dense_candidates(self, query: str, filters: SearchFilters, n: int) -> list[tuple[int, float]]:
        """``(row, cosine similarity)`` of the nearest allowed passages, best first."""
        from knowledge.dense import DenseStore, where_clause

        with self._dense_lock:  # the first queries may arrive together from several threads
            if self._dense is None:
                self._dense = self._open_dense(DenseStore)
        # chromadb's metadata filter costs ~150 ms over the full corpus, a plain ANN query ~1 ms: ask
        # for extra neighbours unfiltered and filter with the numpy mask; only a filter so narrow
        # that too few survive (policies only, one small law) goes to chromadb's where clause.
        mask = self._mask(filters)
        hits = self._dense.query_scored(query, n * DENSE_OVERFETCH, None)
        rows = [(self._row[i], sim) for i, sim in hits if i in self._row and mask[self._row[i]]]
        if len(rows) < n and int(mask.sum()) > len(rows):
            where = where_clause(filters.sources, self._resolved_laws(filters), filters.in_force_only)
            rows = [(self._row[i], sim) for i, sim in self._dense.query_scored(query, n, where) if i in self._row]
        return rows[:n]

    def _open_dense(self, store_class: Any) -> Any:
        from knowledge.embedding import load_embedder

        embedder = self._embedder or load_embedder(self.config)
        try:
            return store_class(self.config, embedder)
        except Exception as error:  # chromadb raises its own NotFoundError subclasses
            raise IndexMissingError(
                f"the index in {self.config.index_dir} has no dense vectors; run `csbot index build --dense`"
            ) from error

    def _scores(self, tokens: list[str]) -> np.ndarray:
        ids = self.bm25.get_tokens_ids(tokens)
        if not ids:
            return np.zeros(len(self.records), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(ids), dtype=np.float32)

    def _mask(self, filters: SearchFilters) -> np.ndarray:
        codes = [SOURCES.index(s) for s in filters.sources]
        mask = np.isin(self._source, codes)
        if filters.in_force_only:
            mask &= self._in_force
        laws = self._resolved_laws(filters)
        if laws:
            wanted = [self._law_names.index(law) for law in laws if law in self._law_names]
            mask &= np.isin(self._law, wanted) | (self._source != SOURCES.index("statute"))
        return mask

    def _core_mask(self) -> np.ndarray:
        """Passages in scope: articles of the core laws, the company's policies and imported documents."""
        core = {self.store.resolve_law(name) or name for name in core_laws()}
        return np.array([r["source"] != "statute" or r["law"] in core for r in self.records], dtype=bool)

    def _resolved_laws(self, filters: SearchFilters) -> list[str]:
        return [self.store.resolve_law(name) or name for name in filters.laws]

    def _allowed(self, passage: Passage, filters: SearchFilters) -> bool:
        laws = self._resolved_laws(filters)
        return (
            "statute" in filters.sources
            and (passage.in_force or not filters.in_force_only)
            and (not laws or passage.law in laws)
        )

    def _key(self, row: int) -> tuple[Any, Any]:
        rec = self.records[row]
        return (rec["law"], rec["article"]) if rec["source"] == "statute" else (rec["id"], None)

    @staticmethod
    def _passage(rec: dict[str, Any], score: float) -> Passage:
        return Passage(
            source=rec["source"],
            text=rec["text"],
            score=round(float(score), 6),
            law=rec["law"],
            article=rec["article"],
            doc=rec["doc"],
            section=rec["section"],
            title=rec["title"],
            in_force=bool(rec["in_force"]),
            effective_date=rec["effective_date"],
        )


def source_groups(records: list[dict[str, Any]]) -> np.ndarray:
    """A group code per passage: its law for a statute, its document for a policy or an imported file."""
    names = {name: code for code, name in enumerate(sorted({r["law"] or f"doc:{r['doc']}" for r in records}))}
    return np.array([names[r["law"] or f"doc:{r['doc']}"] for r in records], dtype=np.int32)
