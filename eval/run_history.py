"""The QA console's saved runs (``CSBOT_HOME/eval-runs/<stamp>.json``): list them newest first with
their label, size and outcome, and read one back."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HISTORY_HEADERS = ("运行编号", "开始时间", "标签", "对话数", "通过", "未通过", "加载失败的文件")


@dataclass(frozen=True)
class SavedRun:
    stamp: str
    started_at: str
    label: str
    dialogues: int
    passed: int
    failed: int
    load_errors: int

    @property
    def choice(self) -> tuple[str, str]:
        """(what a dropdown shows, the stamp it stands for)."""
        return (f"{self.stamp} · {self.label}" if self.label else self.stamp, self.stamp)

    def row(self, started_local: str) -> list[str]:
        return [
            self.stamp,
            started_local,
            self.label or "（无标签）",
            str(self.dialogues),
            str(self.passed),
            str(self.failed),
            str(self.load_errors),
        ]


def read_results(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def saved_runs(runs_dir: Path) -> list[SavedRun]:
    """Every readable results file, newest first; an unreadable one is skipped, not fatal."""
    if not runs_dir.is_dir():
        return []
    found = []
    for path in sorted(runs_dir.glob("*.json"), reverse=True):
        try:
            data = read_results(path)
            summary = data.get("summary") or {}
            found.append(
                SavedRun(
                    stamp=path.stem,
                    started_at=str(data.get("started_at") or ""),
                    label=str(data.get("label") or ""),
                    dialogues=int(summary.get("dialogues") or 0),
                    passed=int(summary.get("passed") or 0),
                    failed=int(summary.get("failed") or 0),
                    load_errors=len(data.get("load_errors") or ()),
                )
            )
        except (OSError, ValueError, TypeError, AttributeError):
            continue
    return found
