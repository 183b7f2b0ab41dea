"""The dense side against a real Chroma server (CSBOT_CHROMA_URL), started here on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from knowledge.config import SearchConfig
from knowledge.index import build_index
from knowledge.search import Searcher
from knowledge.types import SearchFilters


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    binary = shutil.which("chroma", path=str(Path(sys.executable).parent))
    assert binary, "the chromadb package installs the `chroma` server command"
    port = _free_port()
    server = subprocess.Popen(
        [binary, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        else:
            raise RuntimeError("chroma server did not start within 60 s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.mark.slow
def test_when_chroma_url_is_set_then_vectors_live_on_the_server_and_search_uses_them(
    tmp_path: Path, chroma_url: str
) -> None:
    config = SearchConfig(index_dir=tmp_path / "home" / "index", chroma_url=chroma_url, dense_weight=0.5)
    stats = build_index(config, laws=["个人信息保护法"])
    assert stats.dense
    assert not (config.index_dir / "chroma").exists()
    searcher = Searcher(config)
    rows = searcher.dense_ranking("个人信息泄露", SearchFilters(sources=("statute",)), n=3)
    assert len(rows) == 3
    assert searcher.search("个人信息泄露", top_k=3)
