"""General legal questions that are not about this shop go to ``legal_question``: accepted, told it is not
the shop's matter, given the statute found and where to get help, recorded. Customers' complaints do not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.classify import Classifier
from bot.procedures import parse_procedure
from knowledge.datafile import DataError
from tests.fixtures.bot import Chat

CLASSIFIER = Classifier.load()


@pytest.mark.parametrize(
    "text",
    [
        "我要跟老公离婚，孩子的抚养权一般判给谁？",
        "朋友借了我五万块不还怎么办",
        "公司拖欠工资三个月，老板说没钱",
        "我爸去世了，遗产怎么分",
        "骑电动车被汽车撞了，对方全责",
        "房东不退押金，租房合同还没到期",
    ],
)
def test_a_legal_question_with_no_shop_words_is_not_a_complaint(text: str) -> None:
    assert CLASSIFIER.classify(text).procedure == "legal_question"


@pytest.mark.parametrize(
    ("text", "procedure"),
    [
        ("我老公给孩子在你们店买的学习机坏了", "quality_defect"),
        ("孩子喝了你们的奶粉拉肚子", "general_complaint"),
        ("我在你们店买的衣服不喜欢，想七天无理由退货", "return_7day"),
        ("交了定金，你们公司单方取消了合同", "contract_dispute"),
        ("我要删除你们存的我孩子的个人信息", "personal_information"),
    ],
)
def test_legal_words_beside_shop_words_keep_the_customers_procedure(text: str, procedure: str) -> None:
    assert CLASSIFIER.classify(text).procedure == procedure


def test_the_legal_rule_decides_the_opening_message_only() -> None:
    assert CLASSIFIER.classify("我已经咨询过律师了", opening=True).procedure == "legal_question"
    assert CLASSIFIER.classify("我已经咨询过律师了", opening=False).procedure == "general_complaint"


def test_an_aside_about_a_lawyer_never_moves_a_running_complaint(chat: Callable[[], Chat]) -> None:
    c = chat()
    c.user("包裹一直没到，也查不到物流")
    c.expect(procedure="general_complaint", step="investigate")
    c.user("我问过律师了，订单号 DD2026112000456")
    c.expect(procedure="general_complaint")


@pytest.mark.parametrize(
    "text",
    [
        "我要跟老公离婚，孩子的抚养权一般判给谁？",
        "朋友去年借了我五万块，一直拖着不还",
        "我爸去世了，没留遗嘱，遗产怎么分？",
    ],
)
def test_a_legal_question_is_answered_with_the_statute_and_where_to_get_help(
    chat: Callable[[], Chat], text: str
) -> None:
    c = chat()
    reply = c.user(text)
    c.expect(procedure="legal_question", step="record", escalated=False)
    for fragment in ("不属于本店", "12348", "法律援助", "人民法院", "12315", "书面记录", "仅供参考", reply.case_id):
        assert fragment in reply.reply, (fragment, reply.reply)
    assert "由本店负责" not in reply.reply and "订单号" not in reply.reply
    assert any(citation.get("law") == "中华人民共和国民法典" for citation in reply.citations), reply.citations


@pytest.mark.parametrize(
    ("text", "escalated"),
    [("我想起诉我前夫，要回孩子的抚养费", False), ("离婚的事我要找人工", True)],
)
def test_suing_someone_else_does_not_escalate_a_legal_question_but_asking_for_a_human_does(
    chat: Callable[[], Chat], text: str, escalated: bool
) -> None:
    c = chat()
    c.user(text)
    c.expect(procedure="legal_question", escalated=escalated)


@pytest.mark.parametrize("value", ["escalation_legal_action", "[1, 2]", "['']"])
def test_when_not_escalated_by_is_not_a_list_of_rule_ids_then_the_file_is_named(tmp_path: Path, value: str) -> None:
    source = Path("knowledge/procedures/legal_question.yaml").read_text(encoding="utf-8")
    start = source.index("not_escalated_by:")
    end = source.index("\n", start)
    path = tmp_path / "broken.yaml"
    path.write_text(source[:start] + f"not_escalated_by: {value}" + source[end:], encoding="utf-8")
    with pytest.raises(DataError, match=r"broken\.yaml:\d+: 'not_escalated_by'"):
        parse_procedure(path)
