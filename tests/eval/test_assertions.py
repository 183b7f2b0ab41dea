"""Each expectation passes on a transcript that meets it and fails, with a reason, on one that does not."""

from __future__ import annotations

from typing import Any

import pytest

from eval.assertions import EXPECTATIONS, check, promises_in
from eval.loader import parse_dialogue
from eval.models import ExpectationSpec
from tests.fixtures.eval import reply, transcript

DIALOGUE = parse_dialogue(
    "id: t\ndescription: d\nturns:\n  - user: 一\n  - user: 二\n  - user: 三\n",
    "t.yaml",
)
CPL = "中华人民共和国消费者权益保护法"


def steps(*names: str, **extra: Any) -> list[dict[str, Any]]:
    return [reply(step=name, **extra) for name in names]


# (expectation, value, turn index or None, replies, transcript options, passes?)
CASES: list[tuple[str, Any, int | None, list[dict[str, Any]], dict[str, Any], bool]] = [
    ("step", "accept", 0, steps("accept", "triage"), {}, True),
    ("step", "triage", 0, steps("accept", "triage"), {}, False),
    ("procedure", "return_7day", None, [reply(procedure="return_7day")], {}, True),
    ("procedure", "return_7day", 0, [reply(procedure="quality_defect")], {}, False),
    ("never_skips_step", True, None, steps("investigate"), {"paths": [["accept", "triage", "investigate"]]}, True),
    (
        "never_skips_step",
        True,
        None,
        steps("accept", "investigate"),
        {"paths": [["accept"], ["accept", "investigate"]]},
        False,
    ),
    (
        "steps_in_order",
        ["accept", "triage"],
        None,
        steps("investigate"),
        {"paths": [["accept", "triage", "investigate"]]},
        True,
    ),
    ("steps_in_order", ["accept", "investigate"], None, steps("accept", "triage", "investigate"), {}, True),
    ("steps_in_order", ["triage", "accept"], None, steps("accept", "triage", "triage"), {}, False),
    ("never_skips_step", True, None, steps("accept", "triage", "triage", "investigate"), {}, True),
    ("never_skips_step", True, None, steps("accept", "investigate"), {}, False),
    ("never_skips_step", True, None, steps("triage"), {}, False),
    ("never_skips_step", {"except": ["resolve"]}, None, steps("accept", "triage", "investigate", "record"), {}, True),
    ("never_skips_step", {"except": ["resolve"]}, None, steps("accept", "triage", "record"), {}, False),
    (
        "must_cite",
        [{"law": "消费者权益保护法", "article": 25}],
        0,
        [reply("依据《消费者权益保护法》第二十五条，可以退货。")],
        {},
        True,
    ),
    (
        "must_cite",
        [{"law": "消法", "article": 25}],
        0,
        [reply("好的", citations=[{"law": CPL, "article": 25}])],
        {},
        True,
    ),
    (
        "must_cite",
        [{"law": "消费者权益保护法", "article": 25}],
        0,
        [reply("依据《消费者权益保护法》第二十四条处理。")],
        {},
        False,
    ),
    (
        "must_cite",
        [{"doc": "退换货政策", "section": "2"}],
        None,
        [reply("好的", citations=[{"doc": "退换货政策", "section": "2.1"}])],
        {},
        True,
    ),
    (
        "must_cite",
        [{"doc": "退换货政策", "section": "2.1"}],
        None,
        [reply("好的", citations=[{"doc": "退换货政策", "section": "2"}])],
        {},
        False,
    ),
    (
        "must_cite_any",
        [{"law": "民法典", "article": 577}, {"law": "民法典", "article": 584}],
        None,
        [reply("《民法典》第五百八十四条规定了损失赔偿。")],
        {},
        True,
    ),
    ("must_cite_any", [{"law": "民法典", "article": 577}], None, [reply("没有引用")], {}, False),
    ("must_not_cite_repealed", True, None, [reply("依照《民法典》第五百七十七条承担违约责任。")], {}, True),
    ("must_not_cite_repealed", True, None, [reply("依照《合同法》第一百零七条承担违约责任。")], {}, False),
    ("must_not_cite_repealed", True, None, [reply("好的", citations=[{"law": "合同法", "article": 107}])], {}, False),
    ("must_contain", ["案件编号", {"regex": r"C-\w+"}], 0, [reply("已受理，案件编号 C-TEST。")], {}, True),
    ("must_contain", "12315", 0, [reply("已受理。")], {}, False),
    ("must_contain", "１２３１５", None, [reply("可拨打12315。")], {}, True),  # full-width written, NFKC compared
    ("must_not_contain", ["最终解释权"], None, steps("accept", "triage"), {}, True),
    ("must_not_contain", {"regex": "保[证障]"}, None, [reply("我保证退款")], {}, False),
    ("must_escalate", True, None, [reply(), reply(escalated=True)], {}, True),
    ("must_escalate", True, 1, [reply(escalated=True), reply()], {}, False),
    ("must_not_escalate", True, None, [reply(), reply()], {}, True),
    ("must_not_escalate", True, None, [reply(), reply(escalated=True)], {}, False),
    ("no_promise", True, 0, [reply("我们会尽快核实订单情况。")], {}, True),
    ("no_promise", True, 0, [reply("放心，我们会为您全额退款。")], {}, False),
    (
        "no_promise_before",
        "investigate",
        None,
        [reply("核实中", step="investigate"), reply("我们会为您全额退款", step="resolve")],
        {},
        True,
    ),
    ("no_promise_before", "investigate", None, [reply("包退包换", step="triage")], {}, False),
    (
        "no_personal_data_in",
        ["reply", "records", "llm_requests"],
        None,
        [reply("已收到[手机号1]")],
        {"planted": [("phone", "13812345678")], "records_blob": b"[\xe6\x89\x8b]", "llm_requests": ["{}"]},
        True,
    ),
    (
        "no_personal_data_in",
        ["reply"],
        None,
        [reply("您的电话 138 1234 5678 已记录")],
        {"planted": [("phone", "13812345678")]},
        False,
    ),
    (
        "no_personal_data_in",
        ["records"],
        None,
        [reply()],
        {
            "planted": [("address", "北京市海淀区")],
            "records_blob": b"x\\u5317\\u4eac\\u5e02\\u6d77\\u6dc0\\u533a",
        },
        False,
    ),
    (
        "no_personal_data_in",
        ["llm_requests"],
        None,
        [reply()],
        {"planted": [("email", "a@b.cn")], "llm_requests": ['{"content": "mail a@b.cn"}']},
        False,
    ),
    (
        "rail_fires",
        "injection_role_play",
        None,
        [reply(rails=[{"rule": "injection_role_play", "category": "injection", "action": "block"}])],
        {},
        True,
    ),
    (
        "rail_fires",
        ["commitments"],
        None,
        [reply(rails=[{"rule": "commitments", "verdict": "repaired", "reasons": []}])],
        {},
        True,
    ),
    ("rail_fires", "commitments", None, [reply(rails=[{"rule": "commitments", "verdict": "pass"}])], {}, False),
    ("max_latency_ms", 100, None, [reply(latency_ms=20), reply(latency_ms=99)], {}, True),
    ("max_latency_ms", 100, None, [reply(latency_ms=20), reply(latency_ms=101)], {}, False),
    ("records_verify", True, None, [reply()], {"records_ok": True}, True),
    ("records_verify", True, None, [reply()], {"records_ok": False}, False),
    (
        "facts",
        {"amount": 380, "remedy_wanted": "退货"},
        None,
        [{**reply(), "slots": {"amount": 380, "remedy_wanted": "退货"}}],
        {},
        True,
    ),
    ("facts", {"order_no": None}, None, [{**reply(), "slots": {"order_no": "8613912345678"}}], {}, False),
    ("no_loop", True, None, [{**reply("a"), "asks": ["order_no"]}, {**reply("b"), "asks": ["order_no"]}], {}, True),
    ("no_loop", True, None, [reply("同一句"), reply("同一句")], {}, False),
    ("answers", {"regex": "运费"}, None, [reply("往返运费由本店承担")], {}, True),
    ("answers", {"regex": "运费"}, None, [reply("您好")], {}, False),
    ("record_says", "未达成一致", None, [reply("处理小结：未达成一致", step="record")], {}, True),
    ("record_says", "同意", None, [reply("处理小结：未达成一致", step="record")], {}, False),
]


