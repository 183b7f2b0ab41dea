"""The schema of the rights tables: unknown keys are errors, and every error names file:line."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from knowledge.datafile import load_model

Scalar = str | int | float | bool


class Test(BaseModel):
    """A test on one fact: eq, in or present alone, or bounds (gt/gte with lt/lte make a range)."""

    model_config = ConfigDict(extra="forbid")
    eq: Scalar | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in")
    lt: float | None = None
    lte: float | None = None
    gt: float | None = None
    gte: float | None = None
    present: bool | None = None

    @model_validator(mode="after")
    def _one(self) -> Test:
        given = [k for k, v in self.model_dump(by_alias=False).items() if v is not None]
        bounds = {"lt", "lte", "gt", "gte"}
        if not given or (len(given) > 1 and not set(given) <= bounds):
            raise ValueError(f"a test takes one operator or a range of bounds, got {given or 'none'}")
        return self


class Ground(BaseModel):
    model_config = ConfigDict(extra="forbid")
    law: str
    article: int
    paragraph: int | None = None
    item: int | None = None
    sentences: list[int] | None = None  # which sentences (1-based) of the paragraph to quote whole
    text: str | None = None  # only for sources not in laws.db (regulations); None = quote from laws.db


class Amount(BaseModel):
    model_config = ConfigDict(extra="forbid")
    formula: Literal["fraud_triple", "food_tenfold", "deposit_double", "deposit_effective", "refund"]
    label: str


class RightSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    right: str
    ground: Ground
    amount: Amount | None = None


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    when: dict[str, Scalar | list[Scalar] | Test] = Field(default_factory=dict)
    says: str  # the customer-facing statement of the rights; {amount labels} are filled in
    rights: list[RightSpec]
    also: list[Ground] = Field(default_factory=list)  # secondary grounds (regulations) named, not quoted


class Table(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str
    name: str
    rules: list[Rule]


def load_table(path: Path) -> Table:
    return load_model(path, Table)
