"""The procedure loader: the shipped procedures validate; broken files are refused with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.drafting.template import TemplateBook
from bot.engine import Engine
from bot.procedures import PROCEDURES_DIR, load_procedures, validate
from bot.reply_elements import load_elements
from bot.slots import load_slot_specs
from bot.types import STEP_IDS
from knowledge.datafile import DataError

SHIPPED = {
    "general_complaint",
    "return_7day",
    "quality_defect",
    "fraud_claim",
    "service_complaint",
    "contract_dispute",
    "prepaid_card",
    "personal_information",
    "not_our_responsibility",
    "legal_question",
}


def _validate(directory: Path) -> None:
    validate(
        load_procedures(directory),
        slots=load_slot_specs(),
        elements=load_elements(),
        has_template=TemplateBook.load().has,
    )


def test_the_shipped_procedures_load_and_use_the_five_step_ids() -> None:
    engine = Engine.load()
    assert set(engine.procedures) == SHIPPED
    for procedure in engine.procedures.values():
        assert set(procedure.steps) <= set(STEP_IDS)
        assert {"accept", "triage", "investigate", "record"} <= set(procedure.steps)
        assert "case_number" in procedure.step("accept").require
        assert {"summary", "record_access"} <= set(procedure.step("record").require)
        if "resolve" in procedure.steps:
            assert "remedies" in procedure.step("resolve").require


BROKEN = [
    ("steps:\n  accept:", "steps:\n  acept:", "unknown step id 'acept'"),
    ("    next: triage\n", "    next: triag\n", "jumps to unknown step 'triag'"),
    ("    next: investigate\n", "    next: accept\n", "jumps backwards"),
    ("    collect: [issue]\n", "    collect: [isue]\n", "unknown slot 'isue'"),
    ("    require: [case_number]\n", "    require: [case_numbr]\n", "unknown element 'case_numbr'"),
    ("    to: not_our_responsibility\n", "    to: nobody\n", "switch to 'nobody'"),
    ("steps:\n", "steps: [\n", "invalid YAML"),
]


@pytest.mark.parametrize(("old", "new", "message"), BROKEN, ids=[b[2].split("'")[0].strip() for b in BROKEN])
def test_when_a_procedure_is_broken_then_the_error_names_file_and_line(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    shutil.copytree(PROCEDURES_DIR, tmp_path / "procedures")
    path = tmp_path / "procedures" / "general_complaint.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError, match=message) as error:
        _validate(tmp_path / "procedures")
    assert "general_complaint.yaml:" in str(error.value)
    line = int(str(error.value).split("general_complaint.yaml:")[1].split(":")[0])
    assert line > 0


def test_an_unreachable_step_is_refused(tmp_path: Path) -> None:
    shutil.copytree(PROCEDURES_DIR, tmp_path / "procedures")
    path = tmp_path / "procedures" / "general_complaint.yaml"
    text = path.read_text(encoding="utf-8").replace("    next: resolve\n", "    next: record\n", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"general_complaint.yaml:\d+: step 'resolve' is unreachable"):
        _validate(tmp_path / "procedures")


def test_a_step_without_a_template_is_refused() -> None:
    procedures = load_procedures()
    with pytest.raises(DataError, match="no template for step 'accept'"):
        validate(procedures, slots=load_slot_specs(), elements=load_elements(), has_template=lambda p, s: False)


def test_passing_over_investigate_is_refused(tmp_path: Path) -> None:
    shutil.copytree(PROCEDURES_DIR, tmp_path / "procedures")
    path = tmp_path / "procedures" / "general_complaint.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    next: investigate\n", "    next: record\n"))
    with pytest.raises(DataError, match="may not pass over investigate"):
        _validate(tmp_path / "procedures")
