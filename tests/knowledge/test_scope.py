"""The core-law scope data file (knowledge/data/core_laws.yaml)."""

from __future__ import annotations

import pytest

from knowledge.scope import core_laws, parse_core_laws
from knowledge.statutes import StatuteStore


def test_when_the_shipped_scope_loads_then_every_law_is_in_force_in_the_statute_store() -> None:
    store = StatuteStore.open_default()
    for name in core_laws():
        assert store.resolve_law(name) == name
        assert store.law_status(name) == "现行有效"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (None, "non-empty 'laws' list"),
        ({"laws": []}, "non-empty 'laws' list"),
        ({"laws": "民法典"}, "non-empty 'laws' list"),
        ({"laws": [{"why": "no name"}]}, "entry #1 needs a 'name'"),
        ({"laws": [{"name": "民法典"}, "消法"]}, "entry #2 needs a 'name'"),
        ({"laws": [{"name": "  "}]}, "entry #1 needs a 'name'"),
    ],
)
def test_when_the_scope_file_is_malformed_then_the_error_names_the_entry(data: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_core_laws(data, "core_laws.yaml")
