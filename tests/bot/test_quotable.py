"""Policy sections marked ``not_quotable`` (a forbidden-phrase list) are never quoted to a customer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.drafting.template import quote
from bot.stages import quotable
from knowledge.policies import PolicyFormatError, PolicyLibrary, parse_policy
from knowledge.types import Passage
from tests.fixtures.bot import Chat

POLICY = """---
id: demo
title: 示例规范
version: "1"
effective: "2026-01-01"
not_quotable: [{marked}]
---
# 示例规范
## 1 总则
### 1.1 目的
说明目的。
## 5 禁用语
### 5.1 声明
- 最终解释权归本公司所有：无效。
"""


@pytest.mark.parametrize(
    ("marked", "section", "allowed"),
    [('"5"', "5.1", False), ("5", "5.1", False), ('"5"', "1.1", True), ('"5.1"', "5.1", False), ('"1.1"', "5.1", True)],
)
def test_a_marked_section_and_its_subsections_are_not_quotable(marked: str, section: str, allowed: bool) -> None:
    doc = parse_policy(POLICY.format(marked=marked), Path("demo.md"))
    library = PolicyLibrary([doc])
    assert library.quotable("示例规范", section) is allowed
    assert library.quotable("demo", section) is allowed
    assert next(s for s in doc.sections if s.section == section).quotable is allowed


@pytest.mark.parametrize("marked", ['"5": x', "{a: 1}"])
def test_when_not_quotable_is_not_a_list_then_the_file_is_named(marked: str) -> None:
    text = POLICY.replace("not_quotable: [{marked}]", f"not_quotable: {marked}")
    with pytest.raises(PolicyFormatError, match=r"bad\.md"):
        parse_policy(text, Path("bad.md"))


def test_the_shipped_forbidden_phrase_list_is_not_quotable_but_statutes_are() -> None:
    forbidden = Passage(source="policy", text="- 最终解释权归本公司所有", score=1.0, doc="客服用语规范", section="5")
    statute = Passage(source="statute", text="经营者不得以格式条款…", score=1.0, law="中华人民共和国消费者权益保护法")
    rule = Passage(source="policy", text="本政策中的任何条款都不排除…", score=1.0, doc="退换货政策", section="1.3")
    assert [quotable(p) for p in (forbidden, statute, rule)] == [False, True, True]


@pytest.mark.parametrize(
    "text",
    ["你们活动页写着最终解释权归本公司所有，所以满减不算数了？", "店里写着本店解释权所有，最终解释权归本店，这合法吗"],
)
def test_asked_about_a_final_interpretation_notice_the_reply_cites_the_rule_not_the_phrase(
    chat: Callable[[], Chat], text: str
) -> None:
    reply = chat().user(text)
    assert "解释权归本公司所有" not in reply.reply and "解释权所有" not in reply.reply.replace(text, "")
    assert all(c.get("doc") != "客服用语规范" for c in reply.citations)
    cited = {(c.get("law"), c.get("article")) for c in reply.citations} | {
        (c.get("doc"), c.get("section")) for c in reply.citations
    }
    assert cited & {("中华人民共和国消费者权益保护法", 26), ("退换货政策", "1.3")}, reply.citations


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        (
            "经营者在经营活动中使用格式条款的，应当以显著方式提请消费者注意商品或者服务的数量和质量、价款或者费用、"
            "履行期限和方式、安全注意事项和风险警示、售后服务、民事责任等与消费者有重大利害关系的内容。",
            "经营者在经营活动中使用格式条款的，应当以显著方式提请消费者注意商品或者服务的数量和质量、价款或者费用、"
            "履行期限和方式",
        ),
        ("消费者享有自主选择商品或者服务的权利。", "消费者享有自主选择商品或者服务的权利。"),
    ],
)
def test_a_quote_is_the_sources_own_words_cut_at_a_clause_or_list_boundary(text: str, wanted: str) -> None:
    words = quote(Passage(source="statute", text=text, score=1.0, law="中华人民共和国消费者权益保护法", article=26))
    assert words == wanted and text.startswith(wanted)
