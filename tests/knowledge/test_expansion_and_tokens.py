from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from knowledge.expansion import expand, expansion_table, load_expansion_files, parse_expansions, table_files
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


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("expansions:\n  - {when: [a], add: [b]}\n  - {when: [], add: [c]}\n", r"labour\.yaml: entry #2 \(line 3\)"),
        ("expansions:\n  - {when: [a], add: [b]}\n\n  - just a word\n", r"labour\.yaml: entry #2 \(line 4\) is not"),
        ("expansions:\n  - {when: [a], add: [b], with: x}\n", r"labour\.yaml: entry #1 \(line 2\) has a 'with'"),
        ("expansions:\n  - {when: [a], add: [b]\n  - {when: [c]}\n", r"labour\.yaml: line \d+ is not valid YAML"),
        ("expansions: {when: [a]}\n", r"labour\.yaml: expected a mapping with an 'expansions' list"),
    ],
)
def test_when_a_topic_file_is_malformed_then_the_error_names_the_file_and_line(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "expansions.yaml").write_text("expansions:\n  - {when: [x], add: [y]}\n", encoding="utf-8")
    (tmp_path / "expansions").mkdir()
    (tmp_path / "expansions" / "labour.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_expansion_files(table_files(tmp_path), tmp_path)


def test_when_topic_files_exist_then_they_load_after_the_main_table_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "expansions.yaml").write_text("expansions:\n  - {when: [甲], add: [一]}\n", encoding="utf-8")
    (tmp_path / "expansions").mkdir()
    for name, term in (("b.yaml", "三"), ("a.yaml", "二")):
        (tmp_path / "expansions" / name).write_text(f"expansions:\n  - {{when: [甲], add: [{term}]}}\n", "utf-8")
    assert expand("甲", load_expansion_files(table_files(tmp_path), tmp_path)) == ["一", "二", "三"]


@pytest.mark.parametrize(
    ("query", "expected_terms"),
    [
        ("老板拖欠工资三个月了", {"用人单位", "劳动报酬"}),
        ("公司把我开除了要赔钱吗", {"解除劳动合同", "经济补偿"}),
        ("老公出轨了想离婚", {"配偶", "离婚"}),
        ("邻居家的狗把我咬伤了", {"饲养", "动物"}),
        ("房东不退押金", {"出租人", "租赁"}),
        ("保险公司拒赔", {"保险人", "保险金"}),
        ("别人抄袭我的文章", {"著作权"}),
    ],
)
def test_when_a_question_is_outside_consumer_law_then_topic_files_add_the_statutes_words(
    query: str, expected_terms: set[str]
) -> None:
    assert expected_terms <= set(expand(query))


def test_every_shipped_table_file_loads_on_its_own() -> None:
    data_dir = Path(str(resources.files("knowledge") / "data"))
    files = table_files(data_dir)
    assert len(files) > 5
    for path in files:
        assert load_expansion_files([path], data_dir)
