"""Integration: a real index on disk (fixture small_index_settings), queried through Searcher and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import build_app
from bot.settings import Settings
from knowledge.search import IndexMissingError, Searcher
from knowledge.types import SearchFilters


@pytest.fixture(scope="module")
def searcher(small_index_settings: Settings) -> Searcher:
    return Searcher(small_index_settings)


@pytest.mark.parametrize(
    ("query", "law", "article"),
    [
        ("网购的衣服七天无理由退货可以吗", "中华人民共和国消费者权益保护法", 25),
        ("健身房跑路了，预付的钱能要回来吗", "中华人民共和国消费者权益保护法", 53),
        ("商家卖假货欺诈消费者怎么赔偿", "中华人民共和国消费者权益保护法", 55),
        ("买的食品不符合食品安全标准，能要求十倍赔偿吗", "中华人民共和国食品安全法", 148),
    ],
)
def test_when_customer_asks_then_the_governing_article_is_in_the_top_five(
    searcher: Searcher, query: str, law: str, article: int
) -> None:
    hits = searcher.search(query, top_k=5, filters=SearchFilters(sources=("statute",)))
    assert (law, article) in {(p.law, p.article) for p in hits}
    assert all(p.source == "statute" and p.in_force for p in hits)


@pytest.mark.parametrize(
    ("query", "law", "article"),
    [("消法24条", "中华人民共和国消费者权益保护法", 24), ("民法典第五百八十四条", "中华人民共和国民法典", 584),
     ("《个人信息保护法》第47条怎么说", "中华人民共和国个人信息保护法", 47),
     ("电商法 第 59 条", "中华人民共和国电子商务法", 59)],
)
def test_when_query_names_an_article_then_it_is_the_first_result(
    searcher: Searcher, query: str, law: str, article: int
) -> None:
    first = searcher.search(query, top_k=3)[0]
    assert (first.law, first.article) == (law, article)
    assert searcher.lookup(query)[0].text == first.text


def test_when_restricted_to_policies_then_only_policy_sections_come_back(searcher: Searcher) -> None:
    hits = searcher.search("退货运费谁承担", top_k=5, filters=SearchFilters(sources=("policy",)))
    assert hits and all(p.source == "policy" and p.doc and p.section for p in hits)
    assert hits[0].label.startswith("《")


def test_when_restricted_to_one_law_then_other_laws_are_excluded(searcher: Searcher) -> None:
    filters = SearchFilters(sources=("statute",), laws=("电子商务法",))
    hits = searcher.search("平台经营者 责任", top_k=5, filters=filters)
    assert hits and {p.law for p in hits} == {"中华人民共和国电子商务法"}


@pytest.mark.parametrize("query", ["", "   ", "😀😀😀", "<script>alert(1)</script>", "x" * 20000])
def test_when_query_is_empty_or_odd_then_search_answers_without_error(searcher: Searcher, query: str) -> None:
    hits = searcher.search(query, top_k=5)
    assert len(hits) <= 5


def test_when_no_index_exists_then_searcher_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="csbot index build"):
        Searcher(Settings(home=tmp_path / "empty"))


def test_cli_search_json_and_batch(small_index_settings: Settings, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSBOT_HOME", str(small_index_settings.home))
    runner = CliRunner()
    single = runner.invoke(build_app(), ["search", "消法25条", "--top-k", "2", "--json"])
    assert single.exit_code == 0, single.output
    assert json.loads(single.stdout)[0]["article"] == 25
    batch = tmp_path / "queries.jsonl"
    batch.write_text('{"id": 1, "query": "七天无理由退货"}\n{broken\n{"id": "b", "query": "泄露个人信息"}\n',
                     encoding="utf-8")
    result = runner.invoke(build_app(), ["search", "--batch", str(batch), "--top-k", "3", "--json"])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == [1, "b"]
    assert all(len(line["results"]) == 3 for line in lines)
    assert set(lines[0]["results"][0]) == {"law", "article", "doc", "section", "score"}
    assert "queries.jsonl:2" in result.stderr
    assert result.exit_code == 1
