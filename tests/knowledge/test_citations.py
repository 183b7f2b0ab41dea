from __future__ import annotations

import pytest

from knowledge.citations import check_citations, find_citations, quote_matches


@pytest.mark.parametrize(
    ("text", "law", "article", "paragraph"),
    [
        ("依据《中华人民共和国消费者权益保护法》第二十五条", "中华人民共和国消费者权益保护法", 25, None),
        ("见消法24条", "中华人民共和国消费者权益保护法", 24, None),
        ("民法典第五百八十四条规定", "中华人民共和国民法典", 584, None),
        ("《个人信息保护法》第47条", "中华人民共和国个人信息保护法", 47, None),
        ("电商法 第 59 条", "中华人民共和国电子商务法", 59, None),
        ("个保法第四十七条第二款", "中华人民共和国个人信息保护法", 47, 2),
        ("《民法典》的第一千零三十八条", "中华人民共和国民法典", 1038, None),
    ],
)
def test_when_statute_is_cited_in_any_spelling_then_law_and_article_are_found(
    text: str, law: str, article: int, paragraph: int | None
) -> None:
    [check] = check_citations(text)
    assert (check.kind, check.law, check.article, check.paragraph) == ("statute", law, article, paragraph)
    assert check.exists and check.in_force and not check.repealed
    assert text[check.start : check.end] == check.raw


def test_when_articles_are_listed_then_each_is_attributed_to_the_law() -> None:
    checks = check_citations("依照消法第二十四条、第二十五条和第26条处理")
    assert [(c.law, c.article) for c in checks] == [("中华人民共和国消费者权益保护法", n) for n in (24, 25, 26)]
    assert checks[1].raw == "第二十五条"


def test_when_repealed_law_is_cited_then_successor_articles_are_named() -> None:
    [check] = check_citations("根据合同法第107条，商家应承担违约责任")
    assert check.repealed and not check.in_force
    assert check.successor_law == "中华人民共和国民法典"
    assert check.successor_articles == (577,)


@pytest.mark.parametrize("text", ["民法典第9999条", "《消费者权益保护法》第二百条", "民法典第五百八十四条第九款"])
def test_when_article_or_paragraph_does_not_exist_then_exists_is_false(text: str) -> None:
    [check] = check_citations(text)
    assert not check.exists and not check.in_force


def test_when_quoted_wording_matches_the_article_then_quote_matches_is_true() -> None:
    text = "《消费者权益保护法》第二十五条规定：“消费者有权自收到商品之日起七日内退货，且无需说明理由”"
    [check] = check_citations(text)
    assert check.quote_matches is True


def test_when_quoted_wording_is_invented_then_quote_matches_is_false() -> None:
    text = "《消费者权益保护法》第二十五条规定：“消费者有权自收到商品之日起三十日内退货”"
    [check] = check_citations(text)
    assert check.quote_matches is False


def test_when_nothing_is_quoted_then_quote_matches_is_none() -> None:
    [check] = check_citations("消法第25条保护您的退货权利。")
    assert check.quote_matches is None


def test_when_policy_section_is_cited_then_it_is_checked_against_the_policy_pack() -> None:
    checks = check_citations("按照《退换货政策》第2.1条和《退换货政策》第99.9条")
    assert [(c.kind, c.doc, c.section, c.exists) for c in checks] == [
        ("policy", "退换货政策", "2.1", True),
        ("policy", "退换货政策", "99.9", False),
    ]


@pytest.mark.parametrize("text", ["", "您好，请问有什么可以帮您？", "第25条", "<script>alert(1)</script>第5条"])
def test_when_no_law_is_named_then_no_citation_is_found(text: str) -> None:
    assert find_citations(text) == []


def test_when_book_title_is_unknown_then_citation_does_not_exist() -> None:
    [check] = check_citations("《火星居民保护法》第3条")
    assert check.law is None and not check.exists


@pytest.mark.parametrize(
    ("quote", "source", "expected"),
    [
        ("七日内退货", "消费者可以自收到商品之日起七日内退货。", True),
        ("", "任何文本", False),
        ("三十日内退货", "消费者可以自收到商品之日起七日内退货。", False),
    ],
)
def test_quote_matching_ignores_punctuation_only(quote: str, source: str, expected: bool) -> None:
    assert quote_matches(quote, source) is expected
