from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.policies import PolicyFormatError, PolicyLibrary, parse_policy

GOOD = """---
id: returns
title: 退换货政策
version: "2026-11"
effective: "2026-11-01"
---
# 退换货政策
## 1 总则
### 1.1 目的
保障退货权利。
### 1.2 适用范围
全部商品。
## 2 七日无理由退货
收到商品之日起七日内可以退货。
"""


def test_when_policy_has_front_matter_and_numbered_sections_then_leaf_sections_are_passages(tmp_path: Path) -> None:
    doc = parse_policy(GOOD, tmp_path / "returns.md")
    assert (doc.id, doc.title, doc.version, doc.effective) == ("returns", "退换货政策", "2026-11", "2026-11-01")
    expected = [("1.1", "目的"), ("1.2", "适用范围"), ("2", "七日无理由退货")]
    assert [(s.section, s.title) for s in doc.sections] == expected
    assert doc.sections[0].doc == "退换货政策"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("# 没有前言\n## 1 总则\n", "front matter"),
        ("---\ntitle: [unclosed\n---\n", "malformed"),
        ("---\nid: x\n---\n## 1 a\n", "title"),
    ],
)
def test_when_front_matter_is_missing_or_broken_then_error_names_the_file(
    tmp_path: Path, text: str, reason: str
) -> None:
    with pytest.raises(PolicyFormatError, match=rf"bad\.md.*{reason}"):
        parse_policy(text, tmp_path / "bad.md")


def test_library_resolves_documents_by_title_or_id_and_sections_by_number(tmp_path: Path) -> None:
    (tmp_path / "returns.md").write_text(GOOD, encoding="utf-8")
    library = PolicyLibrary.load(tmp_path)
    assert library.resolve_doc("《退换货政策》") == "退换货政策"
    assert library.resolve_doc("returns") == "退换货政策"
    section = library.get("returns", "1.2")
    assert section is not None and section.text == "全部商品。"
    assert library.get("退换货政策", "9.9") is None
    assert library.get("不存在的政策", "1.1") is None


def test_shipped_policy_pack_parses_with_numbered_sections() -> None:
    library = PolicyLibrary.load()
    assert len(library.docs()) >= 8
    assert all(doc.sections for doc in library.docs())
    assert all(s.section[0].isdigit() for s in library.sections())
