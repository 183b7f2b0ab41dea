from __future__ import annotations

import pytest

from knowledge.expansion import expand, expansion_table, parse_expansions
from knowledge.tokenize import tokenize, words


@pytest.mark.parametrize(
    ("query", "expected_terms"),
    [
        ("买到假货了", {"欺诈"}),
        ("七天无理由能退吗", {"七日", "退货"}),
        ("商家泄露我电话", {"个人信息", "泄露"}),
        ("健身房老板跑路了", {"预收款"}),
        ("这是霸王条款吧", {"格式条款"}),
    ],
)
def test_when_customer_uses_colloquial_words_then_legal_terms_are_added(query: str, expected_terms: set[str]) -> None:
    assert expected_terms <= set(expand(query))


def test_when_query_has_no_trigger_then_nothing_is_added() -> None:
    assert expand("今天天气很好") == []


def test_when_entry_needs_a_companion_word_then_it_fires_only_with_it() -> None:
    table = parse_expansions({"expansions": [{"when": ["借"], "with": ["钱"], "add": ["借款"]}]})
    assert expand("借了钱不还", table) == ["借款"]
    assert expand("借个充电宝", table) == []


@pytest.mark.parametrize(
    "document",
    [None, {"expansions": "x"}, {"expansions": [{"when": [], "add": ["a"]}]}, {"expansions": [["a"]]}],
)
def test_when_expansion_table_is_malformed_then_error_names_the_entry(document: object) -> None:
    with pytest.raises(ValueError, match="expansions"):
        parse_expansions(document)


def test_shipped_expansion_table_parses_and_every_entry_adds_terms() -> None:
    table = expansion_table()
    assert len(table) > 40
    assert all(entry.add for entry in table)


@pytest.mark.parametrize(
    ("text", "must_contain", "must_not_contain"),
    [
        ("七天内能退吗", {"七天内"}, {"内能"}),
        ("我买的手机七天内能退货吗", {"能退货", "手机"}, {"内能"}),
        ("健身房跑路了", {"跑路"}, {"跑", "路"}),
    ],
)
def test_when_text_is_colloquial_then_legal_userdict_keeps_words_whole(
    text: str, must_contain: set[str], must_not_contain: set[str]
) -> None:
    tokens = set(words(text))
    assert must_contain <= tokens
    assert not (must_not_contain & tokens)


def test_when_text_is_tokenised_for_bm25_then_stop_words_go_and_character_bigrams_join() -> None:
    tokens = tokenize("我的手机能退货吗？")
    assert {"手机", "退货", "能退"} <= set(tokens)
    assert not {"我", "的", "吗", "？"} & set(tokens)


def test_words_drops_punctuation_and_keeps_order() -> None:
    assert words("退货，退款！") == ["退货", "退款"]
