"""Several threads and processes opening a fresh vault at the same moment all get a working vault.

Each opener creates the tables if they are missing; without care the second one to do so fails with
"table vault_audit already exists" (SQLite) or a duplicate-table error (PostgreSQL).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event
from sqlalchemy.exc import OperationalError

from bot.settings import load_settings
from guardrails.pii import Vault, open_vault

OPENERS = 8
ROOT = Path(__file__).resolve().parents[3]
CHILD = """
import sys, time
import pytest
from sqlalchemy import create_engine, event
from sqlalchemy.exc import OperationalError

from bot.settings import load_settings
from guardrails.pii import open_vault
start = float(sys.argv[1])
while time.time() < start:
    time.sleep(0.001)
vault = open_vault(load_settings().vault_config)
vault.put(sys.argv[2], "[手机号1]", "phone", "13812345678")
print(vault.reveal(sys.argv[2], "[手机号1]", actor="test", reason="concurrency"))
"""


def test_when_threads_open_a_fresh_vault_at_once_then_every_one_gets_a_working_vault() -> None:
    settings = load_settings()
    barrier = threading.Barrier(OPENERS)
    opened: list[Vault] = []
    errors: list[BaseException] = []

    def open_one() -> None:
        barrier.wait()
        try:
            opened.append(open_vault(settings.vault_config))
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=open_one) for _ in range(OPENERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for index, vault in enumerate(opened):
        vault.put(f"t{index}", "[手机号1]", "phone", "13812345678")
    assert {vault.reveal(f"t{i}", "[手机号1]", actor="test", reason="check") for i, vault in enumerate(opened)} == {
        "13812345678"
    }


def test_when_processes_open_a_fresh_vault_at_once_then_none_fails() -> None:
    start = time.time() + 4  # every child has imported everything by then and waits for the same instant
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(start), f"p{index}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for index in range(3)
    ]
    results = [child.communicate(timeout=120) for child in children]
    assert [
        (child.returncode, err.strip().splitlines()[-1:] if err.strip() else [])
        for child, (_, err) in zip(children, results, strict=True)
    ] == [(0, [])] * 3
    assert [out.strip() for out, _ in results] == ["13812345678"] * 3


def test_when_another_opener_creates_a_table_between_check_and_create_then_the_vault_still_opens(
    tmp_path: Path,
) -> None:
    """The cross-process race made deterministic: a second connection creates vault_audit right after
    this opener checked for it and right before its own CREATE TABLE runs."""
    path = tmp_path / "vault.db"
    engine = create_engine(f"sqlite:///{path}")
    raced: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def other_opener_first(conn: object, cursor: object, statement: str, *rest: object) -> None:
        if statement.lstrip().upper().startswith("CREATE TABLE VAULT_AUDIT") and not raced:
            raced.append(statement)
            other = sqlite3.connect(path)
            other.execute(statement)
            other.commit()
            other.close()

    vault = Vault(engine, b"k" * 32)
    assert raced, "the race was not staged"
    vault.put("c1", "[手机号1]", "phone", "13812345678")
    assert vault.reveal("c1", "[手机号1]", actor="test", reason="race") == "13812345678"


def test_when_table_creation_fails_for_another_reason_then_the_error_is_raised(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'vault.db'}")

    @event.listens_for(engine, "before_cursor_execute")
    def broken(conn: object, cursor: object, statement: str, parameters: object, *rest: object) -> None:
        if statement.lstrip().upper().startswith("CREATE TABLE"):
            raise OperationalError(statement, parameters, sqlite3.OperationalError("disk I/O error"))

    with pytest.raises(OperationalError, match="disk I/O error"):
        Vault(engine, b"k" * 32)
