"""Weighted reciprocal rank fusion of several ranked lists.

RRF needs no score calibration between BM25 and cosine similarity: each list contributes
``weight / (k + rank)``. A list with weight 0 contributes nothing (and is never computed upstream).
"""

from __future__ import annotations

from collections.abc import Sequence

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
