"""Read dialogue files (YAML), validate them against eval/schema.json, and say where a file is wrong.

Every error reads ``file:line: message`` so QA staff can jump to the line. YAML is composed into
nodes first (not loaded) so each value keeps the line it was written on; the JSON Schema then
checks the shape, and the error path is mapped back to a line.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from eval.models import Dialogue, ExpectationSpec, TurnSpec
from eval.references import check_references

SCHEMA_PATH = Path(__file__).with_name("schema.json")
MAX_FILE_BYTES = 1_000_000
DIALOGUE_SUFFIXES = (".yaml", ".yml")

Path_ = tuple[str | int, ...]
_SCALARS = yaml.constructor.SafeConstructor()  # resolves plain scalars: ints, booleans, null, strings


class DialogueError(ValueError):
    """A dialogue file cannot be used; ``str()`` is ``file:line: message``."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(f"{self.path}:{line}: {message}")


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


MAX_DEPTH = 12  # a dialogue nests five levels; anything deeper is a mistake or an attack


class _Converter:
    """Composed YAML nodes -> plain data, noting the (1-based) line of every value by its path.

    Aliases are refused: a dialogue needs none, and nested aliases expand exponentially.
    """

    def __init__(self, file: Path) -> None:
        self.file = file
        self.lines: dict[Path_, int] = {}
        self.seen: set[int] = set()

    def convert(self, node: yaml.Node, path: Path_ = ()) -> Any:
        line = node.start_mark.line + 1
        if len(path) > MAX_DEPTH:
            raise DialogueError(self.file, line, f"nested deeper than {MAX_DEPTH} levels")
        self.lines[path] = line
        if isinstance(node, yaml.ScalarNode):
            return _SCALARS.construct_object(node, deep=True)
        if id(node) in self.seen:
            raise DialogueError(self.file, line, "anchors and aliases (&, *) are not supported in dialogue files")
        self.seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, index)) for index, item in enumerate(node.value)]
        return self._mapping(node, path)

    def _mapping(self, node: yaml.Node, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise DialogueError(self.file, key_node.start_mark.line + 1, "mapping keys must be plain text")
            key = key_node.value
            if key in result:
                raise DialogueError(self.file, key_node.start_mark.line + 1, f"duplicate key {key!r}")
            result[key] = self.convert(value_node, (*path, key))
        return result


def _compose(text: str, file: Path) -> tuple[Any, dict[Path_, int]]:
    try:
        nodes = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except RecursionError:
        raise DialogueError(file, 1, f"nested deeper than {MAX_DEPTH} levels") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise DialogueError(file, line, f"not valid YAML: {error.problem or error}") from None
    except yaml.YAMLError as error:
        raise DialogueError(file, 1, f"not valid YAML: {error}") from None
    if not nodes or nodes[0] is None:
        raise DialogueError(file, 1, "the file is empty; a dialogue needs id, description and turns")
    if len(nodes) > 1:
        raise DialogueError(file, nodes[1].start_mark.line + 1, "one dialogue per file (found a second document)")
    converter = _Converter(file)
    return converter.convert(nodes[0]), converter.lines


def _line_for(path: Sequence[str | int], lines: dict[Path_, int]) -> int:
    """The line of the deepest written value on ``path`` (an unknown key: its parent)."""
    key: Path_ = tuple(path)
    while key and key not in lines:
        key = key[:-1]
    return lines.get(key, 1)


def _schema_message(error: jsonschema.ValidationError) -> str:
    where = "/".join(str(part) for part in error.absolute_path) or "top level"
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        known = ", ".join(sorted(error.schema.get("properties", {})))
        path = list(error.absolute_path)
        noun = "expectation" if path and path[-1] == "expect" else "key"
        return f"{where}: unknown {noun} {', '.join(map(repr, extra))} (known: {known})"
    return f"{where}: {error.message}"


def _deepest(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """For a failed ``oneOf``, the alternative that got furthest says best what is wrong."""
    while error.validator in ("oneOf", "anyOf") and error.context:
        error = max(error.context, key=lambda sub: (len(sub.absolute_path), sub.validator != "type"))
    return error


def _validate(data: Any, lines: dict[Path_, int], file: Path) -> list[DialogueError]:
    """Every schema error of the file, each at its own line (one per line and message)."""
    validator = jsonschema.Draft202012Validator(load_schema())
    found: dict[tuple[int, str], DialogueError] = {}
    for error in validator.iter_errors(data):
        deepest = _deepest(error)
        line, message = _line_for(_extra_key_path(deepest), lines), _schema_message(deepest)
        found.setdefault((line, message), DialogueError(file, line, message))
    return [found[key] for key in sorted(found)]


def _extra_key_path(error: jsonschema.ValidationError) -> Path_:
    """For an unknown key, point at the key itself rather than at its mapping."""
    path: Path_ = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        if extra:
            return (*path, extra[0])
    return path


def _expect_blocks(data: dict[str, Any]) -> list[tuple[Path_, dict[str, Any]]]:
    blocks: list[tuple[Path_, dict[str, Any]]] = [(("expect",), data.get("expect") or {})]
    blocks += [(("turns", i, "expect"), turn.get("expect") or {}) for i, turn in enumerate(data["turns"])]
    return blocks


def _check_regexes(data: dict[str, Any], lines: dict[Path_, int], file: Path) -> list[DialogueError]:
    """A regex that does not compile is a file error, not a failed expectation at run time."""
    errors = []
    for base, expect in _expect_blocks(data):
        for name in ("must_contain", "must_not_contain"):
            items = expect.get(name)
            for index, item in enumerate(items if isinstance(items, list) else [items]):
                if isinstance(item, dict):
                    try:
                        re.compile(item["regex"])
                    except re.error as error:
                        line = _line_for((*base, name, index) if isinstance(items, list) else (*base, name), lines)
                        errors.append(DialogueError(file, line, f"{name}: bad regex: {error}"))
    return errors


def _specs(
    expect: dict[str, Any] | None, base: Path_, lines: dict[Path_, int], turn: int | None
) -> tuple[ExpectationSpec, ...]:
    return tuple(
        ExpectationSpec(name=name, value=value, line=_line_for((*base, name), lines), turn=turn)
        for name, value in (expect or {}).items()
    )


def _build(data: dict[str, Any], lines: dict[Path_, int], file: Path) -> Dialogue:
    settings = data.get("settings") or {}
    turns = tuple(
        TurnSpec(
            text=turn["user"],
            line=_line_for(("turns", index), lines),
            expect=_specs(turn.get("expect"), ("turns", index, "expect"), lines, index),
        )
        for index, turn in enumerate(data["turns"])
    )
    return Dialogue(
        id=data["id"],
        description=data["description"].strip(),
        path=file,
        line=_line_for(("id",), lines),
        turns=turns,
        tags=tuple(data.get("tags") or ()),
        drafter=settings.get("drafter"),
        procedure=settings.get("procedure"),
        pii=tuple(data.get("pii") or ()),
        expect=_specs(data.get("expect"), ("expect",), lines, None),
    )


class DialogueErrors(DialogueError):
    """Everything wrong with one file; ``errors`` lists each (``str()`` is the first)."""

    def __init__(self, errors: Sequence[DialogueError]) -> None:
        first = errors[0]
        super().__init__(first.path, first.line, first.message)
        self.errors = list(errors)


def parse_dialogue(text: str, file: Path | str = "<string>") -> Dialogue:
    """Parse one dialogue from YAML text; raises ``DialogueErrors`` (every problem, by file and line).

    The shape comes first (schema, regexes); only a well-shaped dialogue has its references (procedure
    ids, cited laws, articles and policy sections) looked up, so each error is about what was written.
    """
    path = Path(file)
    data, lines = _compose(text, path)
    if not isinstance(data, dict):
        raise DialogueError(path, 1, "a dialogue file must be a mapping with id, description and turns")
    errors = _validate(data, lines, path)
    if not errors:
        errors = _check_regexes(data, lines, path) + check_references(data, lines, path)
    if errors:
        raise DialogueErrors(errors)
    return _build(data, lines, path)


def load_dialogue(file: Path | str) -> Dialogue:
    """Read and parse one dialogue file (UTF-8, at most 1 MB); ``DialogueErrors`` lists every problem."""
    path = Path(file)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DialogueError(path, 0, f"cannot read the file: {error.strerror or error}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise DialogueError(path, 1, f"file is larger than {MAX_FILE_BYTES} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DialogueError(path, line, "not UTF-8 text (a binary file?)") from None
    return parse_dialogue(text, path)


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given, folders expanded to their *.yaml / *.yml files (sorted, recursive)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in DIALOGUE_SUFFIXES and p.is_file()))
        else:
            files.append(path)
    return files


def load_dialogues(paths: Iterable[Path | str]) -> tuple[list[Dialogue], list[DialogueError]]:
    """Load every dialogue; bad files are returned as errors and do not stop the others."""
    dialogues: list[Dialogue] = []
    errors: list[DialogueError] = []
    seen: dict[str, Dialogue] = {}
    for file in expand_paths(paths):
        try:
            dialogue = load_dialogue(file)
        except DialogueErrors as problems:
            errors.extend(problems.errors)
            continue
        except DialogueError as error:
            errors.append(error)
            continue
        if dialogue.id in seen:
            first = seen[dialogue.id]
            message = f"duplicate id {dialogue.id!r} (first in {first.location})"
            errors.append(DialogueError(file, dialogue.line, message))
            continue
        seen[dialogue.id] = dialogue
        dialogues.append(dialogue)
    return dialogues, errors


def select(dialogues: Sequence[Dialogue], patterns: Sequence[str]) -> list[Dialogue]:
    """Dialogues whose id matches a glob, or that carry the tag or exercise the procedure named."""
    if not patterns:
        return list(dialogues)
    return [
        d for d in dialogues if any(fnmatch.fnmatchcase(d.id, p) or p in d.tags or p == d.procedure for p in patterns)
    ]
