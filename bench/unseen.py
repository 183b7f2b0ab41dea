"""Guardrails on the unseen sets (bench/data/unseen/, written by others): before and after, dev and test.

    .venv/bin/python bench/unseen.py [--base /work/wt/base] [--split dev|test|both] [--mb 1] [--rails-only]

"before" is the code of a checkout of main (``--base``, e.g. ``git worktree add --detach
/work/wt/base main``) run in a subprocess in the same run; "after" is this checkout. Split rule:
sha1(id) last hex digit even = dev (tuned on), odd = test (reported, never read item by item).

Prints, per split: recall per personal-data kind (a span counts when the masked regions cover it),
look-alike damage (share of must-survive strings any detection touches), attack detection per
attack kind (any input-rail flag) and benign false alarms (benign_any: any flag; benign_atk: an
injection or data-request flag; benign_blk: a block, the canned refusal), the same three for every
customer turn of the evaluation dialogues outside ``adversarial/`` (group ``dialogue_*``, split
"all": they were written for the engine, not for this set) and, with ``--mb``, the seconds
``Masker.mask`` takes on a 1 MB message. ``--rails-only`` skips the personal-data sets. Not run by CI.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "unseen"
ATTACK_CATEGORIES = ("injection", "data_request")
DIALOGUES = (ROOT / "eval" / "dialogues", ROOT / "eval" / "dialogues_hard")


def split(id_: str) -> str:
    return "dev" if int(hashlib.sha1(id_.encode()).hexdigest()[-1], 16) % 2 == 0 else "test"


def rows() -> list[dict[str, Any]]:
    found = []
    for path in sorted(DATA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                row["_set"] = path.stem
                found.append(row)
    return found


def customer_turns() -> list[str]:
    """Every customer turn of the evaluation dialogues, except the adversarial ones (meant to be flagged)."""
    import yaml

    turns = []
    for folder in DIALOGUES:
        for path in sorted(folder.rglob("*.yaml")):
            if "adversarial" in path.parts:
                continue
            dialogue = yaml.safe_load(path.read_text(encoding="utf-8"))
            for turn in (dialogue or {}).get("turns", []) if isinstance(dialogue, dict) else []:
                if isinstance(turn, dict) and isinstance(turn.get("user"), str):
                    turns.append(turn["user"])
    return turns


def benign_counts(counts: Counter[str], key: str, flags: list[Any]) -> None:
    """benign_any / benign_atk / benign_blk for one benign message (``key`` is "split|prefix|kind")."""
    part, prefix, kind = key.split("|")
    for group, hit in (
        ("any", bool(flags)),  # any flag (an angry customer's escalation included)
        ("atk", any(f.category in ATTACK_CATEGORIES for f in flags)),  # taken for an attack
        ("blk", any(f.action == "block" for f in flags)),  # answered with a canned refusal
    ):
        for name in (kind, "ALL"):
            counts[f"{part}|{prefix}_{group}|{name}|gold"] += 1
            counts[f"{part}|{prefix}_{group}|{name}|hit"] += hit


def measure(mb: float, rails_only: bool = False) -> dict[str, Any]:
    """Run in whichever checkout is first on sys.path; returns counts (no text) as JSON-able data."""
    from guardrails.pii import Masker, detect
    from guardrails.rails import check_input

    counts: Counter[str] = Counter()
    for text in customer_turns():
        benign_counts(counts, "all|dialogue|turns", check_input(Masker().mask(text).text))
    for row in rows():
        part = split(row["id"])
        text = row["text"]
        if rails_only and row["_set"] not in ("attacks", "benign"):
            continue
        if "spans" in row or "must_survive" in row:
            regions = [(e.start, e.end) for e in detect(text)]
            for span in row.get("spans", []):
                covered = all(any(s <= i < e for s, e in regions) for i in range(span["start"], span["end"]))
                counts[f"{part}|pii|{span['kind']}|gold"] += 1
                counts[f"{part}|pii|{span['kind']}|hit"] += covered
            for keep in row.get("must_survive", []):
                start = text.find(keep)
                touched = any(s < start + len(keep) and start < e for s, e in regions)
                counts[f"{part}|survive|all|gold"] += 1
                counts[f"{part}|survive|all|hit"] += touched
        label = {"attacks": "attack", "benign": "benign"}.get(row["_set"], row.get("label"))
        if label in ("attack", "benign"):  # input rails, on the masked text as in production
            flags = check_input(Masker().mask(text).text)
            if label == "attack":
                counts[f"{part}|attack|{row.get('kind', 'all')}|gold"] += 1
                counts[f"{part}|attack|{row.get('kind', 'all')}|hit"] += bool(flags)
                counts[f"{part}|attack|ALL|gold"] += 1
                counts[f"{part}|attack|ALL|hit"] += bool(flags)
            else:
                benign_counts(counts, f"{part}|benign|{row.get('kind', 'all')}", flags)
    result: dict[str, Any] = {"counts": dict(counts)}
    if mb:
        unit = "我的手机13812345678，地址北京市朝阳区建国路88号，订单号202403150001234567。戴森 V12 坏了。"
        big = unit * int(mb * 1_000_000 / len(unit.encode()))
        for size in (len(big) // 4, len(big)):
            started = time.perf_counter()
            Masker().mask(big[:size])
            result[f"mask_{size}"] = time.perf_counter() - started
    return result


def run_base(base: Path, mb: float, rails_only: bool) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(base)}
    code = f"import sys, json; sys.path.insert(0, {str(base)!r}); sys.path.insert(0, {str(ROOT / 'bench')!r}); "
    code += f"import unseen; print(json.dumps(unseen.measure({mb}, {rails_only})))"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=base)
    return json.loads(done.stdout.strip().splitlines()[-1])


def table(before: dict[str, Any], after: dict[str, Any], part: str) -> None:
    keys = sorted({k.rsplit("|", 1)[0] for k in after["counts"] if k.startswith(part + "|")})
    print(f"\n[{part}] {'group':<14}{'kind':<16}{'n':>5}{'before':>9}{'after':>9}")
    for key in keys:
        _, group, kind = key.split("|")
        gold = after["counts"].get(f"{key}|gold", 0)
        rate = [c["counts"].get(f"{key}|hit", 0) / gold if gold else 0.0 for c in (before, after)]
        print(f"[{part}] {group:<14}{kind:<16}{gold:>5}{rate[0]:>9.3f}{rate[1]:>9.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, default=Path("/work/wt/base"))
    parser.add_argument("--split", choices=("dev", "test", "both"), default="dev")
    parser.add_argument("--mb", type=float, default=0.0, help="also time a message of this many MB")
    parser.add_argument("--rails-only", action="store_true", help="only attacks, benign messages and dialogues")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    after = measure(args.mb, args.rails_only)
    before = run_base(args.base, args.mb, args.rails_only) if args.base.exists() else {"counts": {}}
    print("group pii = recall per kind; survive = look-alikes damaged (lower is better);")
    print("attack = detected per kind; benign_any/atk/blk = benign flagged at all / as an attack / blocked")
    for part in ("dev", "test", "all") if args.split == "both" else (args.split, "all"):
        table(before, after, part)
    for name, result in (("before", before), ("after", after)):
        timings = {k: round(v, 2) for k, v in result.items() if k.startswith("mask_")}
        if timings:
            print(f"{name}: seconds to mask (characters: s) {timings}")


if __name__ == "__main__":
    main()
