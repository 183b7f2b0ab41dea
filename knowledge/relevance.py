"""Does a cited article speak to what is being discussed? (``knowledge/data/citation_topics.yaml``)

Used by the ``citation_relevance`` output rail. Deliberately conservative: a citation is flagged only
when its context names another listed article's subject and none of its own, when it is a known
boilerplate ground and the customer's message does not touch its subject, or when it cites a
special-field statute (商标法, 保险法, 旅游法 …) whose subject neither the reply's sentence nor the
customer's message names.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from knowledge.datafile import load_model
from knowledge.numerals import PRC_PREFIX

DATA_FILE = Path(__file__).resolve().parent / "data" / "citation_topics.yaml"


class _Topic(BaseModel):
    model_config = ConfigDict(extra="forbid")
    law: str | None = None
    doc: str | None = None
    article: int | None = None
    section: str | None = None
    topic: str
    words: list[str]


class _LawTopic(BaseModel):
    model_config = ConfigDict(extra="forbid")
    law: str
    topic: str
    words: list[str]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    articles: list[_Topic]
    boilerplate: list[_Topic]
    laws: list[_LawTopic] = []


@dataclass(frozen=True)
class Verdict:
    relevant: bool
    reason: str = ""
    own_topic: str = ""  # what the cited article speaks to
    topic: str = ""  # what the context speaks to …
    successor: int | None = None  # … and the article of the same law that does


@lru_cache(maxsize=2)
def topics(path: Path = DATA_FILE) -> _Spec:
    return load_model(path, _Spec)


def _short(law: str | None) -> str:
    return (law or "").removeprefix(PRC_PREFIX)


def judge(
    law: str | None, article: int | None, doc: str | None, section: str | None, sentence: str, customer_text: str
) -> Verdict:
    spec = topics()
    for entry in spec.boilerplate:
        same = (entry.doc and entry.doc == doc and entry.section == section) or (
            entry.law and _short(law) == entry.law and entry.article == article
        )
        if same and not any(word in customer_text for word in entry.words):
            return Verdict(False, f"boilerplate ground ({entry.topic}) the customer did not ask about")
    if law is None or article is None:
        return Verdict(True)
    context = f"{sentence} {customer_text}"
    field = next((e for e in spec.laws if e.law == _short(law)), None)
    unnamed = context.replace(_short(law), "")  # the citation's own title (《商标法》) is not its subject
    if field is not None and not any(word in unnamed for word in field.words):
        return Verdict(False, f"《{field.law}》 speaks to {field.topic}, which this conversation does not", field.topic)
    siblings = [e for e in spec.articles if e.law == _short(law)]
    own = next((e for e in siblings if e.article == article), None)
    if own is None:
        return Verdict(True)
    if any(word in context for word in own.words):
        return Verdict(True)
    other = next((e for e in siblings if e.article != article and any(w in context for w in e.words)), None)
    if other is None:
        return Verdict(True)
    return Verdict(
        False,
        f"第{article}条 is {own.topic}; {other.topic} is 第{other.article}条",
        own.topic,
        other.topic,
        other.article,
    )
