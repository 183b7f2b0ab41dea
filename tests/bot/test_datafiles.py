"""Every data file has a schema: a broken copy of each kind fails with its file and line, the
shipped files all validate, and ``csbot data validate`` exits 1 on any problem, 0 when all is fine."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import build_app
from bot.cli.data_cmd import validate_paths
from bot.cli.datafiles import KINDS, KINDS_BY_NAME, ROOT, problems_of, shipped_files

# A top-level key each kind requires (kinds where every top-level key has a default are left out).
REQUIRED = {
    "slots": "slots",
    "elements": "elements",
    "classify": "default",
    "dialogue": "not_given",
    "company": "name",
    "llm_prompt": "system",
    "understand": "kinds",
    "events": "consent",
    "roles": "roles",
    "ratelimits": "rules",
    "privacy_notice": "policy",
    "steps_plain": "accept",
    "weak_passwords": "common",
    "input_rails": "rules",
    "output_rails": "disclaimer",
    "commitments": "always",
    "pii": "types",
    "pii_lexicon": "names",
    "procedures": "steps",
    "rights_tables": "rules",
    "core_laws": "laws",
    "citation_topics": "articles",
    "rights_facts": "facts",
    "promises": "promises",
    "handover": "held_reply",
    "customer_events": "satisfaction",
    "record_text": "timezone",
    "attachments": "types",
    "macros": "macros",
    "rail_verdicts": "verdicts",
    "rail_names": "reasons",
    "widget_copy": "welcome",
}


def first_file(kind_name: str) -> Path:
    return sorted(ROOT.glob(KINDS_BY_NAME[kind_name].patterns[0]))[0]


def copy_of(kind_name: str, tmp_path: Path) -> Path:
    source = first_file(kind_name)
    target = tmp_path / source.name
    shutil.copy(source, target)
    return target


def without_block(text: str, key: str) -> str:
    """The document less its top-level ``key`` and everything indented below it."""
    kept, skipping = [], False
    for line in text.splitlines():
        if re.match(rf"{re.escape(key)}:", line):
            skipping = True
            continue
        if skipping and (line.startswith((" ", "-", "#")) or not line.strip()):
            continue
        skipping = False
        kept.append(line)
    return "\n".join(kept) + "\n"


def with_value(text: str, key: str, value: str) -> str:
    return without_block(text, key) + f"{key}: {value}\n"


def assert_names_file_and_line(problems: list[str], path: Path, line: int | None = None) -> None:
    assert problems, "the broken copy was accepted"
    where = rf"{re.escape(path.name)}:{line if line is not None else '[1-9][0-9]*'}: "
    assert any(re.search(where, problem) for problem in problems), problems


@pytest.mark.parametrize("kind_name", [kind.name for kind in KINDS])
def test_when_a_file_has_an_unknown_key_then_the_error_names_its_file_and_line(kind_name: str, tmp_path: Path) -> None:
    path = copy_of(kind_name, tmp_path)
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n"
    path.write_text(text + "zzz_typo: 1\n", encoding="utf-8")
    line = text.count("\n") + 1
    assert_names_file_and_line(problems_of(path, KINDS_BY_NAME[kind_name]), path, line)


@pytest.mark.parametrize("kind_name", sorted(REQUIRED))
def test_when_a_required_key_is_missing_then_the_error_names_its_file_and_line(kind_name: str, tmp_path: Path) -> None:
    path = copy_of(kind_name, tmp_path)
    path.write_text(without_block(path.read_text(encoding="utf-8"), REQUIRED[kind_name]), encoding="utf-8")
    problems = problems_of(path, KINDS_BY_NAME[kind_name])
    assert_names_file_and_line(problems, path)
    assert any(REQUIRED[kind_name] in problem for problem in problems), problems


@pytest.mark.parametrize("kind_name", sorted(REQUIRED))
def test_when_a_value_has_the_wrong_type_then_the_error_names_its_file_and_line(kind_name: str, tmp_path: Path) -> None:
    path = copy_of(kind_name, tmp_path)
    key = REQUIRED[kind_name]
    path.write_text(with_value(path.read_text(encoding="utf-8"), key, "{zz: [1]}"), encoding="utf-8")
    assert_names_file_and_line(problems_of(path, KINDS_BY_NAME[kind_name]), path)


def test_when_a_slot_key_is_misspelt_then_the_error_says_which_key_was_meant(tmp_path: Path) -> None:
    path = copy_of("slots", tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("    ask:"))
    lines[number] = lines[number].replace("ask:", "askk:")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [problem] = problems_of(path, KINDS_BY_NAME["slots"])
    assert problem.startswith(f"{path}:{number + 1}: slots → ")
    assert "未知的键「askk」" in problem and "是不是「ask」" in problem


def test_when_a_pattern_does_not_compile_then_the_error_names_the_line_of_the_pattern(tmp_path: Path) -> None:
    path = copy_of("company", tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.strip().startswith("pattern:"))
    lines[number] = lines[number].split("pattern:")[0] + "pattern: '(unclosed'"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [problem] = problems_of(path, KINDS_BY_NAME["company"])
    assert problem.startswith(f"{path}:{number + 1}: answers → 第1项") and "正则表达式写错了" in problem


def test_when_every_shipped_file_is_checked_then_there_is_no_problem() -> None:
    problems, checked = validate_paths([])
    assert problems == []
    assert checked == len(shipped_files()) and checked > 60


def test_when_every_yaml_file_is_listed_then_each_belongs_to_a_kind_or_has_its_own_checker() -> None:
    own_checker = ("eval/dialogues", "bench/")  # dialogue sets (csbot eval check) and benchmark gold data
    listed = set(shipped_files())
    for path in ROOT.glob("*/**/*.yaml"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(own_checker) or relative.startswith("tests/"):
            continue
        if any(part.startswith(".") for part in path.relative_to(ROOT).parts):
            continue  # a virtualenv (.venv), the product's home (.csbot): not the project's data files
        assert path in listed, f"{relative} has no schema in bot/cli/datafiles.py"


def test_cli_exits_0_when_all_is_fine_and_1_on_any_problem(tmp_path: Path) -> None:
    runner = CliRunner()
    fine = runner.invoke(build_app(), ["data", "validate", "bot/config/slots.yaml", "knowledge/procedures"])
    assert fine.exit_code == 0, fine.output
    broken = copy_of("output_rails", tmp_path)
    broken.write_text(without_block(broken.read_text(encoding="utf-8"), "disclaimer"), encoding="utf-8")
    result = runner.invoke(build_app(), ["data", "validate", "--kind", "output_rails", str(broken)])
    assert result.exit_code == 1
    assert f"{broken}:" in result.output and "缺少必填的键「disclaimer」" in result.output


def test_cli_refuses_an_unknown_kind_and_a_file_it_cannot_place(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(build_app(), ["data", "validate", "--kind", "nonsense", "x.yaml"]).exit_code == 2
    stray = tmp_path / "stray.yaml"
    stray.write_text("a: 1\n", encoding="utf-8")
    result = runner.invoke(build_app(), ["data", "validate", str(stray)])
    assert result.exit_code == 1 and "--kind" in result.output


def slots_copy_with(tmp_path: Path, old: str, new: str) -> Path:
    path = copy_of("slots", tmp_path)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    role: agreement\n", "", "缺少角色 agreement"),
        ("    role: purchase_date\n", "    role: receipt_date\n", "「receipt_date」在 receipt_date, purchase_date"),
        ("    role: chosen_remedy\n", "    role: chosen_remedies\n", "「role」只能是"),
    ],
)
def test_when_a_slot_role_is_missing_doubled_or_unknown_then_loading_says_so(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    path = slots_copy_with(tmp_path, old, new)
    problems = problems_of(path, KINDS_BY_NAME["slots"])
    assert_names_file_and_line(problems, path)
    assert any(message in problem for problem in problems), problems


def test_when_the_receipt_date_slot_is_renamed_then_derivation_follows_its_role(tmp_path: Path) -> None:
    from datetime import date

    from bot.slots import derive, load_slot_specs, slot_roles

    path = slots_copy_with(tmp_path, "  receipt_date:\n", "  received_on:\n")
    roles = slot_roles(load_slot_specs(path))
    assert roles["receipt_date"] == "received_on"
    slots = {"received_on": "2026-11-20"}
    derive(slots, date(2026, 11, 25), roles)
    assert slots["days_since_receipt"] == "5"
    slots = {"days_since_receipt": "3"}
    derive(slots, date(2026, 11, 25), roles)
    assert slots["received_on"] == "2026-11-22"


def test_when_a_date_is_said_in_units_then_the_units_from_slots_yaml_count_the_days() -> None:
    from datetime import date

    from bot.slots import date_words, extract, load_slot_specs

    words = date_words()
    assert words.unit_days["个星期"] == 7 and words.relative_n.search("3个星期前")
    found = extract(load_slot_specs(), "两个星期前收到的", step="investigate", today=date(2026, 11, 25))
    assert found["receipt_date"] == "2026-11-11"


def test_when_the_agreed_wording_is_not_a_value_of_the_agreement_slot_then_the_engine_refuses_to_load(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import bot.facts
    from bot.engine import Engine
    from knowledge.datafile import DataError

    rules = dict(bot.facts.dialogue_rules())
    rules["wording"] = {**rules["wording"], "agreed": "好滴"}
    monkeypatch.setattr(bot.facts, "dialogue_rules", lambda: rules)
    with pytest.raises(DataError, match=r"dialogue\.yaml:[1-9]\d*: wording → agreed: 「好滴」"):
        Engine.load()


# The product's own reader of each issue-15 file: (module, its path constant, its cached loader).
READERS = {
    "handover": ("bot.handover", "HANDOVER_FILE", "rules"),
    "customer_events": ("bot.customer_events", "EVENTS_FILE", "_config"),
    "record_text": ("bot.records.record_text", "TEXT_FILE", "record_text"),
    "attachments": ("bot.web.attachments", "ATTACHMENTS_FILE", "config"),
    "rail_verdicts": ("bot.web.rail_words", "RAIL_LABELS_FILE", "labels"),
    "rail_names": ("bot.rail_labels", "LABELS_FILE", "table"),
    "widget_copy": ("bot.web.ui_customer", "WIDGET_COPY_FILE", "copy"),
    "macros": ("bot.web.workspace", "MACROS_FILE", "macros"),
}


@pytest.mark.parametrize("kind_name", sorted(READERS))
def test_when_the_product_reads_a_file_with_a_typo_then_it_fails_at_load_naming_file_and_line(
    kind_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    from knowledge.datafile import DataError

    module_name, constant, loader_name = READERS[kind_name]
    module = importlib.import_module(module_name)
    path = copy_of(kind_name, tmp_path)
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n"
    path.write_text(text + "zzz_typo: 1\n", encoding="utf-8")
    monkeypatch.setattr(module, constant, path)
    loader = getattr(module, loader_name)
    loader.cache_clear()
    try:
        with pytest.raises(DataError) as raised:
            loader()
    finally:
        loader.cache_clear()
    assert_names_file_and_line(list(raised.value.problems), path, text.count("\n") + 1)
    assert "未知的键「zzz_typo」" in str(raised.value)


def test_when_a_reason_pattern_does_not_compile_then_the_rail_table_names_its_line(tmp_path: Path) -> None:
    path = copy_of("rail_names", tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.strip().startswith("- pattern:"))
    lines[number] = "  - pattern: '(unclosed'"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [problem] = problems_of(path, KINDS_BY_NAME["rail_names"])
    assert problem.startswith(f"{path}:{number + 1}: reasons → 第1项") and "正则表达式写错了" in problem


def test_when_one_reason_is_shown_then_the_agent_reads_an_objection_and_the_record_a_repair_from_one_row() -> None:
    from bot.rail_labels import reason_patterns, table
    from bot.records import record_text
    from bot.web import rail_words

    reason = "《消费者权益保护法》第99条: does not exist; sentence removed"
    row = next(row for row in table().reasons if row.objection and row.repair and re.match(row.pattern, reason))
    assert rail_words.reason_zh(reason) == row.objection.format("", "《消费者权益保护法》第99条")
    assert record_text.reason_zh(reason) == row.repair.format(None, "《消费者权益保护法》第99条")
    assert rail_words.reason_zh(reason) != record_text.reason_zh(reason)
    # a row worded for agents only is skipped by the record, which leaves an unknown reason out
    agent_only = [row for row in table().reasons if row.repair is None]
    assert agent_only and len(reason_patterns("repair")) == len(table().reasons) - len(agent_only)
    odd = "《消费者权益保护法》第55条: something else; sentence removed"
    assert rail_words.reason_zh(odd) and record_text.reason_zh(odd) is None
