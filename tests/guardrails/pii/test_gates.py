"""The cheap pre-checks ``detect`` runs before a recogniser (required characters, trigger) only skip
work, never a finding: every candidate ``find`` reports in a text passes both checks."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardrails.pii import default_registry
from guardrails.pii.nfkc_offsets import normalize
from guardrails.pii.recognizer import case_variants
from tests.guardrails.pii.test_properties import ANY_TEXT
from tests.guardrails.pii.test_recognizers import LOOK_ALIKES, MATCHING, REJECTED

TABLE_TEXTS = [row[1] for row in MATCHING + REJECTED] + LOOK_ALIKES
# Characters the gates of the pattern recognisers turn on, mixed with context words and filler.
GATE_ALPHABET = "0123456789@.:-+ ()EePpQqWwVvXx京沪粤护照通行证微信扣扣车牌地址登录订单身份证手机，。"
GATE_TEXT = st.one_of(
    ANY_TEXT,
    st.text(alphabet=GATE_ALPHABET, max_size=60),
    st.lists(st.sampled_from(TABLE_TEXTS + list(GATE_ALPHABET)), max_size=6).map("".join),
)


def _skipped_findings(text: str) -> list[tuple[str, str]]:
    """(recogniser, reason) for every recogniser the gates skip although ``find`` reports something."""
    searched = normalize(text).text
    present = set(searched)
    registry = default_registry()
    missed = []
    for recognizer, gate in zip(registry.for_types(None), registry.gates(None), strict=True):
        if not gate.find(searched):
            continue
        if gate.required_chars is not None and present.isdisjoint(gate.required_chars):
            missed.append((recognizer.name, "required characters absent"))
        if gate.trigger is not None and gate.trigger(searched) is None:
            missed.append((recognizer.name, "trigger found nothing"))
    return missed


@pytest.mark.parametrize("text", TABLE_TEXTS)
def test_when_a_table_text_holds_a_finding_then_no_gate_skips_it(text: str) -> None:
    assert _skipped_findings(text) == []


@settings(max_examples=300, deadline=None)
@given(GATE_TEXT)
def test_when_any_text_holds_a_finding_then_no_gate_skips_it(text: str) -> None:
    assert _skipped_findings(text) == []


def test_when_letters_are_matched_ignoring_case_then_every_unicode_variant_is_a_required_char() -> None:
    letters = string.ascii_letters
    same = re.compile(f"[{letters}]", re.IGNORECASE)
    everywhere = {char for char in map(chr, range(0x110000)) if same.fullmatch(char)}
    assert everywhere <= case_variants(letters)
    assert {"\u0130", "\u0131", "\u017f", "\u212a"} <= case_variants(letters)


def test_when_a_recogniser_needs_context_then_its_required_chars_are_its_context_words_first_chars() -> None:
    recognizer = default_registry().get("wechat_qq")
    assert recognizer.required_chars is not None
    assert {word[0] for word in recognizer.context} <= recognizer.required_chars
    assert recognizer.analyze("订单 12345678") == []
