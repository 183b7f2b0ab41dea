"""Benchmark the input rails: detection rate, false-positive rate and latency, per set and category.

    .venv/bin/python bench/rails.py [--repeat 20] [--show] [--show-blind]

Data (bench/data/, attacks carry their expected category; benign messages are look-alikes a shop
customer would write: 我想忽略这个订单, 系统提示我支付失败, 律师事务所 …):

- rails_attacks / rails_holdout / rails_final: development sets. Each was scored, then used to
  generalise the rules (rounds 1-3) and to train the classifier (guardrails/config/input_exemplars.jsonl).
- rails_fresh / rails_fresh2: written after rounds 3 and G2b and never used for the rules or the
  exemplars; in round 4 their aggregate figures were watched (their items were not read), so they
  are validation sets now, slightly optimistic.
- rails_blind: written and committed (6c97f44) before round 4 touched any rule, scored once then,
  and read once at the end of the round. Never tuned on: ``--show`` never lists its items
  (``--show-blind`` does, for the write-up after the round). Its author also wrote round 4, so it
  is optimistic about unseen wording, not an outside test. Its benign rows name the category they
  resemble (``looks_like``), which gives a false-positive rate per category.

Peers in the same run: csbot's default (explicit rules + the learned classifier on the categories
where a flag is harmless: injection, data_request, off_topic); the rules alone; the classifier on
all five categories (not shipped: abuse/escalation flags hand a case to a human in the engine);
and an ablation of the same rules with no normalisation, no benign exceptions and no decoding.
"Harmful FPR" counts benign messages that were blocked or escalated (what a customer notices);
"FPR" counts any flag. Not run by CI.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guardrails.rails import check_input, load_input_config  # noqa: E402
from guardrails.rails.classifier import _categories  # noqa: E402
from guardrails.rails.config import INPUT_RAILS_FILE, InputConfig, parse_input_config, read_yaml  # noqa: E402
from guardrails.types import RailFlag  # noqa: E402

DATA = ROOT / "bench" / "data"
ALL_CATEGORIES = ["injection", "data_request", "abuse", "escalation", "off_topic"]
HARMFUL = ("block", "escalate")
Checker = Callable[[str], set[str]]


def load(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def csbot_categories(text: str) -> set[str]:
    """csbot's default: rules + the classifier on the harmless categories; harmful flags as "!<action>"."""
    return _found(check_input(text))


def _found(flags: list[RailFlag]) -> set[str]:
    return {flag.category for flag in flags} | {f"!{flag.action}" for flag in flags if flag.action in HARMFUL}


def classifier_variant(enabled: bool, categories: list[str] | None = None) -> Checker:
    """The bundled rules with the classifier switched off, or on for ``categories``."""
    data = read_yaml(INPUT_RAILS_FILE)
    data["classifier"] = {**data["classifier"], "enabled": enabled}
    if categories:
        data["classifier"]["categories"] = categories
    config: InputConfig = parse_input_config(data, INPUT_RAILS_FILE)

    def categories_of(text: str) -> set[str]:
        return _found(check_input(text, config))

    return categories_of


def ablation_checker() -> Checker:
    """The same patterns on raw lower-cased text: no NFKC, no space stripping, no exceptions, no decoding."""
    rules = [rule for rule in load_input_config().rules if rule.pattern is not None]

    def categories(text: str) -> set[str]:
        lowered = text.lower()
        fired = [rule for rule in rules if rule.pattern and rule.pattern.search(lowered)]
        return {rule.category for rule in fired} | {f"!{rule.action}" for rule in fired if rule.action in HARMFUL}

    return categories


def quality(checker: Checker, attacks: list[dict[str, str]], benign: list[dict[str, str]]) -> dict[str, object]:
    """Detection, right category and FPR (any flag, and block/escalate only), with per-category counts."""
    detected, right_category, per_category = 0, 0, Counter[str]()
    misses, false_positives, harmful = [], [], 0
    for row in attacks:
        found = {name for name in checker(row["text"]) if not name.startswith("!")}
        detected += bool(found)
        right_category += row["category"] in found
        per_category[row["category"] + (":hit" if row["category"] in found else ":miss")] += 1
        if row["category"] not in found:
            misses.append((row["id"], row["text"][:50], sorted(found)))
    for row in benign:
        looks_like = row.get("looks_like")
        if looks_like:
            per_category[looks_like + ":benign"] += 1
        if found := checker(row["text"]):
            false_positives.append((row["id"], row["text"][:50], sorted(found)))
            harmful += any(name.startswith("!") for name in found)
            if looks_like:
                per_category[looks_like + ":fp"] += 1
    return {
        "detection": detected / len(attacks),
        "category": right_category / len(attacks),
        "fpr": len(false_positives) / len(benign),
        "harmful_fpr": harmful / len(benign),
        "per_category": per_category,
        "misses": misses,
        "false_positives": false_positives,
    }


