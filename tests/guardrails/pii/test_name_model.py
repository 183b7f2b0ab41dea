"""Names Baidu's LAC model proposes and the name rules accept; place guesses the model vetoes."""

from __future__ import annotations

import pytest

from guardrails.pii import detect
from guardrails.pii.lexicon import lexicon
from guardrails.pii.registry import RecognizerRegistry, builtin_recognizers
from guardrails.rails.runner import output_config

WITHOUT_MODEL = RecognizerRegistry([r for r in builtin_recognizers() if r.name != "person_name_model"])


def names(text: str, registry: RecognizerRegistry | None = None) -> list[str]:
    return [entity.value for entity in detect(text, registry=registry) if entity.type == "name"]


# (text, names with the model, names the rules alone report, why)
FOUND = [
    (
        "许钰平和他的团队再次成为焦点。",
        ["许钰平"],
        ["许钰"],
        "jieba reads 平和 as a word; the model ends the name right",
    ),
    ("龚暄煦和他的团队再次成为焦点。", ["龚暄煦"], ["龚暄"], "the same, with 煦和"),
    ("我们采访了Kate Hall。", ["Kate Hall"], [], "a Latin-script name with no role, verb or list"),
    ("球队签下了Emma Johnson", ["Emma Johnson"], [], "the object of a verb"),
]


@pytest.mark.parametrize(("text", "expected", "rules_alone", "why"), FOUND, ids=[row[3] for row in FOUND])
def test_when_the_model_tags_a_person_the_rules_miss_then_it_is_found(
    text: str, expected: list[str], rules_alone: list[str], why: str
) -> None:
    assert names(text, WITHOUT_MODEL) == rules_alone  # the row tests the model, not the rules
    assert names(text) == expected


KEPT = [
    ("我从杭州萧山寄出的快递", "a district the rules took for surname 萧 + 山: LAC tags it LOC"),
    ("唐山的仓库发货", "a city: LAC tags it LOC"),
    ("张江高科园区的门店", "a business park: LAC tags it LOC"),
    ("朱自清的背影", "a writer jieba's dictionary tags as a famous figure (nrfg)"),
    ("李宁的鞋子开胶了", "a brand in the deny list"),
    ("海尔洗衣机漏水", "a brand"),
    ("韩束面膜过敏了", "a cosmetics brand"),
    ("格力空调不制冷，找了师傅也没修好", "a brand and a role"),
    ("你们客服小王态度很差", "a nickname without a surname and given name"),
    ("鲁迅的文章很难懂", "a writer jieba's dictionary knows often"),
    ("毛利和净利都下降了", "financial words"),
    ("寄到武汉洪山区", "a district"),
]


@pytest.mark.parametrize(("text", "why"), KEPT, ids=[row[1] for row in KEPT])
def test_when_a_place_brand_or_famous_figure_looks_like_a_name_then_it_is_kept(text: str, why: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(("text", "expected"), [("客户张先生来电", ["张"]), ("请王秀英女士回电", ["王秀英"])])
def test_when_the_model_takes_a_title_into_the_name_then_the_title_is_cut_off(text: str, expected: list[str]) -> None:
    assert names(text) == expected


def test_when_only_the_model_found_a_name_then_its_score_is_under_the_output_rails_floor() -> None:
    (entity,) = [e for e in detect("我们采访了Kate Hall。") if e.type == "name"]
    floor = output_config()["personal_data_min_scores"]["name"]
    assert entity.recognizer == "person_name_model"
    assert entity.score == lexicon()["names_model"]["score"] < floor


def test_when_a_cue_names_a_place_like_name_then_the_model_does_not_veto_it() -> None:
    # 我叫唐山: a cue word vouches (score 0.9, at or over veto_below), whatever LAC tags 唐山.
    assert names("我叫唐山，想退货") == ["唐山"]
