"""Output rails on deliberately bad drafts, and a good draft that passes untouched."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardrails.rails import OutputContext, RequiredElement, canned_reply, run_output_rails
from tests.fixtures.pii import make_phone
from tests.fixtures.rails import CASE_NUMBER

MakeContext = Callable[..., OutputContext]
DISCLAIMER = "以上内容仅供参考，不构成法律意见。"
GOOD_DRAFT = (
    "您好，您的投诉已受理，工单号为CS20261128001。根据《消费者权益保护法》第二十五条，网购商品在收到之日起七日内"
    "一般可以无理由退货。我们正在核实订单信息，请您保留好商品和包装。" + DISCLAIMER
)


def verdict(result: object, rule: str) -> tuple[str, tuple[str, ...]]:
    found = [v for v in result.verdicts if v.rule == rule]  # type: ignore[attr-defined]
    assert len(found) == 1, f"rail {rule} did not run exactly once"
    return found[0].verdict, found[0].reasons


def test_when_draft_is_good_then_every_rail_passes_and_text_is_untouched(output_context: MakeContext) -> None:
    result = run_output_rails(GOOD_DRAFT, output_context(required_elements=(CASE_NUMBER,)))
    assert result.text == GOOD_DRAFT
    assert not result.blocked
    assert [v.verdict for v in result.verdicts] == ["pass"] * 9
    assert [v.rule for v in result.verdicts] == [
        "citations",
        "citation_relevance",
        "commitments",
        "forbidden_phrasing",
        "exfiltration",
        "personal_data",
        "language",
        "required_elements",
        "disclaimer",
    ]


def test_when_article_does_not_exist_then_its_sentence_is_removed(output_context: MakeContext) -> None:
    result = run_output_rails("您好。根据《民法典》第9999条，您可以要求三倍赔偿。我们正在核实。", output_context())
    assert "9999" not in result.text and "三倍赔偿" not in result.text
    assert result.text.startswith("您好。我们正在核实。")
    kind, reasons = verdict(result, "citations")
    assert kind == "repaired" and "《民法典》第9999条" in reasons[0] and "does not exist" in reasons[0]


def test_when_repealed_contract_law_is_cited_then_successor_article_replaces_it(output_context: MakeContext) -> None:
    result = run_output_rails("根据合同法第107条，商家应当承担违约责任。", output_context())
    assert "合同法" not in result.text
    assert result.text.startswith("根据民法典第五百七十七条，商家应当承担违约责任。")
    kind, reasons = verdict(result, "citations")
    assert kind == "repaired" and reasons == ("合同法第107条: repealed, replaced by 民法典第五百七十七条",)


def test_when_repealed_article_has_no_successor_then_its_sentence_is_removed(output_context: MakeContext) -> None:
    result = run_output_rails("您好。依据合同法第1条，本合同有效。请提供订单号。", output_context(explains_law=False))
    assert result.text == "您好。请提供订单号。"
    assert "no successor" in verdict(result, "citations")[1][0]


def test_when_policy_section_does_not_exist_then_its_sentence_is_removed(output_context: MakeContext) -> None:
    result = run_output_rails("您好。依据《退换货政策》第9.9条，不予退货。请提供订单号。", output_context())
    assert result.text == "您好。请提供订单号。"


def test_when_draft_holds_a_phone_number_the_customer_never_gave_then_it_is_masked(
    output_context: MakeContext,
) -> None:
    result = run_output_rails("您好，请拨打13812345678联系仓库。", output_context())
    assert "13812345678" not in result.text and "5678" not in result.text
    kind, reasons = verdict(result, "personal_data")
    assert kind == "repaired" and reasons == ("masked phone×1",)
    assert all("13812345678" not in reason for v in result.verdicts for reason in v.reasons)


def test_when_placeholder_was_not_given_by_customer_then_it_is_removed(output_context: MakeContext) -> None:
    ctx = output_context(customer_placeholders=frozenset({"[手机号1]"}))
    result = run_output_rails("我们会致电[手机号1]，也会联系[手机号2]和[身份证号1]。", ctx)
    assert "[手机号1]" in result.text
    assert "[手机号2]" not in result.text and "[身份证号1]" not in result.text
    assert verdict(result, "personal_data") == ("repaired", ("removed 2 placeholder(s) the customer did not give",))


def test_when_an_invented_placeholder_is_of_a_company_type_then_it_is_removed(output_context: MakeContext) -> None:
    """custom_recognizers.yaml declares 会员卡号; the registry, not a list of built-ins, knows its label."""
    ctx = output_context(customer_placeholders=frozenset({"[会员卡号1]"}))
    result = run_output_rails("您的会员卡[会员卡号1]已登记，另一张[会员卡号2]也已处理。", ctx)
    assert "[会员卡号1]" in result.text and "[会员卡号2]" not in result.text
    assert verdict(result, "personal_data") == ("repaired", ("removed 1 placeholder(s) the customer did not give",))


@pytest.mark.parametrize(
    ("draft", "phrase"),
    [
        ("您好。本活动最终解释权归本公司所有。请提供订单号。", "最终解释权归本公司所有"),
        ("您好。这是你自己的问题。请提供订单号。", "这是你自己的问题"),
        ("您好。爱买不买。请提供订单号。", "爱买不买"),
        ("您好。这个不归我们管，找厂家去。请提供订单号。", "这个不归我们管"),
        ("您好。你是不是傻，说明书写得很清楚。请提供订单号。", "(傻|笨|有病|脑子)"),  # a configured regex
    ],
)
def test_when_draft_uses_forbidden_phrasing_then_the_sentence_is_removed(
    output_context: MakeContext, draft: str, phrase: str
) -> None:
    result = run_output_rails(draft, output_context(), rails=("forbidden_phrasing",))
    assert result.text == "您好。请提供订单号。"
    kind, reasons = verdict(result, "forbidden_phrasing")
    assert kind == "repaired" and any(phrase in reason for reason in reasons)


def test_when_forbidden_phrase_is_only_quoted_then_the_sentence_stays(output_context: MakeContext) -> None:
    draft = "商家“最终解释权归本公司所有”的声明属于不公平格式条款，该内容无效。"
    result = run_output_rails(draft, output_context(), rails=("forbidden_phrasing",))
    assert result.text == draft
    assert verdict(result, "forbidden_phrasing")[0] == "pass"


@pytest.mark.parametrize(
    "draft",
    ["我们保证为您全额退款。", "我们一定会给您退款。", "今天就给您退款。", "商品肯定给您退。", "我们会赔偿您的损失。"],
)
def test_when_outcome_is_promised_before_investigation_then_it_is_softened_or_removed(
    output_context: MakeContext, draft: str
) -> None:
    result = run_output_rails("您好。" + draft + "请提供订单号。", output_context(step="investigate"))
    for word in ("保证", "全额退款", "一定", "肯定给您", "今天就给您退款", "会赔偿"):
        assert word not in result.text
    assert result.text.startswith("您好。") and result.text.endswith("请提供订单号。")
    kind, reasons = verdict(result, "commitments")
    assert kind == "repaired" and "investigate" in reasons[0]


def test_when_investigation_is_complete_at_resolve_then_outcome_promise_stays(output_context: MakeContext) -> None:
    draft = "经核实商品存在质量问题，我们一定为您办理全额退款。"
    result = run_output_rails(draft, output_context(step="resolve", investigation_complete=True))
    assert result.text == draft
    assert verdict(result, "commitments")[0] == "pass"


def test_when_promise_is_absolute_then_it_is_removed_at_every_step(output_context: MakeContext) -> None:
    ctx = output_context(step="resolve", investigation_complete=True)
    result = run_output_rails("经核实同意退款。我们百分之百包赔。请提供收款方式。", ctx)
    assert result.text == "经核实同意退款。请提供收款方式。"


@pytest.mark.parametrize(
    "draft", ["请您一定保留好购物凭证。", "退款不一定原路返回，以银行为准。", "质量保证金由平台托管"]
)
def test_when_commitment_word_is_a_look_alike_then_sentence_stays(output_context: MakeContext, draft: str) -> None:
    result = run_output_rails(draft, output_context(step="accept"))
    assert result.text == draft


@pytest.mark.parametrize(
    "draft",
    [
        "Sure, I can help you with a refund. Please send your order number.",
        "OK",
        "12345",
        "好的 thanks for your patience",
    ],
)
def test_when_reply_is_not_mainly_chinese_then_it_is_blocked_with_the_canned_text(
    output_context: MakeContext, draft: str
) -> None:
    result = run_output_rails(draft, output_context())
    assert result.blocked
    assert result.text == canned_reply("output_blocked")
    assert result.verdicts[-1].rule == "language" and result.verdicts[-1].verdict == "blocked"


def test_when_a_few_english_words_sit_in_a_chinese_reply_then_language_passes(output_context: MakeContext) -> None:
    draft = "您好，您购买的iPhone 15 Pro Max在收到七日内可以申请退货，请在App中提交申请。"
    assert verdict(run_output_rails(draft, output_context()), "language")[0] == "pass"


def test_when_required_element_is_missing_then_its_fallback_is_appended(output_context: MakeContext) -> None:
    result = run_output_rails("您好，我们已收到您的反馈。", output_context(required_elements=(CASE_NUMBER,)))
    assert result.text == "您好，我们已收到您的反馈。" + CASE_NUMBER.fallback
    assert verdict(result, "required_elements") == ("repaired", ("missing case_number: fallback appended",))


def test_when_required_element_is_present_then_nothing_is_appended(output_context: MakeContext) -> None:
    element = RequiredElement("channels", ("12315", "消费者协会"), "您也可以向消费者协会或12315反映。")
    result = run_output_rails("您可以拨打12315。", output_context(required_elements=(CASE_NUMBER, element)))
    assert result.text == "您可以拨打12315。" + CASE_NUMBER.fallback


@pytest.mark.parametrize(
    ("draft", "explains_law", "appended"),
    [
        ("根据《消费者权益保护法》第二十五条，您可以无理由退货。", None, True),
        ("依照法律规定，您可以无理由退货", None, True),
        ("您好，请提供订单号。", None, False),
        ("您好，请提供订单号。", True, True),
        ("根据《消费者权益保护法》第二十五条，您可以无理由退货。", False, False),
        ("根据《消费者权益保护法》第二十五条，您可以退货。" + DISCLAIMER, None, False),
    ],
)
def test_when_reply_explains_the_law_then_the_disclaimer_is_appended_once(
    output_context: MakeContext, draft: str, explains_law: bool | None, appended: bool
) -> None:
    result = run_output_rails(draft, output_context(explains_law=explains_law))
    assert result.text.count("仅供参考") == (1 if appended or DISCLAIMER in draft else 0)
    assert result.text.endswith(DISCLAIMER) == (appended or DISCLAIMER in draft)
    assert verdict(result, "disclaimer")[0] == ("repaired" if appended else "pass")


def test_when_every_sentence_is_removed_then_the_draft_is_blocked(output_context: MakeContext) -> None:
    result = run_output_rails("本店最终解释权归本公司所有。", output_context())
    assert result.blocked and result.text == canned_reply("output_blocked")
    assert result.verdicts[-1].rule == "forbidden_phrasing" and "nothing left" in result.verdicts[-1].reasons[-1]


def test_when_a_draft_has_several_faults_then_each_rail_repairs_its_own(output_context: MakeContext) -> None:
    draft = "根据合同法第107条，我们保证全额退款，请拨打13912345678。最终解释权归本公司所有。"
    result = run_output_rails(draft, output_context(required_elements=(CASE_NUMBER,)))
    assert not result.blocked
    repaired = [v.rule for v in result.verdicts if v.verdict == "repaired"]
    assert repaired == [
        "citations",
        "commitments",
        "forbidden_phrasing",
        "personal_data",
        "required_elements",
        "disclaimer",
    ]
    for gone in ("合同法", "保证", "13912345678", "解释权"):
        assert gone not in result.text
    assert result.text.endswith(DISCLAIMER)


@pytest.mark.parametrize(("key", "category_key"), [("injection_role_play", "injection"), ("abuse_insult", "abuse")])
def test_when_rule_has_no_own_canned_reply_then_its_category_text_is_used(key: str, category_key: str) -> None:
    assert canned_reply(key) == canned_reply(category_key)


def test_when_canned_key_is_unknown_then_key_error_names_it() -> None:
    with pytest.raises(KeyError, match="no_such_key"):
        canned_reply("no_such_key")


def test_when_forbidden_phrase_spans_personal_data_then_the_reason_does_not_repeat_it(
    output_context: MakeContext,
) -> None:
    result = run_output_rails("您好。最终解释权归13812345678所有。请提供订单号。", output_context())
    assert result.text == "您好。请提供订单号。"
    assert all("13812345678" not in reason for v in result.verdicts for reason in v.reasons)


BAD_DRAFTS = [
    "根据合同法第107条，我们保证全额退款，请拨打13912345678。最终解释权归本公司所有。",
    "您好。根据《民法典》第9999条，您可以要求三倍赔偿。我们一定会给您退款。",
    "您好，我们会致电[手机号2]。这是你自己的问题。",
    "依据《消费者权益保护法》第二十五条，七日内可以无理由退货。百分之百没问题。请提供订单号。",
]


@pytest.mark.parametrize("draft", BAD_DRAFTS)
def test_when_repaired_text_is_checked_again_then_nothing_changes(output_context: MakeContext, draft: str) -> None:
    ctx = output_context(required_elements=(CASE_NUMBER,))
    first = run_output_rails(draft, ctx)
    assert not first.blocked
    second = run_output_rails(first.text, ctx)
    assert second.text == first.text
    assert [v.verdict for v in second.verdicts] == ["pass"] * len(second.verdicts)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=10**6),
    template=st.sampled_from(
        ["请拨打{}联系我们。", "您的手机号{}已登记。", "快递员电话：{}，请耐心等待。", "我们已记录号码{}"]
    ),
)
def test_when_a_draft_holds_a_phone_number_then_neither_text_nor_reasons_keep_it(seed: int, template: str) -> None:
    phone = make_phone(random.Random(seed))
    ctx = OutputContext(step="investigate", investigation_complete=False)
    result = run_output_rails("您好。" + template.format(phone), ctx)
    assert phone not in result.text
    assert all(phone not in reason for v in result.verdicts for reason in v.reasons)


@pytest.mark.parametrize(
    ("draft", "kept", "gone"),
    [
        ("您好，请您保留好商品和包装。", "包装", None),
        ("王芳女士，您的订单已发货。", "您的订单已发货", "王芳"),
        ("联系人：王小明，请尽快回电。", "请尽快回电", "王小明"),
    ],
)
def test_when_a_name_is_only_a_weak_guess_then_the_reply_keeps_the_word(
    output_context: MakeContext, draft: str, kept: str, gone: str | None
) -> None:
    result = run_output_rails(draft, output_context(), rails=("personal_data",))
    assert kept in result.text
    if gone is not None:
        assert gone not in result.text
