"""Properties that must hold for any text (hypothesis). No deadlines: jieba loads lazily."""

from __future__ import annotations

import itertools
import random

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.settings import load_settings
from guardrails.pii import Masker, detect, mask_text, open_vault, type_spec
from tests.fixtures.pii import make_bank_card, make_id_card, make_phone

FILLER = st.text(alphabet="我的电话号码是，。：订单退货谢谢 abcXYZ-+@.0123456789１２３（）\u3000", max_size=30)


@st.composite
def messages(draw: st.DrawFn) -> str:
    """Filler interleaved with checksum-valid IDs, cards and phones (each value distinct)."""
    rng = random.Random(draw(st.integers(0, 2**32)))
    makers = [make_id_card, make_bank_card, make_phone]
    parts = [draw(FILLER)]
    for _ in range(draw(st.integers(0, 4))):
        parts += [draw(st.sampled_from(["身份证", "卡号", "手机", " "])), rng.choice(makers)(rng), draw(FILLER)]
    return "".join(parts)


ANY_TEXT = st.one_of(st.text(max_size=80), FILLER, messages())


@settings(deadline=None)
@given(ANY_TEXT)
def test_spans_lie_inside_the_text_and_never_overlap(text: str) -> None:
    entities = detect(text)
    for entity in entities:
        assert 0 <= entity.start < entity.end <= len(text)
        assert text[entity.start : entity.end] == entity.value
    for left, right in itertools.pairwise(entities):
        assert left.end <= right.start


@settings(deadline=None)
@given(ANY_TEXT, st.sampled_from(["placeholder", "mask", "redact", "hash"]))
@example("11010519640318591X0.0.0.0", "placeholder")  # an IP glued to a letter was masked, then the ID
@example("222202023330531110:10000", "hash")  # the hash [银行卡号#nwgcwxipak] holds "wx", a WeChat cue
@example("谢0订 00\x7f110105196803250979", "placeholder")  # 谢0 beside [身份证号1] was read as a name
@example("1 3000000001谢aA", "mask")  # 谢aA after the masked 130****0001 was read as a name
def test_masking_is_idempotent(text: str, operator: str) -> None:
    masker = Masker(operator, hash_key=b"p" * 32)
    once = masker.mask(text).text
    assert masker.mask(once).text == once


@settings(deadline=None)
@given(messages())
def test_no_digit_of_a_detected_number_survives_partial_masking_beyond_prefix_and_suffix(text: str) -> None:
    masker = Masker("mask", operators={"id_card": "mask", "bank_card": "mask", "phone": "mask"})
    masked = masker.mask(text)
    for change in masked.changes:
        spec = type_spec(change.type)
        hidden = change.replacement[spec.mask_prefix : len(change.replacement) - spec.mask_suffix]
        assert hidden and set(hidden) == {"*"}
    # Every detected span is replaced where it stands (the same value may also occur undetected
    # elsewhere, glued to other digits: 6222...380.0.0.0 is not an IP address).
    assert {(e.start, e.end) for e in detect(text)} == {(c.start, c.end) for c in masked.changes}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(messages())
def test_unmasking_through_the_vault_restores_the_text(text: str) -> None:
    vault = open_vault(load_settings().vault_config)
    conversation = f"prop-{abs(hash(text))}"
    masked = Masker(vault=vault, conversation_id=conversation).mask(text).text
    assert vault.restore(conversation, masked, actor="qa", reason="property test") == text
    assert mask_text(text).text == masked


def test_a_name_is_never_found_holding_a_digit_or_glued_to_a_placeholder() -> None:
    # The tagger reads 谢0 as a person once the id next to it is a placeholder, and a name right
    # before or after a placeholder was not found on the raw value: neither may be masked again.
    for text in ("谢0订 00\x7f[身份证号1]", "谢伟[手机号1]", "[手机号1]王芳收", "谢0来过", "130****0001谢伟", "谢aA"):
        assert [e.value for e in detect(text, {"name"})] == [], text
    assert [e.value for e in detect("谢伟13912345678", {"name"})] == ["谢伟"]
    assert [e.value for e in detect("联系人欧阳 振华", {"name"})] == ["欧阳 振华"]
