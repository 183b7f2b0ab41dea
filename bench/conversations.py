"""Benchmark the conversation engine on dialogue sets: pass rate, loops, facts, side questions, latency.

    .venv/bin/python bench/conversations.py [--sets shipped hard-dev hard-test] [--no-peer] [--failures]

Sets: ``shipped`` = eval/dialogues (94); ``hard-dev`` / ``hard-test`` = eval/dialogues_hard split by
sha1(id): last hex digit even → dev, odd → test (decisions are taken on dev only). For each set it
prints the pass rate, the loop rate (dialogues where a reply repeats an earlier one word for word or a
fact is asked a third time — checked on every dialogue, whether or not it says ``no_loop``), fact
accuracy (share of ``facts`` expectations that hold), the side-question answer rate (``answers``
expectations) and the turn latency median / p95.

Peer, measured in the same run (``--peer``, default on): the same dialogues through the keyword-only
engine (``CSBOT_CONVERSATION=keywords``: the slot catalogue without bot/understand, no negotiation,
no ways round, no side answers, no scope routing). Not run by CI.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_NUM_THREADS", "1")

from bot.conversation import PEER_ENV  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from eval.assertions import Scope  # noqa: E402
from eval.conversation_checks import loops  # noqa: E402
from eval.index_setup import DEFAULT_INDEX_LAWS, resolve_index  # noqa: E402
from eval.loader import load_dialogues  # noqa: E402
from eval.models import Dialogue  # noqa: E402
from eval.runner import run_dialogues  # noqa: E402

HARD = ROOT / "eval" / "dialogues_hard"


def half(dialogue_id: str) -> str:
    return "dev" if int(hashlib.sha1(dialogue_id.encode()).hexdigest()[-1], 16) % 2 == 0 else "test"


def load_set(name: str) -> list[Dialogue]:
    if name == "shipped":
        dialogues, _ = load_dialogues([ROOT / "eval" / "dialogues"])
        return dialogues
    if not HARD.exists():
        return []
    dialogues, errors = load_dialogues([HARD])
    for error in errors:
        print(f"  load error: {error}", file=sys.stderr)
    wanted = name.removeprefix("hard-")
    return [d for d in dialogues if half(d.id) == wanted]


def _rate(hits: int, total: int) -> str:
    return f"{hits}/{total} = {hits / total:.1%}" if total else "n/a"


def measure(dialogues: list[Dialogue], index_dir: Path) -> dict[str, object]:
    settings = load_settings()
    run = run_dialogues(dialogues, settings, index_dir=index_dir, drafter="template")
    passed = sum(r.passed for r in run.dialogues)
    looped_ids = [r.dialogue.id for r in run.dialogues if loops(Scope(r.transcript))]
    looped = len(looped_ids)
    outcomes = [o for r in run.dialogues for o in r.outcomes]
    facts = [o for o in outcomes if o.spec.name == "facts"]
    answers = [o for o in outcomes if o.spec.name == "answers"]
    latencies = sorted(t.latency_ms for r in run.dialogues for t in r.transcript.turns)
    p95 = latencies[max(0, math.ceil(0.95 * len(latencies)) - 1)] if latencies else 0.0  # nearest rank
    return {
        "pass": _rate(passed, len(run.dialogues)),
        "loops": _rate(looped, len(run.dialogues)),
        "facts": _rate(sum(o.passed for o in facts), len(facts)),
        "answers": _rate(sum(o.passed for o in answers), len(answers)),
        "latency_ms": f"median {statistics.median(latencies) if latencies else 0:.1f}, p95 {p95:.1f}",
        "median": statistics.median(latencies) if latencies else 0.0,
        "p95": p95,
        "looped": looped_ids,
        "failures": [
            f"{r.dialogue.id}: " + "; ".join(f"{o.spec.where}: {o.spec.name}" for o in r.outcomes if not o.passed)
            for r in run.dialogues
            if not r.passed
        ],
    }


def understand_cost(dialogues: list[Dialogue]) -> str:
    """The understanding layer alone, per customer message (no I/O): what it adds to a turn."""
    import time
    from datetime import date

    from bot.understand import understand

    texts = [turn.text for d in dialogues for turn in d.turns] or ["你好"]
    understand(texts[0], date.today())
    started = time.perf_counter()
    for text in texts:
        understand(text, date.today(), ("order_no",))
    return f"{(time.perf_counter() - started) / len(texts) * 1000:.3f} ms per message ({len(texts)} messages)"


def fact_accuracy() -> str:
    """Share of the facts in bench/data/facts_gold.yaml that bot/understand reads right (null = must not be read)."""
    from datetime import date

    import yaml

    from bot.understand import understand
    from eval.conversation_checks import fact_mismatches

    gold = yaml.safe_load((ROOT / "bench" / "data" / "facts_gold.yaml").read_text(encoding="utf-8"))
    today = date.fromisoformat(str(gold["today"]))
    right = total = 0
    for item in gold["items"]:
        expecting = tuple(item.get("expecting", ()))
        slots = understand(item["text"], today, expecting).slots(expecting)
        facts = {k: (str(v) if isinstance(v, date) else v) for k, v in item["facts"].items()}
        total += len(facts)
        right += len(facts) - len(fact_mismatches(facts, slots))
    return f"{right}/{total} = {right / total:.1%}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=["shipped", "hard-dev", "hard-test"])
    parser.add_argument("--no-peer", action="store_true", help="skip the keyword-only engine")
    parser.add_argument(
        "--failures", action="store_true", help="list the failing dialogues and expectations (never for the test half)"
    )
    args = parser.parse_args()
    print(f"fact accuracy of bot/understand on bench/data/facts_gold.yaml: {fact_accuracy()}")
    with tempfile.TemporaryDirectory(prefix="bench-conv-") as build:
        index_dir = resolve_index(load_settings(), None, Path(build), DEFAULT_INDEX_LAWS)
        for name in args.sets:
            dialogues = load_set(name)
            if not dialogues:
                print(f"{name}: no dialogues")
                continue
            # the peer first: the first engine measured after the index build pays for cold caches
            engines = ([] if args.no_peer else [("keywords (peer)", "keywords")]) + [("understanding", None)]
            figures = {}
            for label, env in engines:
                if env:
                    os.environ[PEER_ENV] = env
                else:
                    os.environ.pop(PEER_ENV, None)
                figures[label] = measure(dialogues, index_dir)
            os.environ.pop(PEER_ENV, None)
            print(f"== {name} ({len(dialogues)} dialogues); understand(): {understand_cost(dialogues)}")
            for label, row in figures.items():
                shown = {k: v for k, v in row.items() if k not in ("median", "p95", "looped", "failures")}
                print(f"  {label:16} " + "  ".join(f"{k}: {v}" for k, v in shown.items()))
                if name == "hard-test":
                    continue  # the held-out half: figures only, never which dialogue failed (no tuning on it)
                if row.get("looped"):
                    print(f"  {'':16} loops in: {', '.join(row['looped'])}")  # type: ignore[arg-type]
                if args.failures:
                    for line in row["failures"]:  # type: ignore[attr-defined]
                        print(f"  {'':16} FAIL {line}")
            if len(figures) == 2:
                ours, peer = figures["understanding"], figures["keywords (peer)"]
                ratio_median = float(ours["median"]) / max(float(peer["median"]), 1e-9)  # type: ignore[arg-type]
                ratio_p95 = float(ours["p95"]) / max(float(peer["p95"]), 1e-9)  # type: ignore[arg-type]
                print(f"  latency ratio vs peer: median x{ratio_median:.2f}, p95 x{ratio_p95:.2f}")


if __name__ == "__main__":
    main()
