"""The JSON schema the LLM fact extractor asks for, generated from llm_facts.yaml, the slot catalogue's
labels and the remedy word list, so no list of keys or remedies is typed twice."""

from __future__ import annotations

from functools import cache
from typing import Any

from bot.understand.data import table

SCHEMA_NAME = "case_facts"


def remedy_values() -> list[str]:
    """The remedies the engine knows (remedies.yaml values), in the file's order."""
    return list(dict.fromkeys(str(item["value"]) for item in table("remedies")["remedies"]))


def _labels() -> dict[str, str]:
    from bot.slots import load_slot_specs

    return {slot: spec.label for slot, spec in load_slot_specs().items()}


def _property(kind: str, values: list[str], label: str) -> dict[str, Any]:
    if kind == "date":
        shape: dict[str, Any] = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    elif kind == "number":
        shape = {"type": ["number", "null"]}
    elif kind in ("remedy", "choice"):
        shape = {"type": ["string", "null"], "enum": [*(remedy_values() if kind == "remedy" else values), None]}
    else:
        shape = {"type": ["string", "null"]}
    return {**shape, "description": label}


@cache
def fact_schema() -> dict[str, Any]:
    """A strict schema (every key required, nullable, nothing else), as OpenAI's structured output wants."""
    labels = _labels()
    facts = table("llm_facts")["facts"]
    properties = {
        key: _property(str(fact["type"]), list(fact.get("values", ())), str(fact.get("label") or labels.get(key, key)))
        for key, fact in facts.items()
    }
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


def response_format() -> dict[str, Any]:
    return {"type": "json_schema", "json_schema": {"name": SCHEMA_NAME, "strict": True, "schema": fact_schema()}}