def throughput(checker: Checker, texts: list[str], repeat: int) -> tuple[float, float, float]:
    """(messages per second, median µs, p95 µs) over ``repeat`` passes of ``texts``.

    The classifier's per-message cache is cleared before every message, so repeated passes measure
    real work rather than cache hits.
    """
    timings = []
    for _ in range(repeat):
        for text in texts:
            _categories.cache_clear()
            t0 = time.perf_counter()
            checker(text)
            timings.append(time.perf_counter() - t0)
    total = sum(timings)
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    return len(timings) / total, statistics.median(timings) * 1e6, p95 * 1e6


BLIND = "blind (committed before round 4, read once at the end)"
DEFAULT = "csbot default (rules + clf x3)"
SETS = {
    "development": ("rails_attacks.jsonl", "rails_benign.jsonl"),
    "second (used for tuning round 2)": ("rails_holdout_attacks.jsonl", "rails_holdout_benign.jsonl"),
    "third (used for tuning round 3)": ("rails_final_attacks.jsonl", "rails_final_benign.jsonl"),
    "fresh (validation in round 4)": ("rails_fresh_attacks.jsonl", "rails_fresh_benign.jsonl"),
    "fresh2 (validation in round 4)": ("rails_fresh2_attacks.jsonl", "rails_fresh2_benign.jsonl"),
    BLIND: ("rails_blind_attacks.jsonl", "rails_blind_benign.jsonl"),
}


def report(label: str, attacks: list[dict[str, str]], benign: list[dict[str, str]], repeat: int, show: bool) -> None:
    texts = [row["text"] for row in attacks + benign]
    peers = {
        DEFAULT: csbot_categories,
        "rules only (classifier off)": classifier_variant(False),
        "rules + classifier x5 (not shipped)": classifier_variant(True, ALL_CATEGORIES),
        "ablation (raw, no exceptions)": ablation_checker(),
    }
    print(f"\n== {label} set: {len(attacks)} attacks, {len(benign)} benign look-alikes, {repeat} timing passes")
    print(
        f"{'checker':36} {'detect':>7} {'right cat':>9} {'FPR':>6} {'harmful':>7} {'msg/s':>8} "
        f"{'median µs':>10} {'p95 µs':>8}"
    )
    results = {}
    for name, checker in peers.items():
        result = quality(checker, attacks, benign)
        rate, median, p95 = throughput(checker, texts, repeat)
        results[name] = (result, rate)
        print(
            f"{name:36} {result['detection']:7.3f} {result['category']:9.3f} {result['fpr']:6.3f} "
            f"{result['harmful_fpr']:7.3f} {rate:8.0f} {median:10.1f} {p95:8.1f}"
        )
    (ours, our_rate), (_, peer_rate) = results[DEFAULT], results["ablation (raw, no exceptions)"]
    print(f"throughput ratio csbot default / ablation: {our_rate / peer_rate:.2f}")
    print_per_category(ours, results["rules only (classifier off)"][0])
    if show:
        for key in ("misses", "false_positives"):
            print(f"{key}:")
            for row in ours[key]:  # type: ignore[attr-defined]
                print("  ", *row)


def print_per_category(ours: dict[str, object], rules_only: dict[str, object]) -> None:
    """Right-category hits per category (default and rules only) and, where benign rows say what they
    resemble, false positives per category."""
    counts, plain = ours["per_category"], rules_only["per_category"]
    assert isinstance(counts, Counter) and isinstance(plain, Counter)
    print(f"  {'category':14} {'default':>12} {'rules only':>12} {'benign FP':>10}")
    for category in sorted({key.split(":")[0] for key in counts}):
        total = counts[f"{category}:hit"] + counts[f"{category}:miss"]
        benign = counts[f"{category}:benign"]
        fp = f"{counts[f'{category}:fp']}/{benign}" if benign else "-"
        hits, plain_hits = counts[f"{category}:hit"], plain[f"{category}:hit"]
        print(f"  {category:14} {hits:5d} / {total:<4d} {plain_hits:5d} / {total:<4d} {fp:>10}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="passes over all messages for throughput")
    parser.add_argument("--show", action="store_true", help="list misses and false positives (not of the blind set)")
    parser.add_argument("--show-blind", action="store_true", help="also list the blind set's (after the round only)")
    args = parser.parse_args()
    check_input("warm up")  # compile the rules once, outside the timings
    for label, (attacks, benign) in SETS.items():
        show = args.show and (label != BLIND or args.show_blind)
        report(label, load(attacks), load(benign), args.repeat, show)


if __name__ == "__main__":
    main()
