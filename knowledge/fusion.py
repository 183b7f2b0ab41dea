"""Fusion of the lexical and dense sides, and the source-document evidence prior.

Two ways to combine ranked lists live here:

* :func:`weighted_rrf` (reciprocal rank fusion) needs no calibration: each list contributes
  ``weight / (k + rank)``. Kept for callers that only have rankings.
* :func:`normalise_top` + a convex combination is what :class:`knowledge.search.Searcher` uses:
  each side's scores are min-max normalised over its own top candidates, so a strong BM25 match
  keeps its margin instead of being flattened to a rank (bench/retrieval.py, STARD dev half: score
  fusion beat RRF at every k tried).

:func:`group_evidence` adds a soft prior per source document (a law, a policy document): a law
whose articles match the query many times over is more likely the law the question is about than
one with a single lucky match, so every article of it gets a share of that evidence.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

RRF_K = 60


def weighted_rrf(rankings: Sequence[tuple[float, Sequence[int]]], k: int = RRF_K) -> list[tuple[int, float]]:
    """``[(weight, [doc, ...best first]), ...]`` -> ``[(doc, fused score)]`` best first."""
    scores: dict[int, float] = {}
    for weight, ranking in rankings:
        if weight <= 0:
            continue
        for rank, doc in enumerate(ranking, start=1):
            scores[doc] = scores.get(doc, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def normalise_top(scores: np.ndarray, allowed: np.ndarray, top: int) -> np.ndarray:
    """Min-max over the ``top`` best allowed scores: the best -> 1, the ``top``-th -> 0.

    Everything below the ``top``-th, every disallowed row and every row scoring <= 0 is 0, so a
    side with no match contributes nothing.
    """
    out = np.where(allowed & (scores > 0), scores, 0.0).astype(np.float32)
    positive = int(np.count_nonzero(out))
    if positive == 0:
        return out
    top = min(top, positive)
    high = float(out.max())
    low = float(np.partition(out, -top)[-top]) if positive > top else 0.0
    if high <= low:
        return np.where(out > 0, 1.0, 0.0).astype(np.float32)
    scaled: np.ndarray = np.clip((out - low) / (high - low), 0.0, None).astype(np.float32)
    return scaled


def group_evidence(scores: np.ndarray, groups: np.ndarray, per_group: int, candidates: int) -> np.ndarray:
    """Per row, the evidence for its group in [0, 1]: the sum of the group's ``per_group`` best
    scores among the ``candidates`` best rows, divided by the best group's sum.

    ``groups`` holds a non-negative group code per row (-1: no group, never boosted). Vectorised:
    the candidates are sorted by (group, score) and ranked within their group.
    """
    out = np.zeros(len(scores), dtype=np.float32)
    candidates = min(candidates, len(scores))
    if candidates == 0:
        return out
    rows = np.argpartition(-scores, candidates - 1)[:candidates]
    rows = rows[(scores[rows] > 0) & (groups[rows] >= 0)]
    if rows.size == 0:
        return out
    order = rows[np.lexsort((-scores[rows], groups[rows]))]
    codes = groups[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    rank_in_group = np.arange(order.size) - np.repeat(starts, np.diff(np.r_[starts, order.size]))
    kept = rank_in_group < per_group
    totals = np.zeros(int(groups.max()) + 1, dtype=np.float64)
    np.add.at(totals, codes[kept], scores[order[kept]])
    totals /= totals.max()
    has_group = groups >= 0
    out[has_group] = totals[groups[has_group]]
    return out
