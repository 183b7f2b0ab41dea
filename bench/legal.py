"""Legal grounding of opening replies (issue 11), before and after the rights tables, same run.

    .venv/bin/python bench/legal.py [--index DIR] [--split dev|test|both] [--show]

Each question of bench/data/legal_questions.jsonl (central articles written before any answer was
seen) opens its own session with the template drafter, twice, alternating which goes first:
with the rights tables switched off (CSBOT_RIGHTS=off, main as it was) and on.
Per batch (old: the first 101 openings LQ-*; new: LQ2-*, written for classes the first tables did not
cover; third: LQ3-*, kinds of case neither batch covered, written the same way) and split
(sha1(id) last hex digit even = dev, odd = test):
- grounded: share of opening replies citing a central article (law + article);
- other grounds: statute citations in the reply that are not central (not necessarily wrong);
- off-topic: citations the relevance judge (knowledge/relevance.py) would remove;
- not in force: citations left in the reply that are not in force on the day (or repealed);
- repealed named: of questions citing a repealed (or renumbered) article, replies that say so;
- latency of a whole turn, median / p95, and after/before ratio.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from statistics import median
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DATA = Path(__file__).resolve().parent / "data" / "legal_questions.jsonl"


def split_of(qid: str) -> str:
    return "dev" if int(hashlib.sha1(qid.encode()).hexdigest()[-1], 16) % 2 == 0 else "test"


BATCHES = {"LQ2-": "new", "LQ3-": "third"}


def batch_of(qid: str) -> str:
    return next((batch for prefix, batch in BATCHES.items() if qid.startswith(prefix)), "old")


def load(path: Path = DATA) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def short(law: str | None) -> str:
    return (law or "").removeprefix("中华人民共和国")


def score_reply(question: dict[str, Any], reply: str) -> dict[str, Any]:
    from knowledge.citations import check_citations
    from knowledge.relevance import judge

    central = {(c["law"], int(c["article"])) for c in question["central"]}
    checks = [c for c in check_citations(reply) if c.kind == "statute"]
    cited = {(short(c.law), c.article) for c in checks if c.law}
    return {
        "grounded": bool(cited & central),
        "other": len(cited - central),
        "off_topic": sum(not judge(c.law, c.article, None, None, reply, question["question"]).relevant for c in checks),
        "not_in_force": sum(not c.in_force for c in checks),
        "repealed_named": ("废止" in reply or "现在规定在" in reply) if question.get("not_in_force") else None,
    }


def run(questions: list[dict[str, Any]], homes: dict[str, Any]) -> dict[str, list[tuple[dict[str, Any], float, str]]]:
    """Each question through both variants, alternating which goes first, so caches warm evenly."""
    from bot.service import CsBot
    from bot.types import Turn

    bots = {mode: CsBot(settings, drafter="template") for mode, settings in homes.items()}
    out: dict[str, list[tuple[dict[str, Any], float, str]]] = {mode: [] for mode in homes}
    for number, question in enumerate(questions):
        for mode in ("off", "on") if number % 2 == 0 else ("on", "off"):
            os.environ["CSBOT_RIGHTS"] = mode
            bot = bots[mode]
            session = bot.new_session()
            started = time.perf_counter()
            reply = str(bot.handle(Turn(session=session, text=question["question"])).to_json().get("reply", ""))
            elapsed = (time.perf_counter() - started) * 1000
            out[mode].append((score_reply(question, reply), elapsed, reply))
    for bot in bots.values():
        bot.close()
    return out


def summarise(rows: list[tuple[dict[str, Any], float, str]]) -> dict[str, Any]:
    from eval.metrics import percentile

    scores = [r[0] for r in rows]
    named = [s["repealed_named"] for s in scores if s["repealed_named"] is not None]
    times = [r[1] for r in rows]
    return {
        "n": len(rows),
        "grounded": sum(s["grounded"] for s in scores) / len(rows) if rows else 0.0,
        "other_grounds": sum(s["other"] for s in scores),
        "off_topic": sum(s["off_topic"] for s in scores),
        "not_in_force": sum(s["not_in_force"] for s in scores),
        "repealed_named": f"{sum(named)}/{len(named)}",
        "p50_ms": median(times) if times else 0.0,
        "p95_ms": percentile(times, 0.95) or 0.0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=None)
    parser.add_argument("--split", choices=("dev", "test", "both"), default="both")
    parser.add_argument("--show", action="store_true", help="print each dev reply after the change")
    parser.add_argument("--failing", action="store_true", help="with --show: only dev replies not grounded")
    parser.add_argument("--batch", choices=("old", "new", "third", "all"), default="all")
    args = parser.parse_args()

    from bot.settings import Settings, enforce_offline_environment
    from eval.index_setup import DEFAULT_INDEX_LAWS, resolve_index

    enforce_offline_environment()
    questions = [
        q
        for q in load()
        if (args.split == "both" or split_of(q["id"]) == args.split) and args.batch in ("all", batch_of(q["id"]))
    ]
    with tempfile.TemporaryDirectory(prefix="csbot-legal-") as tmp:
        index_dir = resolve_index(
            Settings(home=Path(tmp) / "build"), args.index, Path(tmp) / "build", DEFAULT_INDEX_LAWS
        )
        homes = {}
        for mode in ("off", "on"):
            home = Path(tmp) / f"home-{mode}"
            home.mkdir()
            (home / "index").symlink_to(index_dir.resolve(), target_is_directory=True)
            homes[mode] = Settings(home=home, drafter="template")
        results = run(questions, homes)
    print(
        "| batch | split | variant | n | grounded on central | other grounds | off-topic | not in force "
        "| repealed named | p50 ms | p95 ms |\n|---|---|---|---|---|---|---|---|---|---|---|"
    )
    for batch in ("old", "new", "third"):
        for split in ("dev", "test"):
            for mode, label in (("off", "before (rights off)"), ("on", "after")):
                rows = [
                    r
                    for q, r in zip(questions, results[mode], strict=True)
                    if split_of(q["id"]) == split and batch_of(q["id"]) == batch
                ]
                if not rows:
                    continue
                s = summarise(rows)
                print(
                    f"| {batch} | {split} | {label} | {s['n']} | {s['grounded']:.0%} | {s['other_grounds']} "
                    f"| {s['off_topic']} | {s['not_in_force']} | {s['repealed_named']} | {s['p50_ms']:.0f} "
                    f"| {s['p95_ms']:.0f} |"
                )
    for split in ("dev", "test"):
        rows = [r for q, r in zip(questions, results["on"], strict=True) if split_of(q["id"]) == split]
        if rows:
            s = summarise(rows)
            print(
                f"all {split} after: n {s['n']}, p50 {s['p50_ms']:.0f} ms, p95 {s['p95_ms']:.0f} ms, "
                f"not in force {s['not_in_force']}"
            )
    on, off = [r[1] for r in results["on"]], [r[1] for r in results["off"]]
    print(f"latency after/before ratio p50: {median(on) / median(off):.2f}x")
    if args.show:
        for q, r in zip(questions, results["on"], strict=True):
            if split_of(q["id"]) == "dev" and not (args.failing and r[0]["grounded"]):
                print(q["id"], "grounded" if r[0]["grounded"] else "NOT", q["central"], "\n  ", r[2][:400])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
