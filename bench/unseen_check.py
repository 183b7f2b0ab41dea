"""Validate bench/data/unseen/*.jsonl and print counts per kind and per split (sha1(id) last hex even = dev)."""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

DATA = Path(__file__).parent / "data" / "unseen"


def split(id_: str) -> str:
    return "dev" if int(hashlib.sha1(id_.encode()).hexdigest()[-1], 16) % 2 == 0 else "test"


def main() -> int:
    bad = 0
    for path in sorted(DATA.glob("*.jsonl")):
        kinds: Counter[str] = Counter()
        splits: Counter[str] = Counter()
        ids: set[str] = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["id"] in ids:
                print(f"{path.name}: duplicate id {row['id']}")
                bad += 1
            ids.add(row["id"])
            splits[split(row["id"])] += 1
            for s in row.get("spans", []):
                kinds[s["kind"]] += 1
                if row["text"][s["start"] : s["end"]] != s["value"]:
                    print(f"{path.name} {row['id']}: offsets do not match {s['value']!r}")
                    bad += 1
            for sub in row.get("must_survive", []):
                kinds["must_survive"] += 1
                if sub not in row["text"]:
                    print(f"{path.name} {row['id']}: {sub!r} not in text")
                    bad += 1
            if "kind" in row:
                kinds[row["kind"]] += 1
        print(f"{path.name}: {len(ids)} rows, splits {dict(splits)}, kinds {dict(sorted(kinds.items()))}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
