"""Load and validate the rail configuration (YAML files under ``guardrails/config``).

Rules are data: ids, descriptions, categories, actions, patterns, benign exceptions, canned replies
and the order of the output rails. A malformed file fails at load with its path and the offending
entry named, never later in the middle of a conversation.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import BaseModel

from guardrails.rails.fold_text import assert_bounded, normalise
from guardrails.rails.schema import InputRailsFile
from guardrails.types import RailAction, RailCategory
from knowledge.datafile import DataError, load_checked

CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"
INPUT_RAILS_FILE = CONFIG_DIR / "input_rails.yaml"
OUTPUT_RAILS_FILE = CONFIG_DIR / "output_rails.yaml"
COMMITMENTS_FILE = CONFIG_DIR / "commitments.yaml"

_CATEGORIES = frozenset(get_args(RailCategory))
_ACTIONS = frozenset(get_args(RailAction))


class RailConfigError(DataError):
    """A rail configuration file is missing, not YAML, or has an invalid entry."""


@dataclass(frozen=True)
class InputRule:
    """One input rule. ``pattern`` and ``exceptions`` match the normalised text (see normalise.py)."""

    id: str
    description: str
    category: RailCategory
    action: RailAction
    check: str = "patterns"
    pattern: re.Pattern[str] | None = None
    exceptions: re.Pattern[str] | None = None
    recheck_categories: tuple[str, ...] = ()
    all_of: tuple[re.Pattern[str], ...] = ()
    window: int = 0


@dataclass(frozen=True)
class ClassifierSettings:
    """The learned second opinion (classifier.py): exemplar file, n-gram range, C, threshold.

    ``categories`` are the ones whose ``classifier_<category>`` rules are loaded: the model is
    trained on every label, but a company turns it on only where a false flag is harmless.
    """

    exemplars: Path
    enabled: bool = False
    ngram: tuple[int, int] = (1, 3)
    c: float = 50.0
    threshold: float = 0.5
    categories: frozenset[str] = _CATEGORIES


@dataclass(frozen=True)
class InputConfig:
    rules: tuple[InputRule, ...]
    char_map: Mapping[int, str]
    classifier: ClassifierSettings | None = None
    leet_map: Mapping[int, str] = field(default_factory=dict)
    leet_categories: frozenset[str] = frozenset()


def read_yaml(path: Path) -> dict[str, Any]:
    """A YAML mapping from ``path``, or RailConfigError naming the file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise RailConfigError(f"{path}: cannot read ({error.strerror or error})") from error
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise RailConfigError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise RailConfigError(f"{path}: expected a mapping at the top level")
    return data


def read_data(path: Path, model: type[BaseModel]) -> dict[str, Any]:
    """The YAML mapping at ``path`` after it validated as ``model`` (errors name file and line)."""
    try:
        data = load_checked(path, model)
    except DataError as error:
        raise RailConfigError(str(error), error.problems) from error
    return data if isinstance(data, dict) else {}


