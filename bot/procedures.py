"""Procedure definitions (knowledge/procedures/*.yaml): load, validate, and evaluate their guards.

A procedure is data that compliance staff edit: for each of the five step ids, the slots it
collects (optionally in sub-steps), guarded jumps to the next step, the remedies it may offer, the
elements its reply must contain, and what knowledge to search. The loader refuses a file with an
unknown step id, a jump backwards or to an undefined step, an unreachable step, an unknown slot or
element, or a step without a template, and says which file and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.types import STEP_IDS
from knowledge.datafile import DataError, load_yaml, where

PROCEDURES_DIR = Path(__file__).resolve().parent.parent / "knowledge" / "procedures"
_STEP_KEYS = {"collect", "optional", "substeps", "require", "next", "offers", "search", "instructions", "wait"}
_TOP_KEYS = {"id", "name", "description", "response_time", "switches", "steps", "not_escalated_by"}


@dataclass(frozen=True)
class Condition:
    """All tests must hold: ``present``, ``equals``, ``in``, ``min``/``max`` on one slot."""

    slot: str
    present: bool | None = None
    equals: str | None = None
    one_of: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None

    def holds(self, slots: Mapping[str, str]) -> bool:
        value = slots.get(self.slot)
        if self.present is not None and (value is not None) != self.present:
            return False
        if value is None:
            return self.present is False
        if self.equals is not None and value != self.equals:
            return False
        if self.one_of and value not in self.one_of:
            return False
        if self.min is not None or self.max is not None:
            try:
                number = float(value)
            except ValueError:
                return False
            if (self.min is not None and number < self.min) or (self.max is not None and number > self.max):
                return False
        return True


@dataclass(frozen=True)
class Rule:
    """A guarded jump: when all conditions hold, go to ``goto`` (or switch procedure), setting slots."""

    conditions: tuple[Condition, ...] = ()
    goto: str | None = None
    switch: str | None = None
    set: tuple[tuple[str, str], ...] = ()

    def matches(self, slots: Mapping[str, str]) -> bool:
        return all(condition.holds(slots) for condition in self.conditions)


@dataclass(frozen=True)
class Offer:
    conditions: tuple[Condition, ...]
    remedies: tuple[str, ...]


@dataclass(frozen=True)
class SearchSpec:
    """What a step searches: a query (``{slot}`` placeholders allowed), or the first ``queries`` entry
    whose conditions hold; ``with_message`` adds the customer's (masked) words to it."""

    query: str = ""
    sources: tuple[str, ...] = ("statute", "policy")
    laws: tuple[str, ...] = ()
    with_message: bool = True
    queries: tuple[tuple[tuple[Condition, ...], str], ...] = ()

    def query_for(self, slots: Mapping[str, str]) -> str:
        for conditions, query in self.queries:
            if all(condition.holds(slots) for condition in conditions):
                return query
        return self.query


@dataclass(frozen=True)
class Substep:
    id: str
    collect: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    id: str
    collect: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    substeps: tuple[Substep, ...] = ()
    require: tuple[str, ...] = ()
    next: tuple[Rule, ...] = ()
    offers: tuple[Offer, ...] = ()
    search: SearchSpec | None = None
    instructions: str = ""
    wait: bool = False  # the step's slots may only come from a later message than the one that entered it
    line: int = 0

    @property
    def required_slots(self) -> tuple[str, ...]:
        """Every slot the step needs, sub-steps first in their order."""
        ordered = [slot for sub in self.substeps for slot in sub.collect]
        return tuple(dict.fromkeys([*ordered, *self.collect]))

    def missing(self, slots: Mapping[str, str]) -> tuple[str, ...]:
        return tuple(slot for slot in self.required_slots if not slots.get(slot))

    def substep(self, slots: Mapping[str, str]) -> str | None:
        """The first sub-step with a missing slot (None when there are none or all are done)."""
        for sub in self.substeps:
            if any(not slots.get(slot) for slot in sub.collect):
                return sub.id
        return None

    def remedies(self, slots: Mapping[str, str]) -> tuple[str, ...]:
        for offer in self.offers:
            if all(condition.holds(slots) for condition in offer.conditions):
                return offer.remedies
        return ()

    def next_rule(self, slots: Mapping[str, str]) -> Rule | None:
        return next((rule for rule in self.next if rule.matches(slots)), None)


@dataclass(frozen=True)
class Procedure:
    id: str
    name: str
    description: str
    steps: dict[str, Step]
    response_time: dict[str, int] = field(default_factory=dict)
    source: str = ""
    switches: tuple[Rule, ...] = ()  # checked every turn until investigation is complete
    # input-rail rules that do not hand THIS procedure's cases to a human: someone asking how to sue
    # their landlord is not threatening the shop (a request for a human or abuse still escalates)
    not_escalated_by: tuple[str, ...] = ()

    def switch_rule(self, slots: Mapping[str, str]) -> Rule | None:
        return next((rule for rule in self.switches if rule.matches(slots)), None)

    def step(self, step_id: str) -> Step:
        return self.steps[step_id]