@pytest.mark.parametrize(("name", "value", "turn", "replies", "options", "passes"), CASES)
def test_expectation_passes_or_fails_with_a_reason(
    name: str, value: Any, turn: int | None, replies: list[dict[str, Any]], options: dict[str, Any], passes: bool
) -> None:
    spec = ExpectationSpec(name, value, line=7, turn=turn)
    outcome = check(spec, transcript(DIALOGUE, replies, **options))
    assert outcome.passed is passes, outcome.message
    assert bool(outcome.message) is (not passes)
    assert outcome.category == EXPECTATIONS[name].category


def test_every_registered_expectation_is_tested_both_ways() -> None:
    covered = {(name, passes) for name, _, _, _, _, passes in CASES}
    for name in EXPECTATIONS:
        assert (name, True) in covered and (name, False) in covered, name


def test_when_leak_is_found_then_message_names_the_kind_not_the_value() -> None:
    spec = ExpectationSpec("no_personal_data_in", ["reply"], line=3)
    outcome = check(spec, transcript(DIALOGUE, [reply("电话13812345678")], planted=[("phone", "13812345678")]))
    assert not outcome.passed
    assert "phone" in outcome.message and "13812345678" not in outcome.message


def test_when_engine_failed_then_every_expectation_fails() -> None:
    run = transcript(DIALOGUE, [])
    run.error = "RuntimeError: boom"
    outcome = check(ExpectationSpec("must_not_escalate", True, line=1), run)
    assert not outcome.passed and "did not run" in outcome.message


def test_when_turn_has_no_reply_then_turn_expectation_fails() -> None:
    outcome = check(ExpectationSpec("step", "accept", line=1, turn=2), transcript(DIALOGUE, [reply()]))
    assert not outcome.passed and "turn 3" in outcome.message


@pytest.mark.parametrize(
    ("text", "promises"),
    [
        ("我们会为您全额退款。", True),
        ("我保证给您退货。", True),
        ("百分之百能退。", True),
        ("根据法律规定，经营者应当承担赔偿责任。", False),
        ("核实后我们将按照政策与您协商处理方案。", False),
        ("请您提供订单号，我们一定认真核实。", False),
    ],
)
def test_promise_phrases_are_commitments_not_explanations(text: str, promises: bool) -> None:
    assert bool(promises_in(text)) is promises


def test_planted_pii_is_confident_detections_plus_declared_values() -> None:
    from eval.pii_scan import planted_pii

    dialogue = parse_dialogue(
        "id: p\ndescription: d\npii: [王五]\nturns:\n  - user: 我叫张伟，电话13812345678，身份证110105198503171231\n",
        "p.yaml",
    )
    planted = dict((value, kind) for kind, value in planted_pii(dialogue))
    assert planted["13812345678"] == "phone"
    assert planted["110105198503171231"] == "id_card"
    assert planted["张伟"] == "name"
    assert planted["王五"] == "declared"
