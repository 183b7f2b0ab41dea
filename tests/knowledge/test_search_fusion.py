"""Searcher's score fusion and law prior over the real small index (tests/fixtures/knowledge.py)."""

from __future__ import annotations

import pytest

from bot.settings import Settings
from knowledge.search import Searcher
from knowledge.types import SearchFilters

QUERIES = ("网购的衣服七天内能退货吗", "商家泄露我的手机号", "买到假货怎么赔偿", "快递丢了谁负责")
STATUTES = SearchFilters(sources=("statute",))


@pytest.mark.parametrize("query", QUERIES)
def test_when_the_priors_are_off_and_dense_is_off_then_search_is_the_bm25_ranking(
    small_index_settings: Settings, query: str
) -> None:
    plain = {"law_prior": 0.0, "core_law_prior": 0.0, "topic_prior": 0.0, "dense_weight": 0.0}
    searcher = Searcher(small_index_settings.model_copy(update=plain).search_config)
    rows = searcher.bm25_ranking(query, STATUTES, n=10)
    expected = [(searcher.records[r]["law"], searcher.records[r]["article"]) for r in rows]
    assert [(p.law, p.article) for p in searcher.search(query, top_k=10, filters=STATUTES)] == expected


@pytest.mark.parametrize("query", QUERIES)
def test_when_fused_then_scores_are_below_a_direct_lookup_and_descending(
    small_index_settings: Settings, query: str
) -> None:
    passages = Searcher(small_index_settings.search_config).search(query, top_k=10)
    scores = [p.score for p in passages]
    assert passages and scores == sorted(scores, reverse=True)
    assert all(0 < s < 1.0 for s in scores)


def test_when_only_policies_are_asked_for_then_the_prior_returns_policies_only(small_index_settings: Settings) -> None:
    policies = SearchFilters(sources=("policy",))
    passages = Searcher(small_index_settings.search_config).search("退货运费谁出", top_k=5, filters=policies)
    assert passages and {p.source for p in passages} == {"policy"}


def test_when_the_prior_weight_is_negative_then_settings_refuse_it() -> None:
    with pytest.raises(ValueError, match="law_prior"):
        Settings(law_prior=-1.0)


def test_when_the_core_prior_is_on_then_matching_core_passages_gain_and_non_matching_ones_stay_zero(
    small_index_settings: Settings,
) -> None:
    # the small index holds only core laws and policies, so every matching passage is in scope
    off = Searcher(small_index_settings.model_copy(update={"core_law_prior": 0.0, "law_prior": 0.0}).search_config)
    on = Searcher(small_index_settings.model_copy(update={"core_law_prior": 1.0, "law_prior": 0.0}).search_config)
    before, after = off.fused_scores("商家泄露我的手机号"), on.fused_scores("商家泄露我的手机号")
    matching = before > 0
    assert matching.any() and (after[matching] > before[matching]).all()
    assert not after[~matching].any()
