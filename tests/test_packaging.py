"""pyproject.toml declares the dependencies, requirements.in lists the same names, requirements.txt pins them."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    """``psycopg[binary]>=3`` -> ``psycopg``; case, ``_`` and ``.`` folded as pip folds them."""
    bare = re.split(r"[\[<>=!~;\s#]", requirement.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", bare).lower()


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]


def _declared() -> tuple[set[str], dict[str, set[str]]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = {extra: {_name(r) for r in names} for extra, names in project["optional-dependencies"].items()}
    return {_name(r) for r in project["dependencies"]}, extras


def test_runtime_dependencies_are_apart_from_test_and_bench_tools() -> None:
    runtime, extras = _declared()
    assert {"test", "dev", "bench"} <= extras.keys()
    assert {"fastapi", "chromadb", "sqlalchemy", "jieba"} <= runtime
    tools = set().union(*extras.values())
    assert not runtime & tools
    assert {"pytest", "hypothesis", "playwright"} <= extras["test"]
    assert {"ruff", "mypy", "import-linter", "vulture"} <= extras["dev"]
    assert {"presidio-analyzer"} <= extras["bench"]


def test_requirements_in_lists_what_pyproject_declares() -> None:
    runtime, extras = _declared()
    listed = {_name(line) for line in _lines(ROOT / "requirements.in")}
    assert listed == runtime | set().union(*extras.values())


def test_the_lock_pins_every_declared_dependency() -> None:
    runtime, extras = _declared()
    pinned = {_name(line): line for line in _lines(ROOT / "requirements.txt")}
    assert all("==" in line for line in pinned.values())
    missing = sorted((runtime | set().union(*extras.values())) - pinned.keys())
    assert not missing, f"requirements.txt does not pin {missing}; run `make lock`"
