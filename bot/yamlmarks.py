"""YAML loading that remembers where each mapping came from (now ``knowledge.datafile``).

Kept so existing imports keep working; new code imports from ``knowledge.datafile``.
"""

from __future__ import annotations

from knowledge.datafile import DataError, LineDict, load_yaml, where

__all__ = ["DataError", "LineDict", "load_yaml", "where"]
