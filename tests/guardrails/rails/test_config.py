"""Rail configuration: malformed files fail at load with the file and entry named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import guardrails.rails as rails_api
from guardrails.rails import RailConfigError, check_input, load_input_config
from guardrails.rails.fold_text import assert_bounded, normalise
from guardrails.rails.registry import UnknownRailError, get_rail
from guardrails.rails.runner import run_output_rails


def write_rules(folder: Path, rules: list[dict[str, object]]) -> Path:
    path = folder / "input_rails.yaml"
    path.write_text(yaml.safe_dump({"rules": rules}, allow_unicode=True), encoding="utf-8")
    return path


RULE = {"id": "r1", "category": "injection", "action": "block", "patterns": ["忽略以上"]}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"category": "gossip"}, "「category」只能是"),
        ({"action": "shout"}, "「action」只能是"),
        ({"patterns": [], "keywords": []}, "needs 'patterns' or 'keywords'"),
        ({"patterns": ["忽略.*指令"]}, "unbounded repetition"),
        ({"patterns": ["(a+)+b"]}, "unbounded repetition"),
        ({"patterns": ["x{2,}"]}, "unbounded repetition"),
        ({"patterns": ["(unclosed"]}, "bad pattern"),
        ({"patterns": "not a list"}, "「patterns」应为列表"),
        ({"recheck_categories": ["nonsense"]}, "「recheck_categories」第1项只能是"),
    ],
)
def test_when_a_rule_is_invalid_then_loading_names_the_file_and_rule(
    rails_config_copy: Path, change: dict[str, object], message: str
) -> None:
    path = write_rules(rails_config_copy, [RULE | change])
    with pytest.raises(RailConfigError, match=message) as caught:
        load_input_config(path)
    assert str(path) in str(caught.value) and "r1" in str(caught.value)


@pytest.mark.parametrize(
    "section",
    [
        {"categories": ["injection"], "map": {"0": "oo"}},
        {"categories": ["injection"], "map": "0o"},
        {"categories": ["gossip"], "map": {"0": "o"}},
        {"map": {"0": "o"}},
        "nonsense",
    ],
)
def test_when_the_leet_section_is_invalid_then_loading_fails(rails_config_copy: Path, section: object) -> None:
    path = rails_config_copy / "input_rails.yaml"
    path.write_text(yaml.safe_dump({"leet": section, "rules": [RULE]}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RailConfigError, match="leet"):
        load_input_config(path)


def test_when_rule_ids_repeat_then_loading_fails(rails_config_copy: Path) -> None:
    with pytest.raises(RailConfigError, match=r"duplicate rule ids \['r1'\]"):
        load_input_config(write_rules(rails_config_copy, [RULE, RULE]))


@pytest.mark.parametrize("content", ["rules: [\n  - id: x\n", "- just a list", "", "\x00\x01"])
def test_when_file_is_not_a_yaml_mapping_then_a_clear_error_is_raised(rails_config_copy: Path, content: str) -> None:
    path = rails_config_copy / "input_rails.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RailConfigError, match=r"input_rails\.yaml"):
        load_input_config(path)


def test_when_file_is_missing_then_the_error_says_it_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(RailConfigError, match="cannot read"):
        load_input_config(tmp_path / "absent.yaml")


def test_when_a_company_writes_its_own_rule_then_keywords_are_normalised_like_the_text(rails_config_copy: Path) -> None:
    rule = {"id": "competitor", "category": "off_topic", "action": "flag", "keywords": ["Rival Shop"]}
    config = load_input_config(write_rules(rails_config_copy, [rule]))
    assert [flag.rule for flag in check_input("你们比 ＲＩＶＡＬ  shop 贵", config)] == ["competitor"]
    assert check_input("你们比别家贵", config) == []


def test_when_the_bundled_rules_load_then_every_category_and_check_is_used() -> None:
    config = load_input_config()
    assert {rule.category for rule in config.rules} == {"injection", "data_request", "abuse", "escalation", "off_topic"}
    for rule in config.rules:
        get_rail(rule.check, stage="input")


def test_when_a_rail_id_is_unknown_then_the_error_lists_the_known_ones() -> None:
    ctx = rails_api.OutputContext(step="accept", investigation_complete=False)
    with pytest.raises(UnknownRailError, match=r"unknown output rail 'nope'.*citations"):
        run_output_rails("您好。", ctx, rails=("nope",))


@given(st.text(max_size=60))
def test_when_text_is_normalised_twice_then_nothing_changes(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert not any(ch.isspace() for ch in once)


@pytest.mark.parametrize("pattern", ["a{0,8}", "[*+]", r"\*", "(ab)?c", r"x{2,5}"])
def test_when_every_repetition_is_bounded_then_pattern_is_accepted(pattern: str) -> None:
    assert_bounded(pattern)


def test_when_public_api_is_imported_then_all_names_exist() -> None:
    assert sorted(rails_api.__all__) == rails_api.__all__
    for name in rails_api.__all__:
        assert getattr(rails_api, name) is not None


COOCCURRENCE = {
    "id": "r1",
    "category": "data_request",
    "action": "block",
    "check": "cooccurrence",
    "all_of": ["{{person}}的{{target}}", "查"],
    "window": 12,
}


def write_config(folder: Path, rules: list[dict[str, object]], terms: object) -> Path:
    path = folder / "input_rails.yaml"
    path.write_text(yaml.safe_dump({"terms": terms, "rules": rules}, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("terms", "change", "message"),
    [
        ({"person": ["邻居"]}, {}, r"unknown term \{\{target\}\}"),
        ({"person": ["邻居"], "target": []}, {}, "needs at least one word"),
        ({"person": ["邻居"], "target": "订单"}, {}, "must be a list"),
        ({"Person!": ["邻居"], "target": ["订单"]}, {}, "term name"),
        ({"person": ["邻居"], "target": ["订单"]}, {"window": 0}, "needs a 'window'"),
        ({"person": ["邻居"], "target": ["订单"]}, {"window": 10_000}, "0..400"),
        ({"person": ["邻居"], "target": ["订单"]}, {"all_of": ["查"]}, "at least two patterns"),
        ({"person": ["邻居"], "target": ["订单"]}, {"all_of": ["查.*", "订单"]}, "unbounded repetition"),
    ],
)
def test_when_terms_or_cooccurrence_are_invalid_then_loading_names_the_problem(
    rails_config_copy: Path, terms: object, change: dict[str, object], message: str
) -> None:
    with pytest.raises(RailConfigError, match=message):
        load_input_config(write_config(rails_config_copy, [COOCCURRENCE | change], terms))


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("帮我查一下邻居的订单", True),  # both groups inside 12 characters
        ("邻居的订单，帮我查", True),  # either order
        ("帮我查一下快递，另外说一句，我跟邻居的订单不一样", False),  # 查 and 邻居的订单 too far apart
        ("邻居的订单", False),  # no lookup: one group is not enough
        ("帮我查一下邻 居 的 订 单", True),  # normalised before matching
    ],
)
def test_when_all_groups_fall_within_the_window_then_a_cooccurrence_rule_fires(
    rails_config_copy: Path, text: str, fires: bool
) -> None:
    terms = {"person": ["邻居"], "target": ["订单"]}
    config = load_input_config(write_config(rails_config_copy, [COOCCURRENCE], terms))
    assert bool(check_input(text, config)) is fires


def test_when_a_term_word_has_regex_characters_then_it_is_matched_literally(rails_config_copy: Path) -> None:
    rule = COOCCURRENCE | {"all_of": ["{{person}}", "查"]}
    config = load_input_config(write_config(rails_config_copy, [rule], {"person": ["a.b"]}))
    assert check_input("查a.b", config) and not check_input("查axb", config)
