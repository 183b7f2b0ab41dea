"""Robustness replay of real lay questions as opening customer messages (not run by CI).

    .venv/bin/python bench/replay.py [--file ../shared/benchmarks/stard_lay_questions_all.jsonl]
                                     [--limit N] [--index DIR]

Each of the 1,013 STARD questions (real people's wording, MIT licence, see the benchmarks README)
opens its own session with the template drafter. Reported: crashes, replies the output rails
would still object to, personal data in the records file, latency median/p95, and routing
(procedure chosen, first step, escalations, share answered with a statute citation). The peer,
measured in the same run on the same questions, is the search alone (``Searcher.search``): the
ratio says what a whole turn costs over retrieval.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from statistics import median
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from knowledge.config import SearchConfig

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "stard_lay_questions_all.jsonl"


def load_questions(path: Path, limit: int | None) -> list[tuple[str, str]]:
    questions = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                questions.append((str(row["id"]), str(row["query"])))
            except (json.JSONDecodeError, KeyError) as error:
                print(f"{path}:{number}: skipped ({error})", file=sys.stderr)
    return questions[:limit] if limit else questions


def search_peer(config: SearchConfig, questions: list[tuple[str, str]]) -> list[float]:
    from knowledge.search import Searcher

    searcher = Searcher(config)
    timings = []
    for _, text in questions:
        started = time.perf_counter()
        searcher.search(text, top_k=5)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--index", type=Path, default=None, help="index folder (default: build a small one)")
    args = parser.parse_args()

    from bot.settings import Settings, enforce_offline_environment
    from eval.index_setup import DEFAULT_INDEX_LAWS, resolve_index
    from eval.metrics import percentile
    from eval.replay import replay

    enforce_offline_environment()
    if not args.file.exists():
        print(f"error: {args.file} not found (the public benchmark folder)", file=sys.stderr)
        return 2
    questions = load_questions(args.file, args.limit)
    with tempfile.TemporaryDirectory(prefix="csbot-replay-") as tmp:
        index_dir = resolve_index(
            Settings(home=Path(tmp) / "build"), args.index, Path(tmp) / "build", DEFAULT_INDEX_LAWS
        )
        home = Path(tmp) / "home"
        home.mkdir()
        (home / "index").symlink_to(index_dir.resolve(), target_is_directory=True)
        settings = Settings(home=home, drafter="template")
        print(f"replaying {len(questions)} questions from {args.file.name} …", flush=True)
        report = replay(questions, settings, progress_every=100)
        peer = search_peer(settings.search_config, questions)
    figures = report.figures()
    peer_p50, peer_p95 = median(peer), percentile(peer, 0.95) or 0.0
    print("\n| figure | value |\n|---|---|")
    for key, value in figures.items():
        print(f"| {key} | {json.dumps(value, ensure_ascii=False)} |")
    print(f"| search-only p50 / p95 ms (peer) | {peer_p50:.1f} / {peer_p95:.1f} |")
    if figures["latency_p50_ms"] and peer_p50:
        print(
            f"| turn / search ratio p50, p95 | {figures['latency_p50_ms'] / peer_p50:.1f}x, "
            f"{(figures['latency_p95_ms'] or 0) / peer_p95:.1f}x |"
        )
    if report.rail_failures:
        print("rail objections (first 10):", dict(list(report.rail_failures.items())[:10]))
    if report.crashes:
        print("crashed question ids (first 10):", report.crashes[:10])
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
