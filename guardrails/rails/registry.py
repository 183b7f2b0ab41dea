"""Where rail functions are registered by id, so the YAML config can name them.

Following NeMo-Guardrails, the configuration only says *which* checks run and in which order; the
logic lives in small Python functions registered with ``@rail("id")``. Input checks and output rails
have different signatures, so they live in two tables selected by ``stage``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar

Stage = Literal["input", "output"]
F = TypeVar("F", bound=Callable[..., Any])

_REGISTRY: dict[Stage, dict[str, Callable[..., Any]]] = {"input": {}, "output": {}}


class UnknownRailError(KeyError):
    """A configuration names a rail that no module registered."""

    def __str__(self) -> str:
        return str(self.args[0])


def rail(rail_id: str, *, stage: Stage = "output") -> Callable[[F], F]:
    """Register ``function`` under ``rail_id``; a second registration of the same id is a bug."""

    def decorate(function: F) -> F:
        table = _REGISTRY[stage]
        if rail_id in table and table[rail_id] is not function:
            raise ValueError(f"{stage} rail {rail_id!r} is registered twice")
        table[rail_id] = function
        return function

    return decorate


def get_rail(rail_id: str, *, stage: Stage = "output") -> Callable[..., Any]:
    """The function registered under ``rail_id``; a clear error names the known ids otherwise."""
    try:
        return _REGISTRY[stage][rail_id]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY[stage])) or "none"
        raise UnknownRailError(f"unknown {stage} rail {rail_id!r} (known: {known})") from None


def registered(stage: Stage = "output") -> tuple[str, ...]:
    """Ids registered for ``stage``, sorted (for error messages and tests)."""
    return tuple(sorted(_REGISTRY[stage]))
