"""Match a case's facts against the rights tables; the first rule whose conditions all hold fires.

Facts are plain values (channel="online", days_since_receipt=3, fraud=True, deposit_defaulter="buyer" …).
A condition on a fact that is not known fails, so a table's last, unconditional rule is the general
statement of the law for that kind of case.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from knowledge.datafile import DataError
from knowledge.numerals import arabic_to_chinese
from knowledge.rights.amounts import compute, yuan
from knowledge.rights.schema import Ground, Rule, Scalar, Table, Test, load_table

TABLES_DIR = Path(__file__).resolve().parent / "tables"
_SENTENCE = re.compile(r"[^。]*。")


@dataclass(frozen=True)
class Right:
    right: str
    ground: Ground
    amount: float | None
    amount_label: str | None


@dataclass(frozen=True)
class Decision:
    kind: str
    rule_id: str
    says: str
    rights: tuple[Right, ...]
    also: tuple[Ground, ...]

    @property
    def central(self) -> Ground:
        return self.rights[0].ground


@lru_cache(maxsize=4)
def load_tables(directory: Path = TABLES_DIR) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    for path in sorted(directory.glob("*.yaml")):
        table = load_table(path)
        if table.kind in tables:
            raise DataError(f"{path.name}:1: kind '{table.kind}' defined twice")
        tables[table.kind] = table
    return tables


def _holds(value: object, test: Scalar | list[Scalar] | Test) -> bool:
    if isinstance(test, Test):
        if test.present is not None:
            return (value is not None) == test.present
        if value is None:
            return False
        if test.eq is not None:
            return bool(value == test.eq)
        if test.in_ is not None:
            return value in test.in_
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        bounds = (
            (test.lt, value < (test.lt or 0)),
            (test.lte, value <= (test.lte or 0)),
            (test.gt, value > (test.gt or 0)),
            (test.gte, value >= (test.gte or 0)),
        )
        return all(ok for bound, ok in bounds if bound is not None)
    if isinstance(test, list):
        return value in test
    return value == test


def matches(rule: Rule, facts: Mapping[str, object]) -> bool:
    return all(_holds(facts.get(name), test) for name, test in rule.when.items())


def decide(kind: str, facts: Mapping[str, object], tables: Mapping[str, Table] | None = None) -> Decision | None:
    """The first rule of ``kind``'s table whose conditions hold, with its amounts computed."""
    table = (tables or load_tables()).get(kind)
    if table is None:
        return None
    rule = next((r for r in table.rules if matches(r, facts)), None)
    if rule is None:
        return None
    rights = []
    labels: dict[str, str] = {}
    for spec in rule.rights:
        amount = compute(spec.amount.formula, facts) if spec.amount else None
        if spec.amount and amount is not None:
            labels[spec.amount.label] = yuan(amount)
        rights.append(Right(spec.right, spec.ground, amount, spec.amount.label if spec.amount else None))
    says = rule.says
    for label, value in labels.items():
        says = says.replace("{" + label + "}", value)
    says = re.sub(r"[（(][^（）()]*\{[^}]*\}[^（）()]*[)）]", "", says)  # an amount not known: drop its aside
    return Decision(kind, rule.id, says, tuple(rights), tuple(rule.also))


def cite(ground: Ground, full_name: str | None = None) -> str:
    """《中华人民共和国民法典》第五百八十七条(第二款) — the form the citation check parses."""
    para = f"第{arabic_to_chinese(ground.paragraph)}款" if ground.paragraph else ""
    item = f"第{arabic_to_chinese(ground.item)}项" if ground.item else ""
    return f"《{full_name or ground.law}》第{arabic_to_chinese(ground.article)}条{para}{item}"


def _groups(article_text: str) -> list[list[str]]:
    """The article's 款, each a list of its lines: the paragraph, then its items （一）…"""
    lines = [line.strip() for line in article_text.splitlines() if line.strip()]
    groups: list[list[str]] = []
    for line in lines:
        if groups and re.match(r"^[（(][一二三四五六七八九十]+[）)]", line):
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def paragraph_text(article_text: str, paragraph: int | None) -> str:
    """One 款 with its items (one line each in laws.db), or the whole article."""
    groups = _groups(article_text)
    if paragraph is None:
        return "".join("".join(g) for g in groups)
    return "".join(groups[paragraph - 1]) if 0 < paragraph <= len(groups) else ""


def item_text(article_text: str, paragraph: int | None, item: int) -> str:
    """One 项 of a 款 (the paragraph's n-th （一）… line), ended as a sentence: “（四）利用…进行交易。”"""
    groups = _groups(article_text)
    group = groups[(paragraph or 1) - 1] if 0 < (paragraph or 1) <= len(groups) else []
    items = group[1:]
    if not 0 < item <= len(items):
        return ""
    line = items[item - 1]
    return line[:-1] + "。" if line.endswith(("；", ";", "，")) else line


def quote_of(article_text: str, ground: Ground) -> str:
    """What a reply quotes for a ground: its 项, or its chosen whole sentences of the 款 (or article)."""
    if ground.item:
        return item_text(article_text, ground.paragraph, ground.item)
    return whole_sentences(paragraph_text(article_text, ground.paragraph), ground.sentences)


def whole_sentences(text: str, wanted: list[int] | None) -> str:
    """The chosen sentences (1-based), each whole: a quote never stops mid-sentence."""
    sentences = _SENTENCE.findall(text) or [text]
    if not wanted:
        return "".join(sentences)
    return "".join(sentences[i - 1] for i in wanted if 0 < i <= len(sentences))
