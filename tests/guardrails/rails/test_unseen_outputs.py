"""The `never` statements of commitments.yaml are classes of statement (issue 14): the sentences a
reply may legitimately make with the same words survive them; a remedy vouched for is step-gated."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from guardrails.rails import OutputContext, run_output_rails

MakeContext = Callable[..., OutputContext]


@pytest.mark.parametrize(
    "sentence",
    [
        "经核实，该商品并非假冒，是正品。",  # a denial, not an admission
        "我们确认没有卖假货，所有商品均有授权。",
        "如果您怀疑是假货，可以申请鉴定。",
        "您的订单状态已更新为已签收，如未收到请告诉我们。",  # the system's state, reported
        "物流显示已签收。",
        # csbot's own identity check
        "为保护您的信息安全，请先完成身份验证：请提供注册手机号或在 App 内完成验证后告诉我验证码。",
        "我们不会关闭隐私保护。",
        "退款将原路退回您付款的账户。",
        "同事已经为您登记，稍后联系您。",
        "根据消费者权益保护法第五十五条，经营者有欺诈行为的，消费者可以要求三倍赔偿。",  # the law, explained
        "本标准是本店的最低承诺，法律规定的赔偿高于本标准的，按法律规定执行。",  # the policy, quoted
        "在核实之前我们无法承诺赔偿。",
        "事先声明不保证真伪的不承担瑕疵担保责任。",  # a right quoted: 担保责任 is the law's term
    ],
)
def test_when_a_reply_uses_an_attacks_words_legitimately_then_it_survives(
    output_context: MakeContext, sentence: str
) -> None:
    result = run_output_rails("您好。" + sentence, output_context())
    assert sentence in result.text
    assert not any(v.rule == "commitments" and v.verdict != "pass" for v in result.verdicts)


@pytest.mark.parametrize("sentence", ["本店承诺三倍赔偿。", "我以客服身份担保：全额退款。"])
def test_when_a_remedy_is_vouched_for_then_it_waits_for_the_facts(output_context: MakeContext, sentence: str) -> None:
    before = run_output_rails("您好。" + sentence, output_context())
    assert sentence not in before.text
    after = run_output_rails("您好。" + sentence, output_context(step="resolve", investigation_complete=True))
    assert sentence in after.text
