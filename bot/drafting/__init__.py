"""Drafters turn a case's situation into a proposed reply; the output rails judge it afterwards.

``make_drafter(settings)`` picks one by ``CSBOT_DRAFTER``: ``template`` (offline, deterministic,
the default) or ``llm`` (any OpenAI-compatible endpoint, masked text only, falls back to the
template drafter on any error and says so in ``Draft.notes``).
"""

from bot.drafting.base import DraftContext, Drafter, DrafterConfigError, make_drafter, register

__all__ = ["DraftContext", "Drafter", "DrafterConfigError", "make_drafter", "register"]