def _string_list(entry: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = entry.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise RailConfigError(f"{where}: {key!r} must be a list of non-empty strings")
    return value


_TERM_REF = re.compile(r"\{\{([a-z_]{1,40})\}\}")


def parse_terms(data: Mapping[str, Any], path: Path, char_map: Mapping[int, str]) -> dict[str, str]:
    """The synonym table: each ``name: [words]`` becomes a regex alternation of the normalised words.

    Patterns refer to a table entry as ``{{name}}``, so one list of, say, third-party words
    (老婆, 邻居, 收件人 …) serves every rule and a company extends it without touching a regex.
    """
    raw = data.get("terms") or {}
    if not isinstance(raw, dict):
        raise RailConfigError(f"{path}: 'terms' must map names to lists of words")
    terms = {}
    for name, words in raw.items():
        where = f"{path}: terms {name!r}"
        if not isinstance(name, str) or not _TERM_REF.fullmatch("{{" + name + "}}"):
            raise RailConfigError(f"{where}: a term name is lower-case letters and underscores")
        listed = _string_list({"words": words}, "words", where)
        if not listed:
            raise RailConfigError(f"{where}: needs at least one word")
        escaped = sorted({re.escape(normalise(word, char_map)) for word in listed}, key=lambda w: (-len(w), w))
        terms[name] = "(?:" + "|".join(escaped) + ")"
    return terms


def expand_terms(pattern: str, terms: Mapping[str, str], where: str) -> str:
    """``pattern`` with every ``{{name}}`` replaced by its synonym alternation."""

    def substitute(match: re.Match[str]) -> str:
        if match.group(1) not in terms:
            raise RailConfigError(f"{where}: unknown term {{{{{match.group(1)}}}}}")
        return terms[match.group(1)]

    return _TERM_REF.sub(substitute, pattern)


def compile_alternation(
    patterns: list[str], where: str, terms: Mapping[str, str] | None = None
) -> re.Pattern[str] | None:
    """One compiled regex for a list of bounded patterns (None for an empty list)."""
    if not patterns:
        return None
    patterns = [expand_terms(pattern, terms or {}, where) for pattern in patterns]
    for pattern in patterns:
        try:
            assert_bounded(pattern)
            re.compile(pattern)
        except (ValueError, re.error) as error:
            raise RailConfigError(f"{where}: bad pattern {pattern!r}: {error}") from error
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


def _input_rule(entry: Any, index: int, path: Path, char_map: Mapping[int, str], terms: Mapping[str, str]) -> InputRule:
    where = f"{path}: rules[{index}]"
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        raise RailConfigError(f"{where}: each rule needs a string 'id'")
    where = f"{path}: rule {entry['id']!r}"
    if entry.get("category") not in _CATEGORIES:
        raise RailConfigError(f"{where}: category must be one of {sorted(_CATEGORIES)}")
    if entry.get("action") not in _ACTIONS:
        raise RailConfigError(f"{where}: action must be one of {sorted(_ACTIONS)}")
    keywords = [re.escape(normalise(word, char_map)) for word in _string_list(entry, "keywords", where)]
    patterns = _string_list(entry, "patterns", where) + keywords
    check = entry.get("check", "patterns")
    if check == "patterns" and not patterns:
        raise RailConfigError(f"{where}: a pattern rule needs 'patterns' or 'keywords'")
    all_of, window = _cooccurrence(entry, where, terms)
    if check == "cooccurrence" and len(all_of) < 2:
        raise RailConfigError(f"{where}: a co-occurrence rule needs 'all_of' with at least two patterns")
    recheck = _string_list(entry, "recheck_categories", where)
    if unknown := set(recheck) - _CATEGORIES:
        raise RailConfigError(f"{where}: unknown recheck_categories {sorted(unknown)}")
    return InputRule(
        id=entry["id"],
        description=str(entry.get("description", "")),
        category=entry["category"],
        action=entry["action"],
        check=str(check),
        pattern=compile_alternation(patterns, where, terms),
        exceptions=compile_alternation(_string_list(entry, "exceptions", where), where, terms),
        recheck_categories=tuple(recheck),
        all_of=all_of,
        window=window,
    )


def _cooccurrence(
    entry: Mapping[str, Any], where: str, terms: Mapping[str, str]
) -> tuple[tuple[re.Pattern[str], ...], int]:
    """The ``all_of`` groups (each one pattern) and the ``window`` (characters) they must share."""
    groups = []
    for pattern in _string_list(entry, "all_of", where):
        compiled = compile_alternation([pattern], where, terms)
        assert compiled is not None
        groups.append(compiled)
    window = entry.get("window", 0)
    if not isinstance(window, int) or isinstance(window, bool) or not 0 <= window <= 400:
        raise RailConfigError(f"{where}: 'window' must be a whole number of characters, 0..400")
    if groups and window == 0:
        raise RailConfigError(f"{where}: 'all_of' needs a 'window' (characters all groups must fall within)")
    return tuple(groups), window


def parse_input_config(data: Mapping[str, Any], path: Path) -> InputConfig:
    raw_map = data.get("char_map") or {}
    if not isinstance(raw_map, dict) or not all(
        isinstance(k, str) and len(k) == 1 and isinstance(v, str) for k, v in raw_map.items()
    ):
        raise RailConfigError(f"{path}: char_map must map single characters to strings")
    char_map = {ord(k): v for k, v in raw_map.items()}
    entries = data.get("rules")
    if not isinstance(entries, list) or not entries:
        raise RailConfigError(f"{path}: 'rules' must be a non-empty list")
    terms = parse_terms(data, path, char_map)
    rules = tuple(_input_rule(entry, index, path, char_map, terms) for index, entry in enumerate(entries))
    ids = [rule.id for rule in rules]
    if duplicates := sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1}):
        raise RailConfigError(f"{path}: duplicate rule ids {duplicates}")
    classifier = _classifier_settings(data, path)
    if classifier is not None:
        rules = tuple(
            rule
            for rule in rules
            if rule.check != "classifier" or (classifier.enabled and rule.category in classifier.categories)
        )
    leet_map, leet_categories = _leet(data, path)
    return InputConfig(rules, char_map, classifier, leet_map, leet_categories)


