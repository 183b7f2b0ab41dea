"""Load over real HTTP: N sessions x M turns against `csbot serve` processes on 127.0.0.1.

    OMP_NUM_THREADS=1 .venv/bin/python bench/load.py [--sessions 12] [--turns 5] \
        [--pg-url postgresql+psycopg://csbot:csbot-test@127.0.0.1:5432/csbot_bench] [--configs sqlite1,pg2,pg4]

Configurations, measured in the same run: SQLite with one process (the peer) and PostgreSQL with 2
and 4 processes sharing one CSBOT_HOME (keys) and one records/vault database. Every turn goes to the
next process in turn (no sticky sessions) and carries an ``Idempotency-Key``. Printed per
configuration: messages/s, p50/p95 latency, errors by status, lost and duplicated turns (records per
session against the turns acknowledged), whether the chain verifies, and the ratio to the SQLite peer;
then 10 messages at once on one session spread over the processes (200 or 409, every 200 recorded).

Then the chain lock alone: P processes appending records straight to the store (no HTTP, no turn
work), which is the ceiling the global chain lock allows. If the HTTP figure is far below it, the lock
is not the limit. No index is built (search off): the figures are the conversation, rails and records.
Not run by CI.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SERVE = [sys.executable, "-c", "from bot.cli import main; main()", "serve"]
BURST = 10  # messages posted at once on one session, over all processes (issue 13: 6 of 10 were 500)
sys.path.insert(0, str(ROOT))

TEXTS = [
    "我买的耳机坏了，想退货",
    "订单号 A20241120，三天前收到的",
    "有照片，开箱就是坏的",
    "想退款",
    "好的谢谢",
    "还有别的问题吗",
    "什么时候到账",
    "我再确认一下",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _reset_pg(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        for table in ("records", "chain_head", "cases", "migrations", "idempotency", "vault_audit", "vault_entries"):
            connection.execute(text(f"DROP TABLE IF EXISTS {table} CASCADE"))
    engine.dispose()


def _start(home: Path, db_url: str | None, processes: int) -> tuple[list[subprocess.Popen[bytes]], list[str]]:
    env = {**os.environ, "CSBOT_HOME": str(home), "CSBOT_RATE_LIMIT_PER_MINUTE": "1000000", "OMP_NUM_THREADS": "1"}
    if db_url:
        env.update(CSBOT_DB_URL=db_url, CSBOT_VAULT_DB_URL=db_url)
    env["PYTHONPATH"] = str(ROOT)  # this checkout's code, not wherever the `csbot` script was installed from
    servers, urls = [], []
    for _ in range(processes):
        port = _free_port()
        servers.append(
            subprocess.Popen(
                [*SERVE, "--port", str(port)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 300
    for url in urls:
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not start")
            time.sleep(0.5)
    return servers, urls


def _session(urls: list[str], offset: int, turns: int, out: dict[str, object]) -> None:
    latencies: list[float] = out.setdefault("latencies", [])  # type: ignore[assignment]
    statuses: Counter[int] = out.setdefault("statuses", Counter())  # type: ignore[assignment]
    acknowledged: dict[str, int] = out.setdefault("acknowledged", {})  # type: ignore[assignment]
    with httpx.Client(timeout=120) as client:
        created = client.post(f"{urls[offset % len(urls)]}/api/v1/sessions", json={"consent": True}).json()
        session, auth = created["session"], {"Authorization": f"Bearer {created['token']}"}
        acknowledged[session] = 0
        for number in range(turns):
            url = urls[(offset + number + 1) % len(urls)]  # no stickiness: each turn to the next process
            headers = {**auth, "Idempotency-Key": uuid.uuid4().hex}
            started = time.perf_counter()
            answer = client.post(
                f"{url}/api/v1/sessions/{session}/messages", json={"text": TEXTS[number % len(TEXTS)]}, headers=headers
            )
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[answer.status_code] += 1
            if answer.status_code == 200:
                acknowledged[session] += 1


def _burst(urls: list[str], size: int) -> tuple[Counter[int], str]:
    """``size`` messages at once on one session, spread over the processes: statuses, and the session."""
    created = httpx.post(f"{urls[0]}/api/v1/sessions", json={"consent": True}).json()
    session, auth = created["session"], {"Authorization": f"Bearer {created['token']}"}
    statuses: Counter[int] = Counter()

    def send(number: int) -> None:
        answer = httpx.post(
            f"{urls[number % len(urls)]}/api/v1/sessions/{session}/messages",
            json={"text": TEXTS[number % len(TEXTS)]},
            headers=auth,
            timeout=120,
        )
        statuses[answer.status_code] += 1

    threads = [threading.Thread(target=send, args=(number,)) for number in range(size)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses, session


def run_config(name: str, db_url: str | None, processes: int, sessions: int, turns: int) -> dict[str, object]:
    from bot.records import RecordStore

    with tempfile.TemporaryDirectory(prefix=f"csbot-load-{name}-") as folder:
        home = Path(folder) / "home"
        home.mkdir()
        if db_url:
            _reset_pg(db_url)
        servers, urls = _start(home, db_url, processes)
        try:
            out: dict[str, object] = {}
            threads = [threading.Thread(target=_session, args=(urls, n, turns, out)) for n in range(sessions)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
            burst, burst_session = _burst(urls, BURST)
        finally:
            for server in servers:
                server.terminate()
            for server in servers:
                server.wait(30)
        store = RecordStore(db_url or f"sqlite:///{home / 'records.db'}")
        recorded = Counter(row["session"] for row in store.dump() if row["kind"] == "turn")
        verified = store.verify().ok
        burst_recorded = len([row for row in store.for_session(burst_session) if row["kind"] == "turn"])
        store.close()
    acknowledged: dict[str, int] = out["acknowledged"]  # type: ignore[assignment]
    lost = sum(max(count - recorded.get(session, 0), 0) for session, count in acknowledged.items())
    duplicated = sum(max(recorded.get(session, 0) - count, 0) for session, count in acknowledged.items())
    latencies: list[float] = out["latencies"]  # type: ignore[assignment]
    statuses: Counter[int] = out["statuses"]  # type: ignore[assignment]
    return {
        "name": name,
        "processes": processes,
        "messages": len(latencies),
        "elapsed_s": elapsed,
        "msgs_per_s": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies),
        "p95_ms": statistics.quantiles(latencies, n=20)[18],
        "errors": {k: v for k, v in statuses.items() if k != 200},
        "lost": lost,
        "duplicated": duplicated,
        "verified": verified,
        "burst": dict(sorted(burst.items())),
        "burst_recorded": burst_recorded,
    }


def _appender(url: str, count: int, barrier: multiprocessing.synchronize.Barrier, times: multiprocessing.Queue) -> None:
    from bot.records import RecordStore

    store = RecordStore(url)
    worker = uuid.uuid4().hex[:8]
    body = {"reply": "您好，已为您登记。" * 8, "masked_text": "耳机坏了想退货", "slots": {"order_id": "A1"}}
    barrier.wait()
    started = time.perf_counter()
    for number in range(count):
        case = f"L{worker}{number}"
        state = {"case_id": case, "session": case, "procedure": "p", "step": "accept", "turns": 1, "slots": {}}
        store.append(session=case, case_id=case, actor="customer", kind="turn", body=body, case_state=state)
    times.put(time.perf_counter() - started)
    store.close()


def lock_ceiling(url: str, processes: int, count: int) -> float:
    """Records per second that P processes appending at once get through the one chain lock."""
    from bot.records import RecordStore

    _reset_pg(url)
    RecordStore(url).close()  # migrate once, before the race
    context = multiprocessing.get_context("spawn")
    barrier, times = context.Barrier(processes), context.Queue()
    workers = [context.Process(target=_appender, args=(url, count, barrier, times)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    slowest = max(times.get() for _ in workers)
    store = RecordStore(url)
    assert store.verify().ok
    store.close()
    return processes * count / slowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=12)
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--configs", default="sqlite1,pg2,pg4")
    parser.add_argument("--pg-url", default=os.environ.get("CSBOT_BENCH_PG_URL"))
    parser.add_argument("--lock-appends", type=int, default=300, help="records per process for the lock ceiling")
    args = parser.parse_args()
    results = []
    for config in args.configs.split(","):
        if config.startswith("pg") and not args.pg_url:
            print(f"{config}: skipped (no --pg-url)")
            continue
        processes = int(config.removeprefix("sqlite").removeprefix("pg"))
        db_url = args.pg_url if config.startswith("pg") else None
        results.append(run_config(config, db_url, processes, args.sessions, args.turns))
        result = results[-1]
        rate, peer = float(result["msgs_per_s"]), float(results[0]["msgs_per_s"])  # type: ignore[arg-type]
        print(
            f"{config:8} procs={processes} msgs={result['messages']} {rate:.1f} msg/s "
            f"(x{rate / peer:.2f} vs {results[0]['name']}) p50={result['p50_ms']:.0f} ms "
            f"p95={result['p95_ms']:.0f} ms errors={result['errors'] or 0} lost={result['lost']} "
            f"duplicated={result['duplicated']} chain_verified={result['verified']}",
            flush=True,
        )
        print(
            f"{'':8} {BURST} at once on one session: statuses {result['burst']}, "
            f"turns recorded {result['burst_recorded']} (must equal the 200s)",
            flush=True,
        )
    if args.pg_url:
        for processes in (1, 2, 4):
            rate = lock_ceiling(args.pg_url, processes, args.lock_appends)
            print(f"chain lock alone (PostgreSQL, {processes} appending processes): {rate:.0f} records/s", flush=True)


if __name__ == "__main__":
    main()
