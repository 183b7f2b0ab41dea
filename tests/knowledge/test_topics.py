"""The per-query topic prior (knowledge/data/topics.yaml, knowledge.topics, Searcher.fused_scores)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.settings import Settings
from knowledge.search import Searcher
from knowledge.statutes import StatuteStore
from knowledge.topics import Target, Topic, TopicPrior, load_topics_text, parse_topics, topic_table

RECORDS: list[dict[str, Any]] = [
    {"law": "甲法", "article": 1},
    {"law": "甲法", "article": 5},
    {"law": "甲法", "article": 9},
    {"law": "乙法", "article": 2},
    {"law": None, "article": None},
]
TOPICS = (
    Topic("甲中段", ("离婚",), (Target("甲法", 4, 9),)),
    Topic("乙全部", ("工资",), (Target("乙法"),)),
    Topic("甲须两词", ("借",), (Target("甲法", 1, 1),), with_all=("钱",)),
)


def test_every_shipped_topic_names_a_law_in_force_and_articles_that_exist() -> None:
    store = StatuteStore.open_default()
    assert len(topic_table()) > 20
    for topic in topic_table():
        for target in topic.targets:
            law = store.resolve_law(target.law)
            assert law is not None and store.law_status(law) == "现行有效", (topic.name, target.law)
            if target.first is not None and target.last is not None:
                assert store.get(law, target.first) and store.get(law, target.last), (topic.name, target)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("我想离婚", [False, True, True, False, False]),
        ("公司拖欠工资", [False, False, False, True, False]),
        ("离婚后工资怎么分", [False, True, True, True, False]),
        ("借钱不还", [True, False, False, False, False]),
        ("借个充电宝", [False, False, False, False, False]),
        ("今天天气很好", [False, False, False, False, False]),
    ],
)
def test_when_a_cue_word_is_in_the_query_then_exactly_its_topics_passages_are_marked(
    query: str, expected: list[bool]
) -> None:
    prior = TopicPrior(RECORDS, lambda name: name, TOPICS)
    assert prior.mask(query).tolist() == expected


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="离婚工资借钱天气好的", max_size=12))
def test_the_mask_is_the_union_of_the_fired_topics_targets(query: str) -> None:
    prior = TopicPrior(RECORDS, lambda name: name, TOPICS)
    expected = np.array(
        [
            any(t.fires(query) and any(tg.covers(r["law"], r["article"]) for tg in t.targets) for t in TOPICS)
            for r in RECORDS
        ]
    )
    assert (prior.mask(query) == expected).all()
    if not prior.fired(query):
        assert not prior.mask(query).any()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("topics: x\n", r"topics\.yaml: expected a mapping with a 'topics' list"),
        (
            "topics:\n  - {when: [a], laws: [{law: 民法典}]}\n  - {when: [], laws: [{law: 民法典}]}\n",
            r"entry #2 \(line 3\) needs a non-empty 'when'",
        ),
        ("topics:\n  - {when: [a]}\n", r"entry #1 \(line 2\) needs a non-empty 'laws'"),
        ("topics:\n  - {when: [a], laws: [民法典]}\n", r"entry #1 \(line 2\): every entry of 'laws' needs a 'law'"),
        ("topics:\n  - {when: [a], laws: [{law: 民法典, articles: [9, 3]}]}\n", r"'articles' of 民法典 must be"),
        ("topics:\n  - {when: [a], laws: [{law: 民法典, articles: [1]}]}\n", r"'articles' of 民法典 must be"),
        ("topics:\n  - {when: [a], with: b, laws: [{law: 民法典}]}\n", r"entry #1 \(line 2\) has a 'with'"),
        ("topics:\n  - 离婚\n", r"entry #1 \(line 2\) is not a mapping"),
        ("topics:\n  - {when: [a], laws: [{law: 民法典}]\n", r"topics\.yaml: line \d+ is not valid YAML"),
    ],
)
def test_when_the_topic_file_is_malformed_then_the_error_names_the_file_entry_and_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_topics_text(text, "topics.yaml")


def test_when_parsed_then_a_range_and_a_whole_law_become_targets() -> None:
    topics = parse_topics(
        {
            "topics": [
                {
                    "name": "婚",
                    "when": ["离婚"],
                    "laws": [{"law": "民法典", "articles": [1040, 1118]}, {"law": "劳动法"}],
                }
            ]
        }
    )
    assert topics[0].targets == (Target("民法典", 1040, 1118), Target("劳动法"))


QUERY = "离婚后孩子的抚养费怎么算"


def test_when_the_topic_prior_is_on_then_matching_passages_of_the_topic_gain_and_others_do_not(
    small_index_settings: Settings,
) -> None:
    base = {"law_prior": 0.0, "core_law_prior": 0.0, "dense_weight": 0.0}  # BM25 alone: weights sum to 1
    off = Searcher(small_index_settings.model_copy(update={**base, "topic_prior": 0.0}).search_config)
    on = Searcher(small_index_settings.model_copy(update={**base, "topic_prior": 1.0}).search_config)
    before, after = off.fused_scores(QUERY), on.fused_scores(QUERY)
    topical = on._topics.mask(QUERY)
    matching = before > 0
    assert (matching & topical).any() and (matching & ~topical).any()
    # scores are divided by the sum of the weights (1 without the prior, 2 with it)
    assert np.allclose(after[matching & topical], (before[matching & topical] + 1) / 2, atol=1e-5)
    assert np.allclose(after[matching & ~topical], before[matching & ~topical] / 2, atol=1e-5)
    assert not after[~matching].any()


def test_when_the_topic_prior_is_on_then_a_family_question_ranks_marriage_articles_first(
    small_index_settings: Settings,
) -> None:
    passages = Searcher(small_index_settings.search_config).search(QUERY, top_k=3, filters=None)
    statutes = [p for p in passages if p.source == "statute"]
    assert statutes and all(p.law == "中华人民共和国民法典" and 1040 <= (p.article or 0) <= 1118 for p in statutes)


def test_when_the_topic_prior_is_negative_then_settings_refuse_it() -> None:
    with pytest.raises(ValueError, match="topic_prior"):
        Settings(topic_prior=-0.1)


@pytest.mark.parametrize(
    "query",
    [
        "买的狗粮吃坏了肚子",
        "在商场买的衣服能退吗",
        "店老板不给退货",
        "快递丢了谁负责",
        "婚纱照拍得不好要退款",
        "这个品牌的手机坏了",
        "网站上买的电动车刹车失灵",
        "商品照片和实物不符",
        "员工态度很差我要投诉",
    ],
)
def test_when_a_shop_question_names_everyday_things_then_no_topic_outside_the_shop_fires(query: str) -> None:
    prior = TopicPrior([], lambda name: name)
    assert prior.fired(query) == []


@pytest.mark.parametrize(
    ("query", "topic"),
    [
        ("老公欠了钱要离婚", "婚姻家庭"),
        ("公司拖欠工资还不交社保", "劳动"),
        ("被邻居的狗咬伤了", "饲养动物"),
        ("房东不退押金", "租赁"),
        ("保险公司拒绝理赔", "保险"),
        ("坐高铁行李丢了", "运输"),
    ],
)
def test_when_a_question_names_an_area_of_law_then_its_topic_fires(query: str, topic: str) -> None:
    assert topic in TopicPrior([], lambda name: name).fired(query)