def _leet(data: Mapping[str, Any], path: Path) -> tuple[dict[int, str], frozenset[str]]:
    """The ``leet`` section: which characters read as which letters, and which rule categories try it."""
    raw = data.get("leet")
    if raw is None:
        return {}, frozenset()
    mapping = raw.get("map") if isinstance(raw, dict) else None
    categories = raw.get("categories") if isinstance(raw, dict) else None
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and len(k) == 1 and isinstance(v, str) and len(v) == 1 for k, v in mapping.items()
    ):
        raise RailConfigError(f"{path}: leet.map must map single characters to single letters")
    if not isinstance(categories, list) or not set(categories) <= _CATEGORIES:
        raise RailConfigError(f"{path}: leet.categories must list categories of {sorted(_CATEGORIES)}")
    return {ord(k): v for k, v in mapping.items()}, frozenset(categories)


def _classifier_settings(data: Mapping[str, Any], path: Path) -> ClassifierSettings | None:
    raw = data.get("classifier")
    if raw is None:
        return None
    try:
        low, high = (int(n) for n in raw.get("ngram", (1, 3)))
        settings = ClassifierSettings(
            exemplars=path.parent / str(raw["exemplars"]),
            enabled=bool(raw.get("enabled", False)),
            ngram=(low, high),
            c=float(raw.get("c", 50.0)),
            threshold=float(raw.get("threshold", 0.5)),
            categories=frozenset(raw.get("categories", _CATEGORIES)),
        )
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise RailConfigError(f"{path}: 'classifier' needs exemplars, ngram [low, high], c, threshold") from error
    if not 1 <= low <= high <= 5 or settings.c <= 0 or not 0 < settings.threshold < 1:
        raise RailConfigError(f"{path}: classifier ngram must be 1..5, c > 0, 0 < threshold < 1")
    if not settings.categories or not settings.categories <= _CATEGORIES:
        raise RailConfigError(f"{path}: classifier categories must be a non-empty list of {sorted(_CATEGORIES)}")
    return settings


def load_input_config(path: Path | None = None) -> InputConfig:
    """The input rules from ``path`` (default: the bundled file, parsed once per process)."""
    if path is None:
        return _default_input_config()
    return parse_input_config(read_data(path, InputRailsFile), path)


@functools.cache
def _default_input_config() -> InputConfig:
    return parse_input_config(read_data(INPUT_RAILS_FILE, InputRailsFile), INPUT_RAILS_FILE)
