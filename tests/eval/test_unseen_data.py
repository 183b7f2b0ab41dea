"""The hand-written unseen evaluation sets (bench/data/unseen) stay consistent with their markup sources.

Only the data is checked here (offsets, ids, rebuilt output); no masker or rail runs on it.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
UNSEEN = ROOT / "bench" / "data" / "unseen"


def load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_validator_finds_no_offset_or_id_errors() -> None:
    check = load(ROOT / "bench" / "unseen_check.py", "unseen_check")
    assert check.main() == 0


def test_span_files_match_their_sources() -> None:
    build = load(UNSEEN / "build.py", "unseen_build")
    for src, dst in (("structured.txt", "pii_structured.jsonl"), ("names_addresses.txt", "pii_names_addresses.jsonl")):
        lines = [x for x in (UNSEEN / "src" / src).read_text(encoding="utf-8").splitlines() if x.strip()]
        rows = [json.loads(x) for x in (UNSEEN / dst).read_text(encoding="utf-8").splitlines()]
        assert len(rows) == len(lines)
        for line, row in zip(lines, rows, strict=True):
            text, spans = build.parse(line)
            assert (text, spans) == (row["text"], row["spans"])
            assert "{{" not in text


def test_kind_files_have_enough_rows_and_no_markup_left() -> None:
    for name, least in (("attacks.jsonl", 150), ("benign.jsonl", 150), ("pii_lookalikes.jsonl", 120)):
        rows = [json.loads(x) for x in (UNSEEN / name).read_text(encoding="utf-8").splitlines()]
        assert len(rows) >= least
        assert all("{{" not in row["text"] and row["text"] for row in rows)
