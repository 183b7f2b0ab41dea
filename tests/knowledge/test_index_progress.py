"""``csbot index build`` shows a progress bar on a terminal (issue 15) and nothing of the kind in a
pipe or a log. The CLI runs in a real subprocess; the terminal is a real pseudo-terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = [
    sys.executable,
    "-c",
    "from bot.cli import main; main()",
    "index",
    "build",
    "--laws",
    "消费者权益保护法",
    "--no-dense",
]


def environment(home: Path) -> dict[str, str]:
    return {**os.environ, "CSBOT_HOME": str(home), "PYTHONPATH": str(ROOT), "COLUMNS": "100"}


def test_on_a_terminal_the_build_shows_a_progress_bar(tmp_path: Path) -> None:
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))  # a terminal has a size
    try:
        done = subprocess.run(
            BUILD,
            stdout=secondary,
            stderr=secondary,
            env=environment(tmp_path / "home"),
            cwd=ROOT,
            timeout=600,
            check=False,
        )
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the terminal closed: everything was read
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(primary)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert done.returncode == 0, shown
    assert "分词" in shown and "100%" in shown and "段" in shown  # tqdm's bar, in our words
    assert "indexed" in shown


def test_in_a_pipe_there_is_no_bar(tmp_path: Path) -> None:
    done = subprocess.run(
        BUILD, capture_output=True, text=True, env=environment(tmp_path / "home"), cwd=ROOT, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "tokenising" in done.stderr and "indexed" in done.stdout
    assert "%|" not in done.stderr + done.stdout
