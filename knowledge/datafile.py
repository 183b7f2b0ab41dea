"""The one loader for hand-edited data files: YAML → a pydantic model, errors naming file and line.

Compliance staff edit slot rules, rails, templates, procedures and law tables by hand. A typo
(``askk:`` for ``ask:``) or a deleted key must fail when the file is loaded, with a message a
person can act on::

    bot/config/slots.yaml:23: slots → order_no → askk: 未知的键「askk」（可用的键：ask, context, …）

Every data file has a model (``DataModel`` subclasses forbid unknown keys) and is read through
``load_model``. ``load_yaml`` keeps the line of every mapping, key and list item so a pydantic
error location can be turned back into a line of the file.

This module sits in the lowest layer (knowledge) so that guardrails and bot can both use it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError


class DataError(ValueError):
    """A data file is malformed; each problem reads ``file:line: message``."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.problems: tuple[str, ...] = tuple(problems) or (message,)


class LineDict(dict[str, Any]):
    """A mapping that knows the 1-based line it started on, and the line of each of its keys."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    """A sequence that knows the 1-based line it started on, and the line of each item."""

    line: int = 0
    item_lines: list[int]


class _MarkLoader(yaml.SafeLoader):
    """SafeLoader whose mappings and sequences carry the lines of their nodes."""


def _construct_mapping(loader: _MarkLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = str(loader.construct_object(key_node, deep=True))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    mapping.line = node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: _MarkLoader, node: yaml.SequenceNode) -> LineList:
    items = LineList(loader.construct_object(child, deep=True) for child in node.value)
    items.item_lines = [child.start_mark.line + 1 for child in node.value]
    items.line = node.start_mark.line + 1
    return items


_MarkLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_MarkLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(path: Path) -> Any:
    """Parse one YAML file; syntax errors become ``DataError`` with file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(f"{path}: 无法读取（cannot read）: {error}") from error
    return load_yaml_text(text, path)


