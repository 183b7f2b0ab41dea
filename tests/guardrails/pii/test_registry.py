"""Company recognisers from YAML, and the errors a malformed declaration gets."""

from __future__ import annotations

import pytest
import yaml

from guardrails.pii import Masker, PiiConfigError, RecognizerRegistry, default_registry, detect, type_spec
from guardrails.pii.config import parse_config
from guardrails.pii.registry import builtin_recognizers, custom_recognizers, load_custom_file

DECLARATION = """
recognizers:
  - name: employee_no
    type: employee_no
    label: 工号
    class: general
    patterns: [{name: emp, regex: "EMP\\\\d{6}", score: 0.4}]
    context: [工号]
    deny_list: [EMP000000]
"""


def registry_with(declaration: str) -> RecognizerRegistry:
    return RecognizerRegistry([*builtin_recognizers(), *custom_recognizers(yaml.safe_load(declaration))])


def test_when_company_declares_a_recognizer_then_it_masks_with_its_own_label() -> None:
    registry = registry_with(DECLARATION)
    masked = Masker(registry=registry).mask("我的工号EMP123456").text
    assert masked == "我的工号[工号1]"
    assert registry.type_spec("employee_no").sensitive is False and registry.labels["employee_no"] == "工号"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("员工EMP123456", []), ("工号EMP000000", []), ("工号EMP654321", ["EMP654321"])],
)
def test_when_custom_match_lacks_context_or_is_denied_then_it_is_dropped(text: str, expected: list[str]) -> None:
    registry = registry_with(DECLARATION)
    assert [e.value for e in detect(text, registry=registry) if e.type == "employee_no"] == expected


def test_shipped_company_recognizer_finds_member_cards() -> None:
    assert [e.type for e in detect("会员卡号YS1234567890")] == ["member_card"]
    assert "yunshan_member_card" in default_registry().names


@pytest.mark.parametrize(
    ("declaration", "message"),
    [
        ("recognizers: {a: 1}", "recognizers"),
        ("recognizers: [{name: x}]", "patterns"),
        ("recognizers: [{name: x, patterns: [{name: p, regex: '(unclosed'}]}]", "bad pattern"),
        ("recognizers: [{name: x, class: secret, patterns: [{name: p, regex: a}]}]", "class"),
    ],
)
def test_when_declaration_is_malformed_then_error_names_the_problem(declaration: str, message: str) -> None:
    with pytest.raises(PiiConfigError, match=message):
        custom_recognizers(yaml.safe_load(declaration))


def test_when_custom_file_is_not_yaml_then_error_names_the_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "custom_recognizers.yaml"
    path.write_text("recognizers: [unclosed", encoding="utf-8")
    with pytest.raises(PiiConfigError, match=r"custom_recognizers\.yaml"):
        load_custom_file(path)


def test_when_two_recognizers_share_a_name_then_registry_refuses() -> None:
    with pytest.raises(ValueError, match="already registered"):
        RecognizerRegistry([*builtin_recognizers(), *builtin_recognizers()])


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({}, "types"),
        ({"types": {"x": {"class": "secret", "label": "X"}}}, "class"),
        ({"types": {"x": {"class": "general"}}}, "label"),
        ({"types": {"x": {"class": "general", "label": "X"}}, "priority": ["y"]}, "unknown"),
    ],
)
def test_when_pii_config_is_malformed_then_error_names_the_problem(raw: dict, message: str) -> None:
    with pytest.raises(PiiConfigError, match=message):
        parse_config(raw)


def test_sensitive_classes_follow_pipl_article_28() -> None:
    assert {t for t in ("id_card", "bank_card", "passport", "address") if type_spec(t).sensitive} == {
        "id_card",
        "bank_card",
        "passport",
        "address",
    }
    assert not type_spec("phone").sensitive
