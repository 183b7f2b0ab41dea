from __future__ import annotations

import pytest

from knowledge.statutes import IN_FORCE, REPEALED, StatuteStore


@pytest.fixture(scope="module")
def store() -> StatuteStore:
    return StatuteStore.open_default()


@pytest.mark.parametrize(
    ("spelling", "full_name"),
    [
        ("消法", "中华人民共和国消费者权益保护法"),
        ("消费者权益保护法", "中华人民共和国消费者权益保护法"),
        ("《中华人民共和国消费者权益保护法》", "中华人民共和国消费者权益保护法"),
        ("个保法", "中华人民共和国个人信息保护法"),
        ("电商法", "中华人民共和国电子商务法"),
        ("民诉法", "中华人民共和国民事诉讼法"),
        ("食安法", "中华人民共和国食品安全法"),
        ("产品质量法", "中华人民共和国产品质量法"),
        (" 《 民法典 》 ", "中华人民共和国民法典"),
        ("合同法", "中华人民共和国合同法"),
    ],
)
def test_when_law_is_spelled_any_known_way_then_it_resolves_to_the_full_name(
    store: StatuteStore, spelling: str, full_name: str
) -> None:
    assert store.resolve_law(spelling) == full_name


@pytest.mark.parametrize("spelling", ["", "不存在的法", "消费者权益保护法实施细则xyz"])
def test_when_law_is_unknown_then_it_does_not_resolve(store: StatuteStore, spelling: str) -> None:
    assert store.resolve_law(spelling) is None


def test_when_article_is_fetched_by_short_name_then_text_and_metadata_are_the_statutes(store: StatuteStore) -> None:
    article = store.get("消法", 25)
    assert article is not None
    assert article.law == "中华人民共和国消费者权益保护法"
    assert article.article_no == "第二十五条"
    assert "七日内退货" in article.text
    assert article.status == IN_FORCE and article.in_force
    assert article.chapter and "经营者的义务" in article.chapter


def test_when_article_does_not_exist_then_get_returns_none(store: StatuteStore) -> None:
    assert store.get("民法典", 9999) is None
    assert store.get("没有这部法", 1) is None


def test_when_law_is_repealed_then_status_says_so(store: StatuteStore) -> None:
    assert store.law_status("中华人民共和国合同法") == REPEALED
    assert store.law_status("中华人民共和国民法典") == IN_FORCE
    assert store.law_status("中华人民共和国不存在法") is None


def test_when_listing_articles_in_force_then_the_whole_corpus_is_there_and_all_in_force(store: StatuteStore) -> None:
    articles = list(store.articles())
    assert len(articles) > 20000
    assert all(a.status == IN_FORCE for a in articles)
    assert len(list(store.articles(in_force_only=False))) > len(articles)
