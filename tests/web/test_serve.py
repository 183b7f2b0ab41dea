"""``csbot serve`` and ``python app.py`` start the whole app on 127.0.0.1 (real processes, real HTTP)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bot.settings import Settings
from tests.fixtures.web import settings_in

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("how", ["csbot serve", "python app.py"])
def test_the_app_starts_on_localhost_and_answers(how: str, small_index_settings: Settings, tmp_path: Path) -> None:
    settings = settings_in(tmp_path / "home", small_index_settings)
    port = free_port()
    env = {**os.environ, "CSBOT_HOME": str(settings.home), "CSBOT_PORT": str(port), "OMP_NUM_THREADS": "1"}
    command = (
        [str(Path(sys.executable).with_name("csbot")), "serve", "--port", str(port)]
        if how == "csbot serve"
        else [sys.executable, str(ROOT / "app.py")]
    )
    log = tmp_path / "server.log"
    process = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    try:
        health = None
        deadline = time.monotonic() + 180
        while health is None and time.monotonic() < deadline and process.poll() is None:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
            except httpx.TransportError:
                time.sleep(0.5)
        assert health is not None, log.read_text(errors="replace")[-2000:]
        assert health.json()["status"] == "ok"
        assert httpx.get(f"http://127.0.0.1:{port}/widget/", timeout=30).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=30)
