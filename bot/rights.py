"""The "your rights" part of a reply, from the rights rule that fires on the case's facts.

One entry point for the conversation engine: :func:`rights_for` returns the text to put in the
reply (the rule's statement, then the central article cited and quoted in whole sentences, then
any repealed law the customer named, corrected) and the rule id the record keeps. Nothing here
changes the case's step or remedies.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from knowledge.citations import check_citations
from knowledge.clock import today as clock_today
from knowledge.numerals import arabic_to_chinese
from knowledge.regulations import regulation_article
from knowledge.rights import Decision, decide
from knowledge.rights.decide import cite, paragraph_text, quote_of, whole_sentences
from knowledge.rights.facts import fact_reader
from knowledge.statutes import StatuteStore

DISABLE_ENV = "CSBOT_RIGHTS"  # "off" drafts replies as before the rights tables (bench/legal.py --before)


@dataclass(frozen=True)
class RightsAnswer:
    text: str
    rule_id: str | None
    grounds: tuple[str, ...]  # citations in the form the copilot shows: 《…》第…条第…款


def enabled() -> bool:
    return os.environ.get(DISABLE_ENV, "on").lower() not in ("off", "0", "false")


def case_facts(masked_text: str, slots: Mapping[str, str]) -> dict[str, object]:
    """Facts from the customer's words, completed from the slots the engine already filled."""
    facts = fact_reader().read(masked_text)
    days = slots.get("days_since_receipt", "")
    if "days_since_receipt" not in facts and days.isdigit():
        facts["days_since_receipt"] = int(days)
    if slots.get("defect") and "defect" not in facts:  # told in an earlier message: still a quality case
        facts["defect"] = "质量问题"
    if slots.get("food_safety") == "不符合食品安全标准" and "food_unsafe" not in facts:
        facts["food_unsafe"] = True
    defaulter = {"买方": "buyer", "卖方": "seller"}.get(slots.get("deposit_defaulter", ""))
    if defaulter and "deposit_defaulter" not in facts:
        facts["deposit_defaulter"] = defaulter
    return facts


def decision_for(masked_text: str, slots: Mapping[str, str]) -> Decision | None:
    facts = case_facts(masked_text, slots)
    kind = fact_reader().kind(facts, masked_text)
    return decide(kind, facts) if kind else None


def quoted_ground(decision: Decision, store: StatuteStore | None = None, on: date | None = None) -> tuple[str, str]:
    """(citation, sentence(s) quoted whole) for the rule's central article, from laws.db."""
    store = store or StatuteStore.open_default()
    ground = decision.central
    full = store.resolve_law(ground.law)
    article = store.get(ground.law, ground.article)
    citation = cite(ground, full)
    if article is None:
        return citation, ""
    return citation, quote_of(article.text, ground)


def _uncited(raw: str) -> str:
    """《合同法》第四十条 → 《合同法》（第四十条）: named for the customer, not parsed as a citation again
    (the citation rail would otherwise rewrite the old article into its successor mid-sentence)."""
    head, _, tail = raw.partition("第")
    return f"{head}（第{tail}）" if tail else raw


def _repeal_date(law: str | None) -> str:
    from knowledge.repealed import repealed_laws

    entry = repealed_laws().get(law or "")
    day = entry.repealed_on if entry and entry.repealed_on else ""
    return f"{day[:4]}年{int(day[5:7])}月{int(day[8:10])}日" if len(day) == 10 else "此前"


def repealed_note(masked_text: str, quoted_anyway: tuple[str, int] | None = None) -> str:
    """A polite correction for each repealed article the customer cited, with the successor's rule
    (named only, not quoted, when the rights text quotes that article itself: ``quoted_anyway``)."""
    notes = []
    store = StatuteStore.open_default()
    for check in check_citations(masked_text):
        if not check.repealed or not check.successor_law:
            continue
        old = _uncited(check.raw)
        when = _repeal_date(check.law)
        if check.successor_articles:
            new = check.successor_articles[0]
            article = store.get(check.successor_law, new)
            quoted_below = (
                quoted_anyway is not None and article is not None and ((article.law, article.article) == quoted_anyway)
            )
            said = whole_sentences(paragraph_text(article.text, None), None) if article and not quoted_below else ""
            target = f"《{check.successor_law}》第{arabic_to_chinese(new)}条"
            notes.append(
                f"您提到的{old}已于{when}废止，现行规定是{target}：“{said}”"
                if said
                else f"您提到的{old}已于{when}废止，现行规定见{target}。"
            )
        else:
            notes.append(f"您提到的{old}已于{when}废止，相关内容现由《{check.successor_law}》规定。")
    return "".join(notes)


def renumbered_note(masked_text: str) -> str:
    """A customer's citation of an article that does not speak to the claim (a renumbered article)."""
    from knowledge.relevance import judge

    notes = []
    for check in check_citations(masked_text):
        verdict = judge(check.law, check.article, None, None, masked_text, masked_text)
        if not verdict.relevant and verdict.successor is not None:
            title = (check.law or "").removeprefix("中华人民共和国")
            number = arabic_to_chinese(check.article or 0)
            notes.append(
                f"您提到的《{title}》（第{number}条）规定的是{verdict.own_topic}；"
                f"{verdict.topic}现在规定在该法第{arabic_to_chinese(verdict.successor)}条。"
            )
    return "".join(notes)


def rights_for(masked_text: str, slots: Mapping[str, str], on: date | None = None) -> RightsAnswer:
    """The rights text for this message ("" when no rule fires or the feature is off)."""
    if not enabled():
        return RightsAnswer("", None, ())
    on = on or clock_today()
    decision = decision_for(masked_text, slots)
    central = None
    if decision is not None:
        store = StatuteStore.open_default()
        central = (store.resolve_law(decision.central.law) or decision.central.law, decision.central.article)
    correction = repealed_note(masked_text, central) + renumbered_note(masked_text)
    if decision is None:
        return RightsAnswer(correction, None, ())
    citation, words = quoted_ground(decision, on=on)
    text = f"{decision.says}依据{citation}：“{words}”" if words else f"{decision.says}（见{citation}）"
    store = StatuteStore.open_default()
    others = [r.ground for r in decision.rights[1:]] + list(decision.also)
    named: list[str] = []
    for ground in others:
        if store.get(ground.law, ground.article) is not None:
            named.append(cite(ground, store.resolve_law(ground.law)))
        elif regulation_article(ground.law, ground.article, on) is not None:
            named.append(cite(ground))
    named = [n for n in dict.fromkeys(named) if n != citation]
    if named:
        text += f"另见{'、'.join(named)}。"
    grounds = [citation, *named]
    return RightsAnswer(correction + text, decision.rule_id, tuple(grounds))


def rights_fields(state_slots: dict[str, str], masked_text: str, escalated: bool) -> dict[str, str]:
    """The engine's one hook: ``{"rights": text}`` for the template fields; the rule that fired and
    its grounds are kept in the case's slots (``rights_rule``, ``rights_grounds``) so the record
    stores them and the copilot shows them. A rule already stated in this case is not stated again."""
    if escalated:
        return {"rights": ""}
    answer = rights_for(masked_text, state_slots)
    if answer.rule_id and answer.rule_id == state_slots.get("rights_rule"):
        return {"rights": ""}  # already told in an earlier reply: a conversation never repeats itself
    if answer.rule_id:
        state_slots["rights_rule"] = answer.rule_id
        state_slots["rights_grounds"] = "、".join(answer.grounds)
    return {"rights": answer.text}
