"""kill -9 during writes loses no acknowledged turn: a real `csbot serve` is killed twice while
messages are in flight, restarted on the same home, and every turn that got a 200 is in the
records, once, with the chain intact (the record and the case state commit in one transaction)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from bot.records import RecordStore

ROUNDS = 2
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(home: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "CSBOT_HOME": str(home),
        "CSBOT_RATE_LIMIT_PER_MINUTE": "100000",
        "OMP_NUM_THREADS": "1",
        "PYTHONPATH": str(ROOT),
    }  # this checkout's code, not wherever the `csbot` script was installed from
    command = [sys.executable, "-c", "from bot.cli import main; main()", "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.3)
    server.kill()
    raise AssertionError("csbot serve did not start")


def test_kill_9_during_writes_loses_no_acknowledged_turn(tmp_path: Path) -> None:
    home, port = tmp_path / "home", _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _serve(home, port)
    created = httpx.post(f"{base}/api/v1/sessions", json={"consent": True}).json()
    session, auth = created["session"], {"Authorization": f"Bearer {created['token']}"}
    acknowledged: list[str] = []
    stop = threading.Event()

    def customer() -> None:
        number = 0
        while not stop.is_set():
            text = f"耳机坏了想退货，第{number}条留言"
            try:
                # a retry after a dropped connection carries the same key, as a real client's should:
                # a turn recorded just before the kill is replayed, not recorded twice
                headers = {**auth, "Idempotency-Key": f"message-{number}"}
                answer = httpx.post(
                    f"{base}/api/v1/sessions/{session}/messages", json={"text": text}, headers=headers, timeout=30
                )
            except httpx.HTTPError:
                time.sleep(0.1)  # the server is down: try the next message once it is back
                continue
            if answer.status_code == 200:
                acknowledged.append(text)
            number += 1

    sender = threading.Thread(target=customer)
    sender.start()
    try:
        for _ in range(ROUNDS):
            target = len(acknowledged) + 3
            while len(acknowledged) < target:
                time.sleep(0.05)
            os.kill(server.pid, signal.SIGKILL)  # mid-write: the sender never stops
            server.wait(10)
            server = _serve(home, port)
        target = len(acknowledged) + 2
        while len(acknowledged) < target:
            time.sleep(0.05)
    finally:
        stop.set()
        sender.join(60)
        server.terminate()
        server.wait(30)
    store = RecordStore(f"sqlite:///{home / 'records.db'}")
    recorded = [str(row["body"]["masked_text"]) for row in store.for_session(session) if row["kind"] == "turn"]
    assert store.verify().ok
    store.close()
    assert not set(acknowledged) - set(recorded), "an acknowledged turn was lost"
    assert len(recorded) == len(set(recorded)), "a turn was recorded twice"
