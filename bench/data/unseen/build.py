"""Turn the hand-written markup in src/*.txt into JSONL with exact offsets.

Markup: ``{{kind|value}}`` marks a span; one message per line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).parent
MARK = re.compile(r"\{\{(\w+)\|(.*?)\}\}")


def parse(line: str) -> tuple[str, list[dict[str, object]]]:
    out: list[str] = []
    spans: list[dict[str, object]] = []
    pos = 0
    length = 0
    for m in MARK.finditer(line):
        plain = line[pos : m.start()]
        out.append(plain)
        length += len(plain)
        kind, value = m.group(1), m.group(2)
        spans.append({"start": length, "end": length + len(value), "kind": kind, "value": value})
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(line[pos:])
    return "".join(out), spans


def build(src: str, dst: str, prefix: str) -> None:
    lines = [x for x in (HERE / "src" / src).read_text(encoding="utf-8").splitlines() if x.strip()]
    with (HERE / dst).open("w", encoding="utf-8") as f:
        for i, line in enumerate(lines, 1):
            text, spans = parse(line)
            f.write(json.dumps({"id": f"{prefix}{i:04d}", "text": text, "spans": spans}, ensure_ascii=False) + "\n")


def build_lookalikes(src: str, dst: str, prefix: str) -> None:
    """``{{keep|value}}`` marks a substring that must survive masking unchanged."""
    lines = [x for x in (HERE / "src" / src).read_text(encoding="utf-8").splitlines() if x.strip()]
    with (HERE / dst).open("w", encoding="utf-8") as f:
        for i, line in enumerate(lines, 1):
            text, spans = parse(line)
            keep = [str(s["value"]) for s in spans]
            row = {"id": f"{prefix}{i:04d}", "text": text, "must_survive": keep}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def build_kinds(src: str, dst: str, prefix: str) -> None:
    """One ``kind<TAB>text`` per line."""
    lines = [x for x in (HERE / "src" / src).read_text(encoding="utf-8").splitlines() if x.strip()]
    with (HERE / dst).open("w", encoding="utf-8") as f:
        for i, line in enumerate(lines, 1):
            kind, text = line.split("\t", 1)
            row = {"id": f"{prefix}{i:04d}", "text": text.strip(), "kind": kind}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    build("structured.txt", "pii_structured.jsonl", "us")
    for name, fn, prefix in (
        ("names_addresses", build, "un"),
        ("lookalikes", build_lookalikes, "ul"),
        ("attacks", build_kinds, "ua"),
        ("benign", build_kinds, "ub"),
    ):
        if (HERE / "src" / f"{name}.txt").exists():
            out = f"pii_{name}.jsonl" if name in ("names_addresses", "lookalikes") else f"{name}.jsonl"
            fn(f"{name}.txt", out, prefix)
