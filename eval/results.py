"""Results of a run: per dialogue (transcript + outcomes) and the run as a whole, with their JSON form.

The JSON form (``RunResult.to_json``) is what ``--out`` saves and what ``csbot eval compare`` reads;
it holds masked customer text and replies only, never the planted personal data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from eval.models import Dialogue, Outcome, Transcript

RESULTS_FORMAT = "csbot-eval-results/1"


@dataclass
class DialogueResult:
    dialogue: Dialogue
    transcript: Transcript
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.transcript.error is None and all(outcome.passed for outcome in self.outcomes)

    @property
    def failures(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if not outcome.passed]

    @property
    def procedure(self) -> str:
        """The procedure the dialogue is about (declared), else the one the engine chose last."""
        if self.dialogue.procedure:
            return self.dialogue.procedure
        for turn in reversed(self.transcript.turns):
            if turn.reply.get("procedure"):
                return str(turn.reply["procedure"])
        return "(none)"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.dialogue.id,
            "description": self.dialogue.description,
            "file": str(self.dialogue.path),
            "line": self.dialogue.line,
            "tags": list(self.dialogue.tags),
            "procedure": self.procedure,
            "passed": self.passed,
            "error": self.transcript.error,
            "records_ok": self.transcript.records_ok,
            "planted_pii_kinds": sorted({kind for kind, _ in self.transcript.planted_pii}),
            "turns": [
                {
                    "index": turn.index,
                    "customer": turn.customer_masked,
                    "reply": turn.reply,
                    "retrieved": turn.retrieved,
                    "step_before": turn.step_before,
                    "path": turn.path,
                    "error": turn.error,
                }
                for turn in self.transcript.turns
            ],
            "outcomes": [outcome.to_json() for outcome in self.outcomes],
        }


@dataclass
class RunResult:
    dialogues: list[DialogueResult]
    summary: dict[str, Any]
    drafter: str
    load_errors: list[str] = field(default_factory=list)
    started_at: str = ""
    label: str = ""  # what this run is (``eval run --label``): "before the rail change", a commit …

    @property
    def ok(self) -> bool:
        return not self.load_errors and all(result.passed for result in self.dialogues)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": RESULTS_FORMAT,
            "started_at": self.started_at,
            "label": self.label,
            "drafter": self.drafter,
            "summary": self.summary,
            "load_errors": self.load_errors,
            "dialogues": [result.to_json() for result in self.dialogues],
        }
