"""The shapes of the rail configuration files (input_rails.yaml, output_rails.yaml, commitments.yaml).

Loaded through ``knowledge.datafile`` so an unknown key, a missing key or a wrong type fails at load
with file:line; the rail modules then compile the patterns (config.py, commitments.py).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, field_validator

from guardrails.types import RailAction, RailCategory
from knowledge.datafile import DataModel, Regex


class ClassifierSection(DataModel):
    enabled: bool = False
    categories: list[RailCategory] | None = None
    exemplars: str
    ngram: list[int] = Field(default_factory=lambda: [1, 3])
    c: float = 50.0
    threshold: float = 0.5


class LeetSection(DataModel):
    categories: list[RailCategory]
    map: dict[str, str]


class InputRuleEntry(DataModel):
    id: str = Field(min_length=1)
    description: str = ""
    category: RailCategory
    action: RailAction
    check: str = "patterns"  # an input check registered with @rail (registry.py)
    patterns: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    exceptions: list[str] = Field(default_factory=list)
    recheck_categories: list[RailCategory] = Field(default_factory=list)
    all_of: list[str] = Field(default_factory=list)
    window: int = 0  # checked with all_of (config.py): 1..400 characters


class InputRailsFile(DataModel):
    """guardrails/config/input_rails.yaml."""

    classifier: ClassifierSection | None = None
    char_map: dict[str, str] = Field(default_factory=dict)
    leet: LeetSection | None = None
    terms: dict[str, Any] = Field(default_factory=dict)  # name → words; checked with the patterns (config.py)
    rules: list[InputRuleEntry] = Field(min_length=1)


class Exfiltration(DataModel):
    allowed_hosts: list[str] = Field(default_factory=list)


class ServiceLanguage(DataModel):
    file: str
    section: str


class Language(DataModel):
    min_chinese_ratio: float = Field(default=0.5, ge=0, le=1)


class Disclaimer(DataModel):
    text: str = Field(min_length=1)
    present_when_all: list[str] = Field(min_length=1)
    law_markers: list[Regex] = Field(default_factory=list)


class OutputRailsFile(DataModel):
    """guardrails/config/output_rails.yaml."""

    rails: list[str]  # rail ids; the runner checks each is registered
    exfiltration: Exfiltration = Exfiltration()
    personal_data_operator: str = "redact"
    personal_data_min_scores: dict[str, float] = Field(default_factory=dict)
    service_language: ServiceLanguage | None = None
    forbidden_phrasing: list[Regex] = Field(default_factory=list)
    language: Language = Language()
    disclaimer: Disclaimer
    canned: dict[str, Annotated[str, Field(min_length=1)]]

    @field_validator("canned")
    @classmethod
    def _has_blocked_reply(cls, canned: dict[str, str]) -> dict[str, str]:
        if "output_blocked" not in canned:
            raise ValueError("canned 缺少「output_blocked」：回复被拦下时说的话")
        return canned


class Softening(DataModel):
    pattern: Regex = Field(min_length=1)
    replacement: str


class CommitmentsFile(DataModel):
    """guardrails/config/commitments.yaml."""

    always: list[str] = Field(min_length=1)
    never: list[str] = Field(default_factory=list)
    outcome: list[str] = Field(min_length=1)
    outcome_allowed_steps: list[str] = Field(default_factory=list)
    exceptions: list[str] = Field(default_factory=list)
    softening: list[Softening] = Field(default_factory=list)
