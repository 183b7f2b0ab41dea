"""Benchmark the rate limiter's stores: in-memory token buckets vs the shared PostgreSQL table.

    CSBOT_TEST_PG_URL=postgresql+psycopg://... .venv/bin/python bench/ratelimit.py [--n 2000] [--keys 200]

Every request through a limited route costs one ``take``; this measures that cost per store (median,
p95, and the PostgreSQL/memory ratio, both in the same run), single-threaded and with 8 threads
taking at once (several workers on one database). Keys are spread over ``--keys`` clients. Not run by CI.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.web.ratelimit import BucketStore, PgBuckets, TokenBuckets  # noqa: E402


def timings(store: BucketStore, n: int, keys: int, prefix: str) -> list[float]:
    out = []
    for i in range(n):
        started = time.perf_counter()
        store.take(f"{prefix}|{i % keys}", 10_000)
        out.append((time.perf_counter() - started) * 1000)
    return out


def threaded(store: BucketStore, n: int, keys: int, prefix: str, threads: int = 8) -> tuple[list[float], float]:
    results: list[list[float]] = [[] for _ in range(threads)]

    def work(slot: int) -> None:
        results[slot] = timings(store, n // threads, keys, f"{prefix}{slot}")

    started = time.perf_counter()
    workers = [threading.Thread(target=work, args=(slot,)) for slot in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    return [t for part in results for t in part], n / elapsed


def summary(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--keys", type=int, default=200)
    args = parser.parse_args()
    url = os.environ.get("CSBOT_TEST_PG_URL") or os.environ.get("CSBOT_DB_URL")
    if not url or not url.startswith("postgresql"):
        sys.exit("set CSBOT_TEST_PG_URL to a PostgreSQL URL")
    from sqlalchemy import create_engine, text

    engine = create_engine(url, future=True, pool_size=8)
    memory, pg = TokenBuckets(), PgBuckets(engine)
    run = f"bench{int(time.time())}"
    rows = []
    for name, store in (("memory", memory), ("postgresql", pg)):
        timings(store, 200, args.keys, f"warm-{run}")
        single = summary(timings(store, args.n, args.keys, f"{run}-s"))
        many, throughput = threaded(store, args.n, args.keys, f"{run}-t")
        rows.append((name, *single, *summary(many), throughput))
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM web_rate_buckets WHERE key LIKE :p"), {"p": f"%{run}%"})
    print(f"{'store':<11} {'1 thr med ms':>12} {'p95 ms':>8} {'8 thr med ms':>12} {'p95 ms':>8} {'takes/s':>9}")
    for name, med, p95, tmed, tp95, rate in rows:
        print(f"{name:<11} {med:12.4f} {p95:8.4f} {tmed:12.4f} {tp95:8.4f} {rate:9.0f}")
    mem, pgr = rows
    print(
        f"ratio postgresql/memory: median {pgr[1] / mem[1]:.0f}x, p95 {pgr[2] / mem[2]:.0f}x (1 thread); "
        f"median {pgr[3] / mem[3]:.0f}x (8 threads)"
    )


if __name__ == "__main__":
    main()
