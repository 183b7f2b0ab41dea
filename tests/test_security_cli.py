"""Issue 12 item 8: one bad line in a CLI batch gets an error with its number; the rest goes through."""

from __future__ import annotations

import io
import json
from pathlib import Path
from types import SimpleNamespace

from bot.cli.mask_cmd import mask_lines
from bot.cli.search_cmd import run_batch


def test_when_a_json_line_holds_a_lone_surrogate_then_mask_reports_it_and_goes_on() -> None:
    lines = [b'{"id": 1, "text": "ok one"}\n', b'{"id": 2, "text": "bad \\ud800 here"}\n', b'{"id": 3, "text": "ok"}\n']
    out, err = io.StringIO(), io.StringIO()
    code = mask_lines(lines, "placeholder", True, out, err)
    out.getvalue().encode("utf-8")  # everything written is encodable
    assert [json.loads(row)["id"] for row in out.getvalue().splitlines()] == [1, 3]
    assert "line 2" in err.getvalue() and code == 1


class FakeSearcher:
    def search(self, query: str, top_k: int) -> list[object]:
        return [SimpleNamespace(key="k", label="label", score=1.0, text=query, law="", article="", doc="", section="")]


def test_when_one_batch_line_is_not_utf8_then_search_reports_it_and_goes_on(tmp_path: Path, capsys) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_bytes(
        b'{"id": 1, "query": "\xe9\x80\x80\xe8\xb4\xa7"}\n{"id": 2, "query": "\xff\xfe"}\n'
        b'{"id": 3, "query": "\\udc00"}\n{"id": 4, "query": "ok"}\n'
    )
    code = run_batch(FakeSearcher(), batch, 3)
    captured = capsys.readouterr()
    assert [json.loads(row)["id"] for row in captured.out.splitlines()] == [1, 4]
    assert ":2:" in captured.err and ":3:" in captured.err
    assert code == 1
