"""Input rails: deterministic checks on a customer's (already masked) message.

Each rule in ``input_rails.yaml`` names a check registered here with ``@rail(..., stage="input")``.
``patterns`` matches the rule's regexes on the normalised text, discarding any hit that overlaps a
benign exception (我想忽略这个订单 is not 忽略以上指令). ``encoded_payload`` decodes base64, hex,
``\\uXXXX`` and %-escapes found in the message and runs the rules of the listed categories again on
what comes out, so an instruction cannot be smuggled past the rules by encoding it.
"""

from __future__ import annotations

import base64
import binascii
import re
import urllib.parse
from collections.abc import Iterator

from guardrails.rails.config import InputConfig, InputRule, load_input_config
from guardrails.rails.fold_text import leet_view, views
from guardrails.rails.registry import get_rail, rail
from guardrails.types import RailFlag

_BASE64 = re.compile(r"[A-Za-z0-9+/_-]{16,4096}={0,2}")
_HEX = re.compile(r"(?:\\x|0x)?(?:[0-9a-fA-F]{2}(?:\\x|[\s:]|0x)?){8,4096}")
_UNICODE_ESCAPE = re.compile(r"(?:\\u[0-9a-fA-F]{4}){2,1024}")
_PERCENT = re.compile(r"(?:%[0-9a-fA-F]{2}){3,4096}")
_MAX_DEPTH = 2


def check_input(text: str, config: InputConfig | None = None) -> list[RailFlag]:
    """Flags of every rule that fires on ``text``, in configuration order, one per rule.

    ``text`` should already be masked; the result is deterministic and never contains the text.
    """
    config = config or load_input_config()
    forms = views(text, config.char_map)
    leet = leet_view(forms[0], config.leet_map)
    leet_forms = forms if leet is None or leet in forms else (*forms, leet)
    flags = []
    for rule in config.rules:
        check = get_rail(rule.check, stage="input")
        if check(rule, text, leet_forms if rule.category in config.leet_categories else forms, config):
            flags.append(RailFlag(rule.id, rule.category, rule.action, rule.description))
    return flags


def rule_matches(rule: InputRule, forms: tuple[str, ...]) -> bool:
    """True when the rule's pattern hits a form outside every benign exception."""
    if rule.pattern is None:
        return False
    return any(_kept_hits(rule.pattern, form, _excepted(rule, form)) for form in forms)


def cooccurs(rule: InputRule, forms: tuple[str, ...]) -> bool:
    """True when every ``all_of`` group hits (outside the exceptions) within ``window`` characters.

    The leftmost hit of any qualifying combination starts some window, so trying a window at the
    start of every hit is exact.
    """
    for form in forms:
        excepted = _excepted(rule, form)
        groups = [_kept_hits(group, form, excepted) for group in rule.all_of]
        if not all(groups):
            continue
        for start in sorted({hit[0] for hits in groups for hit in hits}):
            limit = start + rule.window
            if all(any(start <= hit_start and hit_end <= limit for hit_start, hit_end in hits) for hits in groups):
                return True
    return False


def _excepted(rule: InputRule, form: str) -> list[tuple[int, int]]:
    return [match.span() for match in rule.exceptions.finditer(form)] if rule.exceptions else []


def _kept_hits(pattern: re.Pattern[str], form: str, excepted: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of ``pattern`` in ``form`` that overlap no benign exception (first 64 are plenty).

    Hits and exceptions both come from ``finditer``, so each list is sorted and non-overlapping:
    one forward walk over the exceptions keeps this linear even when every hit is excepted
    (转人工费 repeated 50,000 times).
    """
    kept: list[tuple[int, int]] = []
    index = 0
    for hit in pattern.finditer(form):
        start, end = hit.span()
        while index < len(excepted) and excepted[index][1] <= start:
            index += 1
        if index < len(excepted) and excepted[index][0] < end:
            continue
        kept.append((start, end))
        if len(kept) >= 64:
            break
    return kept


@rail("patterns", stage="input")
def patterns_check(rule: InputRule, text: str, forms: tuple[str, ...], config: InputConfig) -> bool:
    return rule_matches(rule, forms)


@rail("cooccurrence", stage="input")
def cooccurrence_check(rule: InputRule, text: str, forms: tuple[str, ...], config: InputConfig) -> bool:
    return rule_matches(rule, forms) or cooccurs(rule, forms)


@rail("encoded_payload", stage="input")
def encoded_payload_check(rule: InputRule, text: str, forms: tuple[str, ...], config: InputConfig) -> bool:
    targets = [
        other
        for other in config.rules
        if other.category in rule.recheck_categories and other.check in ("patterns", "cooccurrence")
    ]
    return _encoded_hits(text, targets, config, depth=1)


def _encoded_hits(text: str, targets: list[InputRule], config: InputConfig, depth: int) -> bool:
    for decoded in decoded_payloads(text):
        decoded_forms = views(decoded, config.char_map)
        if any(rule_matches(rule, decoded_forms) or cooccurs(rule, decoded_forms) for rule in targets):
            return True
        if depth < _MAX_DEPTH and _encoded_hits(decoded, targets, config, depth + 1):
            return True
    return False


def decoded_payloads(text: str) -> Iterator[str]:
    """Readable text hidden in ``text`` as base64, hex, unicode escapes or %-escapes."""
    for match in _UNICODE_ESCAPE.finditer(text):
        yield match.group().encode("ascii").decode("unicode_escape")
    for match in _PERCENT.finditer(text):
        yield from _readable(urllib.parse.unquote_to_bytes(match.group()))
    for match in _HEX.finditer(text):
        digits = re.sub(r"\\x|0x|[\s:]", "", match.group())
        if len(digits) % 2 == 0:
            yield from _readable(bytes.fromhex(digits))
    for match in _BASE64.finditer(text):
        token = match.group()
        if token.isdigit():
            continue  # order and tracking numbers
        padded = token + "=" * (-len(token) % 4)
        try:
            raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
        except (binascii.Error, ValueError):
            continue
        yield from _readable(raw)


def _readable(raw: bytes) -> Iterator[str]:
    """``raw`` as text when it is valid UTF-8 and mostly printable; nothing otherwise."""
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return
    printable = sum(1 for ch in decoded if ch.isprintable() or ch.isspace())
    if decoded and printable / len(decoded) >= 0.9:
        yield decoded
