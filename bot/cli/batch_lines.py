"""Reading a batch of stdin lines for ``csbot mask`` and ``csbot rails check``.

A line is plain text, or with ``--json`` an object ``{"id": ..., "text": ...}``. A bad line (empty,
not UTF-8, not JSON, no text, over 1 MB) gets an error naming its line number, never its content,
and the rest of the batch still goes through.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

MAX_LINE_BYTES = 1_048_576


class LineError(ValueError):
    """One input line cannot be checked; the message never contains the line's text."""


def parse_line(raw: bytes, as_json: bool) -> tuple[Any, str]:
    """(id, text) of one input line, or LineError saying what is wrong with it."""
    if len(raw) > MAX_LINE_BYTES:
        raise LineError(f"line is {len(raw)} bytes, the limit is {MAX_LINE_BYTES}")
    try:
        line = raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as error:
        raise LineError(f"not valid UTF-8 (byte offset {error.start})") from None
    if not line.strip():
        raise LineError("empty line")
    if not as_json:
        return None, line
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise LineError(f"not valid JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(item, dict):
        raise LineError('expected a JSON object {"id": ..., "text": ...}')
    text = item.get("text")
    if not isinstance(text, str):
        raise LineError('"text" must be a string')
    if not encodable(text) or not encodable(json.dumps(item.get("id"), ensure_ascii=False)):
        raise LineError("holds a lone surrogate (\\ud800-\\udfff escape), which is not text")
    return item.get("id"), text


def encodable(text: str) -> bool:
    """False for a string holding a lone surrogate (valid in JSON escapes, not in UTF-8)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class BatchReader:
    """Yields ``(id, text)`` for every good line; reports bad ones on ``err`` and counts them."""

    def __init__(self, lines: Iterable[bytes], as_json: bool, err: IO[str]) -> None:
        self._lines = lines
        self._as_json = as_json
        self._err = err
        self.failed = 0

    def __iter__(self) -> Iterator[tuple[Any, str]]:
        for number, raw in enumerate(self._lines, start=1):
            try:
                yield parse_line(raw, self._as_json)
            except LineError as error:
                self.failed += 1
                print(f"line {number}: {error}", file=self._err)
