"""The loader turns YAML into dialogues, and every bad file into ``file:line: message``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.assertions import EXPECTATIONS
from eval.loader import SCHEMA_PATH, DialogueError, load_dialogue, load_dialogues, parse_dialogue

GOOD = """\
id: good-one
description: a customer wants to return headphones
tags: [returns]
settings: {procedure: return_7day, drafter: template}
pii: [张三]
turns:
  - user: 耳机不想要了
    expect:
      step: accept
      must_contain: [案件编号, {regex: "[A-Z]-?\\\\d+"}]
  - user: 订单号 123456
expect:
  never_skips_step: {except: [resolve]}
  no_personal_data_in: [reply, records]
"""


def error_for(text: str) -> DialogueError:
    with pytest.raises(DialogueError) as caught:
        parse_dialogue(text, "bad.yaml")
    return caught.value


def test_when_file_is_good_then_every_field_and_line_is_kept() -> None:
    dialogue = parse_dialogue(GOOD, "good.yaml")
    assert dialogue.id == "good-one"
    assert dialogue.procedure == "return_7day" and dialogue.drafter == "template"
    assert dialogue.pii == ("张三",) and dialogue.tags == ("returns",)
    assert [turn.text for turn in dialogue.turns] == ["耳机不想要了", "订单号 123456"]
    step = dialogue.turns[0].expect[0]
    assert (step.name, step.value, step.line, step.turn) == ("step", "accept", 9, 0)
    assert dialogue.turns[0].expect[1].value[1] == {"regex": "[A-Z]-?\\d+"}
    assert [spec.name for spec in dialogue.expect] == ["never_skips_step", "no_personal_data_in"]
    assert dialogue.expect[0].line == 13 and dialogue.expect[0].turn is None


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("id: x\ndescription: d\nturns:\n  - user: [unclosed\n", 5, "not valid YAML"),
        ("id: x\ndescription: d\nturns:\n\t- user: tab\n", 4, "not valid YAML"),
        (GOOD.replace("      step: accept", "      stepp: accept"), 9, "unknown expectation 'stepp'"),
        (GOOD.replace("  never_skips_step:", "  never_skip:"), 13, "unknown expectation 'never_skip'"),
        (GOOD.replace("step: accept", "step: acept"), 9, "'acept' is not one of"),
        (GOOD.replace("settings: {procedure", "setting: {procedure"), 4, "unknown key 'setting'"),
        (GOOD.replace("  - user: 订单号 123456", "  - usr: 订单号 123456"), 11, "'user' is a required property"),
        (GOOD.replace('{regex: "[A-Z]-?\\\\d+"}', '{regex: "(("}'), 10, "bad regex"),
        (GOOD.replace("tags: [returns]", "id: again"), 3, "duplicate key 'id'"),
        (GOOD.replace("[reply, records]", "[reply, logs]"), 14, "'logs' is not one of"),
        (GOOD + "---\nid: second\n", 16, "one dialogue per file"),
        ("", 1, "the file is empty"),
        ("- just\n- a list\n", 1, "must be a mapping"),
        ("id: x\ndescription: d\nturns: []\n", 3, "should be non-empty"),
        ("id: Bad Id\ndescription: d\nturns:\n  - user: hi\n", 1, "does not match"),
        ("id: x\ndescription: d\nturns:\n  - &t {user: hi}\n  - *t\n", 4, "aliases"),
        ("id: x\ndescription: d\nturns: " + "[" * 40 + "]" * 40 + "\n", 3, "nested deeper"),
        ("id: x\ndescription: d\nturns: " + "[" * 5000 + "]" * 5000 + "\n", 1, "nested deeper"),
    ],
)
def test_when_file_is_bad_then_error_names_file_and_line(text: str, line: int, words: str) -> None:
    error = error_for(text)
    assert error.line == line, str(error)
    assert str(error).startswith(f"bad.yaml:{line}: ")
    assert words in str(error)


def test_when_file_is_binary_then_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "binary.yaml"
    path.write_bytes(b"id: x\n\xff\xfe\x00garbage")
    with pytest.raises(DialogueError, match=r"binary\.yaml:2: not UTF-8"):
        load_dialogue(path)


def test_when_file_is_missing_then_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DialogueError, match="cannot read the file"):
        load_dialogue(tmp_path / "nope.yaml")


def test_when_file_is_huge_then_refused_without_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("id: x\ndescription: " + "长" * 400_000 + "\nturns: []\n", encoding="utf-8")
    with pytest.raises(DialogueError, match="larger than"):
        load_dialogue(path)


def test_when_one_file_is_bad_then_the_others_still_load(write_dialogue) -> None:  # type: ignore[no-untyped-def]
    write_dialogue("a.yaml", GOOD)
    write_dialogue("b.yaml", "id: [\n")
    write_dialogue("c.yaml", GOOD.replace("good-one", "good-two"))
    write_dialogue("d.yaml", GOOD)  # same id as a.yaml
    folder = write_dialogue("notes.txt", "not a dialogue").parent
    dialogues, errors = load_dialogues([folder])
    assert [d.id for d in dialogues] == ["good-one", "good-two"]
    assert len(errors) == 2
    assert any("b.yaml:" in str(e) and "not valid YAML" in str(e) for e in errors)
    assert any("d.yaml:1: duplicate id 'good-one'" in str(e) for e in errors)


def test_when_html_payload_in_text_then_it_is_kept_verbatim() -> None:
    dialogue = parse_dialogue(GOOD.replace("耳机不想要了", "'<script>alert(1)</script>'"), "x.yaml")
    assert dialogue.turns[0].text == "<script>alert(1)</script>"


def _schema_names(defs: dict, key: str) -> set[str]:
    return set(defs[key]["properties"])


def test_schema_and_registry_name_the_same_expectations() -> None:
    defs = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["$defs"]
    turn_names = {name for name, e in EXPECTATIONS.items() if "turn" in e.scopes}
    dialogue_names = {name for name, e in EXPECTATIONS.items() if "dialogue" in e.scopes}
    assert _schema_names(defs, "turn_expect") == turn_names
    assert _schema_names(defs, "dialogue_expect") == dialogue_names


def test_shipped_dialogues_all_load() -> None:
    folder = Path(__file__).resolve().parents[2] / "eval" / "dialogues"
    dialogues, errors = load_dialogues([folder])
    assert not errors, [str(e) for e in errors]
    assert len(dialogues) >= 60


@pytest.mark.parametrize(
    ("patterns", "ids"),
    [((), ["a-1", "b-2"]), (("a-*",), ["a-1"]), (("refund",), ["b-2"]), (("return_7day",), ["a-1"]), (("zzz",), [])],
)
def test_select_by_id_glob_tag_or_procedure(patterns: tuple[str, ...], ids: list[str]) -> None:
    from eval.loader import select

    one = parse_dialogue("id: a-1\ndescription: d\nsettings: {procedure: return_7day}\nturns: [{user: x}]\n", "a")
    two = parse_dialogue("id: b-2\ndescription: d\ntags: [refund]\nturns: [{user: x}]\n", "b")
    assert [d.id for d in select([one, two], patterns)] == ids


def test_public_api_names_resolve() -> None:
    import eval as package

    assert sorted(package.__all__) == sorted(set(package.__all__))
    for name in package.__all__:
        assert getattr(package, name) is not None, name
