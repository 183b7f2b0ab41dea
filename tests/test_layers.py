"""The import contract: delivery -> eval -> engine -> guardrails -> knowledge, never upward.

``lint-imports`` (import-linter) checks the contract in pyproject.toml. These tests run it on the
real tree, show that it fails when one upward import is added to a copy of the tree, and check that
every module of ``bot/`` is in a layer (a module left out would go unchecked).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "eval", "guardrails", "knowledge")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(root / "pyproject.toml")],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _layers() -> list[list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["id"] == "layers"]
    return [[name.strip() for name in layer.replace("|", ":").split(":")] for layer in contract["layers"]]


def _copy_sources(target: Path) -> None:
    """The Python files of the four packages and the contract: what import-linter reads."""
    for package in PACKAGES:
        for source in (ROOT / package).rglob("*.py"):
            if "__pycache__" in source.parts:
                continue
            destination = target / source.relative_to(ROOT)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
    shutil.copyfile(ROOT / "pyproject.toml", target / "pyproject.toml")


def test_the_tree_keeps_the_layer_contract() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "upward"),
    [
        ("knowledge/tokenize.py", "bot.settings"),  # knowledge -> engine
        ("knowledge/statutes.py", "guardrails.pii"),  # knowledge -> guardrails
        ("guardrails/rails/text.py", "bot.pipeline"),  # guardrails -> engine
        ("bot/pipeline.py", "eval.metrics"),  # engine -> eval
        ("bot/service.py", "bot.web.views"),  # engine -> delivery
        ("eval/metrics.py", "bot.cli"),  # eval -> delivery
    ],
)
def test_when_a_module_imports_a_layer_above_it_then_the_contract_fails_and_names_it(
    tmp_path: Path, module: str, upward: str
) -> None:
    _copy_sources(tmp_path)
    source = tmp_path / module
    source.write_text(source.read_text(encoding="utf-8") + f"\nimport {upward}  # upward\n", encoding="utf-8")
    result = _lint_imports(tmp_path)
    importer = module.removesuffix(".py").replace("/", ".")
    assert result.returncode != 0
    assert "1 broken" in result.stdout
    assert f"{importer} -> {upward}" in result.stdout


def test_every_module_of_bot_sits_in_a_layer() -> None:
    """The engine is listed module by module (bot/cli and bot/web are delivery); a new one must be added."""
    listed = {name for layer in _layers() for name in layer}
    children = {
        f"bot.{path.stem if path.suffix == '.py' else path.name}"
        for path in (ROOT / "bot").iterdir()
        if (path.suffix == ".py" and path.name != "__init__.py") or (path / "__init__.py").is_file()
    }
    missing = sorted(children - listed)
    assert not missing, f"add {missing} to a layer of [tool.importlinter] in pyproject.toml"
    assert {"eval", "guardrails", "knowledge"} <= listed
    assert _layers()[0] == ["bot.cli", "bot.web"]
    assert _layers()[-2:] == [["guardrails"], ["knowledge"]]


def test_the_layer_list_names_only_modules_that_exist() -> None:
    """A stale name (a module renamed or removed) would make import-linter refuse the contract."""
    for layer in _layers():
        for name in layer:
            path = ROOT.joinpath(*name.split("."))
            assert path.with_suffix(".py").is_file() or (path / "__init__.py").is_file(), name
