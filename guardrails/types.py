"""Values the guardrail layer hands to the rest of the product.

No value here carries raw personal data except ``Entity.value``, which exists only in memory
between detection and masking; ``Entity.public()`` is what may be printed, logged or recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

RailAction = Literal["flag", "block", "escalate"]
RailCategory = Literal["injection", "data_request", "abuse", "escalation", "off_topic"]
VerdictKind = Literal["pass", "repaired", "blocked"]


@dataclass(frozen=True)
class Entity:
    """A detected piece of personal data. ``start``/``end`` index the ORIGINAL text."""

    type: str  # id_card, phone, landline, bank_card, email, passport, license_plate, im_account, ip, name, address
    start: int
    end: int
    score: float
    sensitive: bool  # 敏感个人信息 under 个保法 第28条
    recognizer: str
    value: str = field(repr=False, compare=False)

    def public(self) -> dict[str, object]:
        """The form that may leave the process: never the value itself."""
        return {"type": self.type, "start": self.start, "end": self.end, "score": round(self.score, 3)}


@dataclass(frozen=True)
class MaskChange:
    """One replacement made by a masking operator: what kind, where (original offsets), how."""

    type: str
    start: int
    end: int
    operator: str
    replacement: str


@dataclass(frozen=True)
class MaskedText:
    """Text after masking, with the audit trail of what changed where."""

    text: str
    changes: tuple[MaskChange, ...] = ()


@dataclass(frozen=True)
class RailFlag:
    """An input rail that fired on a customer message."""

    rule: str
    category: RailCategory
    action: RailAction
    description: str = ""

    def public(self) -> dict[str, object]:
        return {"rule": self.rule, "category": self.category, "action": self.action}


@dataclass(frozen=True)
class RailVerdict:
    """What one output rail decided about a draft, and why."""

    rule: str
    verdict: VerdictKind
    reasons: tuple[str, ...] = ()
    duration_ms: float = 0.0

    def public(self) -> dict[str, object]:
        return {"rule": self.rule, "verdict": self.verdict, "reasons": list(self.reasons)}
