"""Score fusion and the source-document prior (knowledge.fusion)."""

from __future__ import annotations

import numpy as np
import pytest

from knowledge.fusion import group_evidence, normalise_top, weighted_rrf


def test_when_normalised_then_best_is_one_and_the_top_th_is_zero() -> None:
    scores = np.array([3.0, 2.0, 1.0, 0.0, 5.0], dtype=np.float32)
    out = normalise_top(scores, np.ones(5, dtype=bool), top=3)
    assert out.tolist() == pytest.approx([1 / 3, 0.0, 0.0, 0.0, 1.0])


def test_when_a_row_is_not_allowed_then_it_neither_scores_nor_sets_the_scale() -> None:
    scores = np.array([10.0, 2.0, 1.0], dtype=np.float32)
    out = normalise_top(scores, np.array([False, True, True]), top=5)
    assert out.tolist() == pytest.approx([0.0, 1.0, 0.5])


@pytest.mark.parametrize("scores", [[0.0, 0.0], [-1.0, -2.0]])
def test_when_nothing_matches_then_the_side_contributes_nothing(scores: list[float]) -> None:
    out = normalise_top(np.array(scores, dtype=np.float32), np.ones(2, dtype=bool), top=10)
    assert not out.any()


def test_when_all_matches_tie_then_each_scores_one() -> None:
    out = normalise_top(np.array([2.0, 2.0, 0.0], dtype=np.float32), np.ones(3, dtype=bool), top=10)
    assert out.tolist() == [1.0, 1.0, 0.0]


def test_when_a_law_matches_many_times_then_its_articles_get_more_evidence_than_a_single_lucky_hit() -> None:
    # rows 0-2: law 0 with three middling matches; row 3: law 1 with one strong match; row 4: no law
    scores = np.array([0.6, 0.5, 0.4, 0.9, 1.0], dtype=np.float32)
    groups = np.array([0, 0, 0, 1, -1])
    out = group_evidence(scores, groups, per_group=3, candidates=10)
    assert out[:3].tolist() == pytest.approx([1.0, 1.0, 1.0])
    assert out[3] == pytest.approx(0.9 / 1.5)
    assert out[4] == 0.0


def test_when_per_group_is_one_then_only_each_groups_best_match_counts() -> None:
    scores = np.array([0.6, 0.5, 0.4, 0.9], dtype=np.float32)
    out = group_evidence(scores, np.array([0, 0, 0, 1]), per_group=1, candidates=10)
    assert out.tolist() == pytest.approx([0.6 / 0.9, 0.6 / 0.9, 0.6 / 0.9, 1.0])


def test_when_a_match_is_outside_the_candidates_then_it_adds_no_evidence() -> None:
    scores = np.array([0.9, 0.1, 0.1, 0.8], dtype=np.float32)
    out = group_evidence(scores, np.array([0, 1, 1, 2]), per_group=5, candidates=2)
    assert out[1] == 0.0 and out[2] == 0.0
    assert out[0] == pytest.approx(1.0)


def test_when_nothing_scores_then_there_is_no_evidence() -> None:
    assert not group_evidence(np.zeros(4, dtype=np.float32), np.array([0, 1, 1, 2]), 3, 10).any()


def test_when_a_list_has_weight_zero_then_rrf_ignores_it() -> None:
    assert [doc for doc, _ in weighted_rrf([(1.0, [1, 2]), (0.0, [2, 1])])] == [1, 2]
