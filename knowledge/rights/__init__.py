"""Consumers' rights decided by rules: decision tables per kind of case (``tables/*.yaml``), each rule
giving rights with their ground (law, article, paragraph, item) and any amount computed."""

from knowledge.rights.decide import Decision, Right, decide, load_tables

__all__ = ["Decision", "Right", "decide", "load_tables"]