def load_yaml_text(text: str, path: Path) -> Any:
    """``load_yaml`` for text already read (``path`` names it in errors)."""
    try:
        return yaml.load(text, Loader=_MarkLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark is not None else 0
        raise DataError(f"{path}:{line}: 不是有效的 YAML（invalid YAML）: {error.problem}") from error
    except yaml.YAMLError as error:
        raise DataError(f"{path}: 不是有效的 YAML（invalid YAML）: {error}") from error


def where(path: Path, node: object) -> str:
    """``file:line`` for a node loaded by ``load_yaml`` (line 0 when unknown)."""
    return f"{path.name}:{getattr(node, 'line', 0)}"


class DataModel(BaseModel):
    """Base of every data-file model: unknown keys are refused, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


Model = TypeVar("Model", bound=BaseModel)


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as error:
        raise ValueError(f"正则表达式写错了（bad pattern）{pattern!r}: {error}") from error
    return pattern


Regex = Annotated[str, AfterValidator(_compiles)]
"""A regular expression in a data file: checked to compile when the file is loaded."""

_TYPE_NAMES = {
    "string_type": "文本",
    "int_type": "整数",
    "int_parsing": "整数",
    "int_from_float": "整数",
    "float_type": "数字",
    "float_parsing": "数字",
    "bool_type": "是/否（true/false）",
    "bool_parsing": "是/否（true/false）",
    "list_type": "列表（- 项）",
    "tuple_type": "列表（- 项）",
    "set_type": "列表（- 项）",
    "frozen_set_type": "列表（- 项）",
    "dict_type": "映射（键: 值）",
    "model_type": "映射（键: 值）",
    "model_attributes_type": "映射（键: 值）",
    "date_type": "日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "日期（YYYY-MM-DD）",
    "date_parsing": "日期（YYYY-MM-DD）",
}


def _item_name(item: Any) -> str:
    """``（id: r1）`` for a list item that names itself, so a long list's entry is easy to find."""
    if isinstance(item, dict):
        for key in ("id", "name", "procedure", "value", "kind"):
            if isinstance(item.get(key), str | int):
                return f"（{key}: {item[key]}）"
    return ""


def _locate(raw: Any, loc: Sequence[int | str]) -> tuple[int, list[str]]:
    """The line the error location points at in the loaded document, and the readable key path."""
    node, line, names = raw, getattr(raw, "line", 1) or 1, []
    for step in loc:
        if isinstance(node, dict) and isinstance(step, str) and step in node:
            line = getattr(node, "key_lines", {}).get(step, line)
            node = node[step]
            names.append(step)
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            item_lines = getattr(node, "item_lines", None)
            line = item_lines[step] if item_lines else line
            node = node[step]
            names.append(f"第{step + 1}项" + _item_name(node))
        elif isinstance(node, dict) and isinstance(step, str) and step not in node and step.isidentifier():
            names.append(step)  # a missing key: stay on the line of the mapping that lacks it
        # otherwise a pydantic-internal step (union member, validator name): skip it
    return line, names


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _allowed_keys(model: type[BaseModel], loc: Sequence[int | str]) -> list[str]:
    """The field names of the (sub)model that refused a key, for a "did you mean" hint."""
    current: Any = model
    for step in loc[:-1]:
        fields = getattr(current, "model_fields", None)
        if fields is None or not isinstance(step, str) or step not in fields:
            continue  # a dict key or list index below the current model
        current = _model_in(fields[step].annotation)
        if current is None:
            return []
    fields = getattr(current, "model_fields", None)
    return sorted(fields) if fields else []


def _model_in(annotation: Any) -> Any:
    """The first pydantic model named in an annotation (``X``, ``X | None``, ``dict[str, X]`` …)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()) or ():
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def _message(error: Any, names: list[str], model: type[BaseModel]) -> str:
    kind = error["type"]
    key = names[-1] if names else ""
    subject = f"「{names[-2]}」{key}" if len(names) > 1 and key.startswith("第") else f"「{key}」"
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, error["loc"])
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f"，是不是「{close[0]}」？" if close else ""
        listed = f"（可用的键：{', '.join(allowed)}）" if allowed else ""
        return f"未知的键「{key}」{hint}{listed}"
    if kind == "missing":
        return f"缺少必填的键「{key}」"
    if kind in _TYPE_NAMES:
        return f"{subject}应为{_TYPE_NAMES[kind]}，现在是 {_shown(error.get('input'))}"
    if kind == "literal_error":
        return f"{subject}只能是 {error['ctx']['expected']} 之一，现在是 {_shown(error.get('input'))}"
    if kind in ("value_error", "assertion_error"):
        return str(error["ctx"]["error"])
    if kind in ("too_short", "too_long"):
        return f"{subject}项数不对：{error['msg']}"
    return f"{subject}{error['msg']}"


def shown_path(path: Path) -> str:
    """``path`` relative to the working directory when it lies below it (how staff typed it)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def validate_data(raw: Any, model: type[Model], path: Path) -> Model:
    """``raw`` (from ``load_yaml``) as ``model``; every problem becomes one ``file:line: …`` entry."""
    try:
        return model.model_validate(raw)
    except ValidationError as invalid:
        problems = []
        for error in invalid.errors():
            line, names = _locate(raw, error["loc"])
            trail = " → ".join(names[:-1] if error["type"] == "missing" else names)
            prefix = f"{shown_path(path)}:{line}: " + (f"{trail}: " if trail else "")
            problems.append(prefix + _message(error, names, model))
        raise DataError("\n".join(problems), problems) from None


def load_model(path: Path, model: type[Model]) -> Model:
    """Read ``path`` and validate it as ``model`` (the one way data files are loaded)."""
    raw = load_yaml(path)
    return validate_data({} if raw is None else raw, model, path)


def load_checked(path: Path, model: type[BaseModel]) -> Any:
    """The document at ``path`` as loaded, after it validated as ``model`` (for readers of plain data)."""
    raw = load_yaml(path)
    validate_data({} if raw is None else raw, model, path)
    return raw


def load_raw_and_model(path: Path, model: type[Model]) -> tuple[Any, Model]:
    """``load_model`` that also returns the loaded document, for checks that need its lines."""
    raw = load_yaml(path)
    raw = LineDict() if raw is None else raw
    return raw, validate_data(raw, model, path)
