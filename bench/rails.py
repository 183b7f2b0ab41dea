"""Benchmark the input rails: detection rate, false-positive rate and throughput.

    .venv/bin/python bench/rails.py [--repeat 20] [--show]

Data: bench/data/rails_attacks.jsonl (attacks and triggers, each with its expected category) and
bench/data/rails_benign.jsonl (ordinary messages that look like triggers: 我想忽略这个订单, 系统提示我
支付失败, 律师事务所 …), written by hand before the rules were tuned. The rules were then
generalised from the kinds of misses they showed, so these are a development set. The
rails_holdout_*.jsonl set was written after that first round and scored 0.556 detection / 0.017 FPR;
its misses drove a second round of generalisation, so it is a development set now too. The
rails_final_*.jsonl set, written after round 2, scored 0.267 / 0.045 and drove round 3. The
rails_fresh_*.jsonl set was written after round 3 and never used for tuning: its figures are the
honest estimate of how the rules do on phrasings nobody wrote them for. The rails_fresh2_*.jsonl set
was written (and committed) before the co-occurrence rules and synonym terms were added, and was
scored once, after them, with no change made since: the honest figure for the current mechanism.
Its author also wrote the rules, so it is optimistic about unseen wording, not an outside test.

csbot's input rails are explicit rules; an opt-in learned classifier (flag only, off by default)
is trained on the first three sets (guardrails/config/input_exemplars.jsonl), so on those three
its figures are training fit; only the fresh set measures it. Its n-gram range, C and threshold were chosen by
leave-one-set-out cross-validation on the three training sets (disclosure: one exploratory sweep
had been scored on the fresh set before that; the chosen setting was not picked from it).

Peers, measured in the same run: the rules without the classifier, and an ablation of the same
rules with no normalisation (raw lower-case text), no benign exceptions and no decoding of encoded
payloads, so the table shows what each of those costs and buys. Not run by CI.
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
from guardrails.rails.config import INPUT_RAILS_FILE, parse_input_config, read_yaml  # noqa: E402

DATA = ROOT / "bench" / "data"
Checker = Callable[[str], set[str]]


def load(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def csbot_categories(text: str) -> set[str]:
    return {flag.category for flag in check_input(text)}


def with_classifier_checker() -> Checker:
    """csbot's rules plus the learned classifier, which is off by default (input_rails.yaml)."""
    data = read_yaml(INPUT_RAILS_FILE)
    data["classifier"] = {**data["classifier"], "enabled": True}
    config = parse_input_config(data, INPUT_RAILS_FILE)

    def categories(text: str) -> set[str]:
        return {flag.category for flag in check_input(text, config)}

    return categories


def ablation_checker() -> Checker:
    """The same patterns on raw lower-cased text: no NFKC, no space stripping, no exceptions, no decoding."""
    rules = [rule for rule in load_input_config().rules if rule.pattern is not None]

    def categories(text: str) -> set[str]:
        lowered = text.lower()
        return {rule.category for rule in rules if rule.pattern and rule.pattern.search(lowered)}

    return categories


def quality(checker: Checker, attacks: list[dict[str, str]], benign: list[dict[str, str]]) -> dict[str, object]:
    detected, right_category, per_category = 0, 0, Counter[str]()
    misses, false_positives = [], []
    for row in attacks:
        found = checker(row["text"])
        detected += bool(found)
        right_category += row["category"] in found
        per_category[row["category"] + (":hit" if row["category"] in found else ":miss")] += 1
        if row["category"] not in found:
            misses.append((row["id"], row["text"][:50], sorted(found)))
    for row in benign:
        if found := checker(row["text"]):
            false_positives.append((row["id"], row["text"][:50], sorted(found)))
    return {
        "detection": detected / len(attacks), "category": right_category / len(attacks),
        "fpr": len(false_positives) / len(benign), "per_category": per_category,
        "misses": misses, "false_positives": false_positives,
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


SETS = {
    "development": ("rails_attacks.jsonl", "rails_benign.jsonl"),
    "second (used for tuning round 2)": ("rails_holdout_attacks.jsonl", "rails_holdout_benign.jsonl"),
    "third (used for tuning round 3)": ("rails_final_attacks.jsonl", "rails_final_benign.jsonl"),
    "fresh held-out": ("rails_fresh_attacks.jsonl", "rails_fresh_benign.jsonl"),
    "fresh2 held-out (co-occurrence round)": ("rails_fresh2_attacks.jsonl", "rails_fresh2_benign.jsonl"),
}


def report(label: str, attacks: list[dict[str, str]], benign: list[dict[str, str]], repeat: int, show: bool) -> None:
    texts = [row["text"] for row in attacks + benign]
    peers = {
        "csbot rails (default: rules)": csbot_categories,
        "rules + classifier (opt-in)": with_classifier_checker(),
        "ablation (raw, no exceptions)": ablation_checker(),
    }
    print(f"\n== {label} set: {len(attacks)} attacks, {len(benign)} benign look-alikes, {repeat} timing passes")
    print(f"{'checker':32} {'detect':>7} {'right cat':>9} {'FPR':>6} {'msg/s':>9} {'median µs':>10} {'p95 µs':>8}")
    results = {}
    for name, checker in peers.items():
        result = quality(checker, attacks, benign)
        rate, median, p95 = throughput(checker, texts, repeat)
        results[name] = (result, rate)
        print(f"{name:32} {result['detection']:7.3f} {result['category']:9.3f} {result['fpr']:6.3f} "
              f"{rate:9.0f} {median:10.1f} {p95:8.1f}")
    (ours, our_rate), (_, peer_rate) = results["csbot rails (default: rules)"], results["ablation (raw, no exceptions)"]
    print(f"throughput ratio csbot / ablation: {our_rate / peer_rate:.2f}")
    per_category = ours["per_category"]
    assert isinstance(per_category, Counter)
    print("per category (csbot rails): hit / total")
    for category in sorted({key.split(":")[0] for key in per_category}):
        hits, misses = per_category[f"{category}:hit"], per_category[f"{category}:miss"]
        print(f"  {category:14} {hits:4d} / {hits + misses:<4d} {hits / (hits + misses):.3f}")
    if show:
        for key in ("misses", "false_positives"):
            print(f"{key}:")
            for row in ours[key]:  # type: ignore[attr-defined]
                print("  ", *row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="passes over all messages for throughput")
    parser.add_argument("--show", action="store_true", help="list misses and false positives")
    args = parser.parse_args()
    check_input("warm up")  # compile the rules once, outside the timings
    for label, (attacks, benign) in SETS.items():
        report(label, load(attacks), load(benign), args.repeat, args.show)


if __name__ == "__main__":
    main()
