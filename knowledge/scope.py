"""The customer-service scope: the laws whose articles search boosts softly (``core_laws.yaml``).

Kept as data so a company can widen or narrow its scope without touching code.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from knowledge.datafile import DataModel, load_yaml, validate_data


def parse_core_laws(data: object, origin: str = "core_laws.yaml") -> tuple[str, ...]:
    """Validate the YAML document; raises ValueError naming the bad entry."""
    if not isinstance(data, dict) or not isinstance(data.get("laws"), list) or not data["laws"]:
        raise ValueError(f"{origin}: expected a mapping with a non-empty 'laws' list")
    names = []
    for position, entry in enumerate(data["laws"], start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
            raise ValueError(f"{origin}: entry #{position} needs a 'name'")
        names.append(entry["name"].strip())
    return tuple(names)


@lru_cache(maxsize=1)
def core_laws() -> tuple[str, ...]:
    """Full names of the core customer-service laws, as written in the data file."""
    path = Path(str(resources.files("knowledge") / "data" / "core_laws.yaml"))
    raw = load_yaml(path)
    validate_data(raw, CoreLawsFile, path)
    return parse_core_laws(raw)


class CoreLaw(DataModel):
    name: str
    why: str = ""


class CoreLawsFile(DataModel):
    """knowledge/data/core_laws.yaml."""

    laws: list[CoreLaw]
