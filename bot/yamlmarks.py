"""YAML loading that remembers where each mapping came from, so data errors can name file and line.

Compliance staff edit procedures, slot rules and templates by hand; an error that says
``quality_defect.yaml:42: unknown step 'investgate'`` is fixable, a bare ``KeyError`` is not.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class DataError(ValueError):
    """A data file (procedure, slot rules, templates) is malformed; the message names file and line."""


class LineDict(dict[str, Any]):
    """A mapping that knows the 1-based line it started on in its source file."""

    line: int = 0


class _MarkLoader(yaml.SafeLoader):
    """SafeLoader whose mappings are ``LineDict`` carrying the node's start line."""


def _construct_mapping(loader: _MarkLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict({str(key): value for key, value in loader.construct_mapping(node, deep=True).items()})
    mapping.line = node.start_mark.line + 1
    return mapping


_MarkLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: Path) -> Any:
    """Parse one YAML file; syntax errors become ``DataError`` with file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(f"{path}: cannot read: {error}") from error
    try:
        return yaml.load(text, Loader=_MarkLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark is not None else 0
        raise DataError(f"{path}:{line}: invalid YAML: {error.problem}") from error
    except yaml.YAMLError as error:
        raise DataError(f"{path}: invalid YAML: {error}") from error


def where(path: Path, node: object) -> str:
    """``file:line`` for a node loaded by ``load_yaml`` (line 0 when unknown)."""
    return f"{path.name}:{getattr(node, 'line', 0)}"
