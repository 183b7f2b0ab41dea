from __future__ import annotations

import pytest

from knowledge.chunking import split_articles, split_document, split_headings, split_numbered, split_paragraphs

ARTICLES = """会员管理办法
第一条 为规范会员服务，制定本办法。
第二条 会员卡不设有效期。
余额可以随时退还。
第 3 条 本办法自发布之日起施行。
"""

MARKDOWN = """# 物流配送
## 1 总则
本章说明配送。
### 1.1 配送范围
全国包邮。
### 1.2 时效
四十八小时内发货。
## 2 签收
签收前请验货。
"""


def test_when_text_has_articles_then_each_article_is_one_chunk_numbered_in_arabic() -> None:
    chunks = split_articles(ARTICLES)
    assert [c.section for c in chunks] == ["1", "2", "3"]
    assert "余额可以随时退还" in chunks[1].text


def test_when_markdown_has_sections_then_leaf_sections_and_section_intros_are_chunks() -> None:
    chunks = split_headings(MARKDOWN)
    assert [(c.section, c.title) for c in chunks] == [
        ("1", "总则"),
        ("1.1", "配送范围"),
        ("1.2", "时效"),
        ("2", "签收"),
    ]
    assert chunks[2].text == "四十八小时内发货。"


def test_when_plain_text_has_numbered_headings_then_it_splits_there() -> None:
    text = "一、总则\n本规定适用于门店。\n二、退货\n七日内可退。\n"
    assert [(c.section, c.title) for c in split_numbered(text)] == [("1", "总则"), ("2", "退货")]


def test_when_text_has_no_structure_then_paragraphs_are_grouped_under_the_limit() -> None:
    text = "\n\n".join("段落" * 100 for _ in range(5))
    chunks = split_paragraphs(text, limit=450)
    assert len(chunks) == 3
    assert all(len(c.text) <= 450 for c in chunks)


@pytest.mark.parametrize(
    ("text", "markdown", "sections"),
    [
        (ARTICLES, False, ["1", "2", "3"]),
        (MARKDOWN, True, ["1", "1.1", "1.2", "2"]),
        ("只有一句话。", False, ["1"]),
        ("", False, []),
    ],
)
def test_split_document_picks_the_strongest_structure(text: str, markdown: bool, sections: list[str]) -> None:
    assert [c.section for c in split_document(text, markdown=markdown)] == sections
