"""The drafter registry and the one value every drafter reads: ``DraftContext``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from bot.types import Draft
from knowledge.types import Passage

if TYPE_CHECKING:
    from bot.settings import Settings


class DrafterConfigError(RuntimeError):
    """The chosen drafter cannot start with this configuration; the message says how to fix it."""


@dataclass(frozen=True)
class DraftContext:
    """Everything a drafter may see for one turn. All text in it is already masked."""

    case_id: str
    procedure_id: str
    procedure_name: str
    step: str
    entered: tuple[str, ...]
    turn_no: int
    customer_text: str
    missing: tuple[str, ...] = ()
    asks: tuple[str, ...] = ()
    remedies: tuple[str, ...] = ()
    passages: tuple[Passage, ...] = ()
    fields: dict[str, str] = field(default_factory=dict)
    instructions: tuple[str, ...] = ()
    required: tuple[str, ...] = ()  # sentences the reply must contain the gist of
    history: tuple[tuple[str, str], ...] = ()  # (actor, masked text), oldest first
    escalated: bool = False
    escalated_now: bool = False
    closed: bool = False
    empty_input: bool = False


class Drafter(Protocol):
    name: str

    def draft(self, context: DraftContext) -> Draft: ...


_REGISTRY: dict[str, Callable[[Settings], Drafter]] = {}


def register(name: str) -> Callable[[Callable[[Settings], Drafter]], Callable[[Settings], Drafter]]:
    """Decorator: make a drafter factory available under ``CSBOT_DRAFTER=name``."""

    def decorator(factory: Callable[[Settings], Drafter]) -> Callable[[Settings], Drafter]:
        _REGISTRY[name] = factory
        return factory

    return decorator


def make_drafter(settings: Settings, name: str | None = None) -> Drafter:
    import bot.drafting.llm
    import bot.drafting.template  # noqa: F401 - registers the drafters

    chosen = name or settings.drafter
    if chosen not in _REGISTRY:
        raise DrafterConfigError(f"unknown drafter {chosen!r}; set CSBOT_DRAFTER to one of {sorted(_REGISTRY)}")
    return _REGISTRY[chosen](settings)