def _conditions(raw: Any, path: Path) -> tuple[Condition, ...]:
    items = raw if isinstance(raw, list) else [raw]
    conditions = []
    for item in items:
        if not isinstance(item, dict) or "slot" not in item:
            raise DataError(f"{where(path, item)}: a condition needs a 'slot' key")
        unknown = set(item) - {"slot", "present", "equals", "in", "min", "max"}
        if unknown:
            raise DataError(f"{where(path, item)}: unknown condition keys {sorted(unknown)}")
        conditions.append(
            Condition(
                slot=str(item["slot"]),
                present=item.get("present"),
                equals=None if item.get("equals") is None else str(item["equals"]),
                one_of=tuple(str(value) for value in item.get("in", ())),
                min=item.get("min"),
                max=item.get("max"),
            )
        )
    return tuple(conditions)


def _rules(raw: Any, path: Path, node: Any) -> tuple[Rule, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (Rule(goto=raw),)
    if not isinstance(raw, list):
        raise DataError(f"{where(path, node)}: 'next' must be a step id or a list of rules")
    rules = []
    for item in raw:
        if not isinstance(item, dict) or not ({"goto", "switch"} & set(item)):
            raise DataError(f"{where(path, item)}: each 'next' rule needs 'goto' or 'switch'")
        conditions = _conditions(item["if"], path) if "if" in item else ()
        assignments = tuple((str(k), str(v)) for k, v in (item.get("set") or {}).items())
        rules.append(Rule(conditions, item.get("goto"), item.get("switch"), assignments))
    return tuple(rules)


def _search(raw: Any, path: Path) -> SearchSpec:
    queries = tuple(
        (_conditions(item["if"], path) if "if" in item else (), str(item["query"])) for item in raw.get("queries", ())
    )
    return SearchSpec(
        query=str(raw.get("query", "")),
        sources=tuple(raw.get("sources", ("statute", "policy"))),
        laws=tuple(raw.get("laws", ())),
        with_message=bool(raw.get("with_message", True)),
        queries=queries,
    )


def _key_where(path: Path, node: Any, keys: Iterable[str]) -> str:
    """``file:line`` of the first of ``keys`` in a mapping loaded by ``load_yaml`` (the mapping's line if unknown)."""
    lines = getattr(node, "key_lines", {})
    found = sorted(lines[key] for key in keys if key in lines)
    return f"{path.name}:{found[0]}" if found else where(path, node)


def _step(step_id: str, raw: Any, path: Path) -> Step:
    if not isinstance(raw, dict):
        raise DataError(f"{where(path, raw)}: step '{step_id}' must be a mapping")
    unknown = set(raw) - _STEP_KEYS
    if unknown:
        raise DataError(f"{_key_where(path, raw, unknown)}: step '{step_id}' has unknown keys {sorted(unknown)}")
    search = raw.get("search")
    offers = tuple(
        Offer(_conditions(item["if"], path) if "if" in item else (), tuple(item.get("remedies", ())))
        for item in raw.get("offers", ())
    )
    return Step(
        id=step_id,
        collect=tuple(raw.get("collect", ())),
        optional=tuple(raw.get("optional", ())),
        substeps=tuple(Substep(str(sub["id"]), tuple(sub.get("collect", ()))) for sub in raw.get("substeps", ())),
        require=tuple(raw.get("require", ())),
        next=_rules(raw.get("next"), path, raw),
        offers=offers,
        search=None if search is None else _search(search, path),
        instructions=str(raw.get("instructions", "")).strip(),
        wait=bool(raw.get("wait", False)),
        line=getattr(raw, "line", 0),
    )


def parse_procedure(path: Path) -> Procedure:
    """One procedure file → ``Procedure`` (structure only; cross-checks happen in ``validate``)."""
    raw = load_yaml(path)
    if not isinstance(raw, dict):
        raise DataError(f"{path.name}:1: a procedure file must be a mapping")
    unknown = set(raw) - _TOP_KEYS
    if unknown:
        raise DataError(f"{_key_where(path, raw, unknown)}: unknown keys {sorted(unknown)}")
    for key in ("id", "name", "steps"):
        if key not in raw:
            raise DataError(f"{where(path, raw)}: missing '{key}'")
    steps_raw = raw["steps"]
    if not isinstance(steps_raw, dict):
        raise DataError(f"{where(path, raw)}: 'steps' must map step ids to steps")
    for step_id in steps_raw:
        if step_id not in STEP_IDS:
            raise DataError(f"{where(path, steps_raw)}: unknown step id '{step_id}' (allowed: {', '.join(STEP_IDS)})")
    steps: dict[str, Step] = {
        step_id: _step(step_id, steps_raw[step_id], path) for step_id in STEP_IDS if step_id in steps_raw
    }
    return Procedure(
        id=str(raw["id"]),
        name=str(raw["name"]),
        description=str(raw.get("description", "")).strip(),
        steps=steps,
        response_time={str(k): int(v) for k, v in (raw.get("response_time") or {}).items()},
        source=str(path),
        switches=_switches(raw.get("switches"), path),
        not_escalated_by=_rule_ids(raw.get("not_escalated_by"), path, raw),
    )


def _rule_ids(raw: Any, path: Path, node: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(item, str) and item for item in raw):
        raise DataError(f"{where(path, node)}: 'not_escalated_by' must be a list of input-rail rule ids")
    return tuple(raw)


def _switches(raw: Any, path: Path) -> tuple[Rule, ...]:
    rules = []
    for item in raw or ():
        if not isinstance(item, dict) or "if" not in item or "to" not in item:
            raise DataError(f"{where(path, item)}: a switch needs 'if' and 'to'")
        rules.append(Rule(_conditions(item["if"], path), switch=str(item["to"])))
    return tuple(rules)


def _targets(step: Step) -> list[str]:
    return [rule.goto for rule in step.next if rule.goto]


def _check_steps(procedure: Procedure, path: Path) -> None:
    """Required steps exist, jumps go forward to defined steps, every step is reachable from accept."""
    for required in ("accept", "triage", "investigate", "record"):
        if required not in procedure.steps:
            raise DataError(
                f"{path.name}:1: procedure '{procedure.id}' lacks step '{required}' (only resolve may be passed over)"
            )
    for step in procedure.steps.values():
        if step.id != "record" and not step.next:
            raise DataError(f"{path.name}:{step.line}: step '{step.id}' has no 'next'")
        for target in _targets(step):
            if target not in procedure.steps:
                raise DataError(f"{path.name}:{step.line}: step '{step.id}' jumps to unknown step '{target}'")
            if STEP_IDS.index(target) <= STEP_IDS.index(step.id):
                raise DataError(f"{path.name}:{step.line}: step '{step.id}' jumps backwards to '{target}'")
            if target == "record" and step.id in ("accept", "triage"):
                raise DataError(f"{path.name}:{step.line}: step '{step.id}' may not pass over investigate")
    reached, frontier = {"accept"}, ["accept"]
    while frontier:
        for target in _targets(procedure.steps[frontier.pop()]):
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    for step in procedure.steps.values():
        if step.id not in reached:
            raise DataError(f"{path.name}:{step.line}: step '{step.id}' is unreachable from accept")


def validate(
    procedures: Mapping[str, Procedure],
    *,
    slots: Iterable[str],
    elements: Iterable[str],
    has_template: Any,
) -> None:
    """Cross-check procedures against the slot catalogue, the element catalogue and the templates."""
    known_slots, known_elements = set(slots), set(elements)
    for procedure in procedures.values():
        path = Path(procedure.source)
        _check_steps(procedure, path)
        for rule in procedure.switches:
            if rule.switch not in procedures or any(c.slot not in known_slots for c in rule.conditions):
                raise DataError(f"{path.name}:1: switch to '{rule.switch}' names an unknown procedure or slot")
        for step in procedure.steps.values():
            here = f"{path.name}:{step.line}"
            for slot in (*step.required_slots, *step.optional, *(c.slot for r in step.next for c in r.conditions)):
                if slot not in known_slots:
                    raise DataError(f"{here}: step '{step.id}' uses unknown slot '{slot}'")
            for element in step.require:
                if element not in known_elements:
                    raise DataError(f"{here}: step '{step.id}' requires unknown element '{element}'")
            for rule in step.next:
                if rule.switch and rule.switch not in procedures:
                    raise DataError(f"{here}: step '{step.id}' switches to unknown procedure '{rule.switch}'")
            if not has_template(procedure.id, step.id):
                raise DataError(f"{here}: no template for step '{step.id}' of procedure '{procedure.id}'")


def load_procedures(directory: Path = PROCEDURES_DIR) -> dict[str, Procedure]:
    """Every ``*.yaml`` in the folder, keyed by procedure id (duplicate ids are an error)."""
    procedures: dict[str, Procedure] = {}
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise DataError(f"{directory}: no procedure files (*.yaml)")
    for path in files:
        procedure = parse_procedure(path)
        if procedure.id in procedures:
            raise DataError(f"{path.name}:1: duplicate procedure id '{procedure.id}'")
        procedures[procedure.id] = procedure
    return procedures
