"""CI gate: the shipped dialogue set through the real engine (template drafter, offline).

Every dialogue must pass, except those listed in eval/known_failures.yaml with the product bug
that breaks them; those must still fail (strict), so a fix cannot go unnoticed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.settings import Settings
from eval.loader import load_dialogues
from eval.runner import run_dialogues

ROOT = Path(__file__).resolve().parents[2]
DIALOGUES = ROOT / "eval" / "dialogues"
KNOWN = ROOT / "eval" / "known_failures.yaml"


def known_failures() -> dict[str, str]:
    data = yaml.safe_load(KNOWN.read_text(encoding="utf-8")) or {}
    return {entry["id"]: entry["bug"] for entry in data.get("known_failures") or []}


def test_known_failures_name_shipped_dialogues() -> None:
    dialogues, _ = load_dialogues([DIALOGUES])
    unknown = set(known_failures()) - {d.id for d in dialogues}
    assert not unknown, f"known_failures.yaml names dialogues that do not exist: {sorted(unknown)}"


@pytest.mark.slow
def test_shipped_dialogues_pass_with_the_template_drafter(eval_index_dir: Path, tmp_path: Path) -> None:
    dialogues, errors = load_dialogues([DIALOGUES])
    assert not errors, [str(e) for e in errors]
    run = run_dialogues(dialogues, Settings(home=tmp_path / "base"), index_dir=eval_index_dir, drafter="template")
    known = known_failures()
    failing = {r.dialogue.id: r for r in run.dialogues if not r.passed}
    unexpected = {
        name: [f"{o.spec.where}: {o.spec.name}: {o.message}" for o in result.failures] or [result.transcript.error]
        for name, result in failing.items()
        if name not in known
    }
    assert not unexpected, unexpected
    fixed = sorted(set(known) - set(failing))
    assert not fixed, f"these now pass; remove them from eval/known_failures.yaml: {fixed}"
    summary = run.summary
    assert summary["pii_leaks"] == 0
    assert summary["engine_errors"] == 0
    assert summary["records_verified"] == summary["dialogues"]


REQUIRED_TAGS = (
    "prompt-injection",
    "others-data",
    "abuse",
    "pii",
    "id-card",
    "phone",
    "bank-card",
    "address",
    "repealed-law",
    "bought-elsewhere",
    "change-of-mind",
    "long-message",
    "short-messages",
    "escalation",
)


def test_shipped_set_covers_every_procedure_step_and_adversarial_kind() -> None:
    dialogues, _ = load_dialogues([DIALOGUES])
    procedures = {
        yaml.safe_load(path.read_text(encoding="utf-8"))["id"]
        for path in (ROOT / "knowledge" / "procedures").glob("*.yaml")
    }
    declared = {d.procedure for d in dialogues} | {
        spec.value for d in dialogues for spec in d.all_expectations() if spec.name == "procedure"
    }
    assert procedures <= declared, sorted(procedures - declared)
    steps = {spec.value for d in dialogues for spec in d.all_expectations() if spec.name == "step"}
    steps |= {step for d in dialogues for spec in d.expect if spec.name == "steps_in_order" for step in spec.value}
    assert steps >= {"accept", "triage", "investigate", "resolve", "record"}
    tags = {tag for d in dialogues for tag in d.tags}
    assert set(REQUIRED_TAGS) <= tags, sorted(set(REQUIRED_TAGS) - tags)
