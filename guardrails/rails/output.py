"""Output rails: each a small function ``(draft, OutputContext) -> RailOutcome``, registered by id.

The order they run in is ``output_rails.yaml``; the commitments rail lives in ``commitments.py``.
Reasons name rules, citations and data TYPES, never the personal data itself.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from importlib.resources import files
from typing import Any

from guardrails.rails.config import RailConfigError, compile_alternation
from guardrails.rails.registry import rail
from guardrails.rails.runner import OutputContext, RailOutcome, output_config
from guardrails.rails.text import Edit, append_sentence, apply_edits, sentence_at, sentence_spans
from knowledge.numerals import arabic_to_chinese, short_law_title

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_QUOTED = re.compile(r"“[^”]{0,200}”|「[^」]{0,200}」|‘[^’]{0,200}’|\"[^\"]{0,200}\"|『[^』]{0,200}』")


@rail("citations")
def citations_rail(text: str, ctx: OutputContext) -> RailOutcome:
    """Cited articles must exist and be in force; a repealed one becomes its successor or goes."""
    from knowledge.citations import check_citations  # the knowledge store loads on first use

    spans = sentence_spans(text)
    edits: list[Edit] = []
    reasons: list[str] = []
    for check in check_citations(text):
        problem = None
        if check.repealed and check.successor_law and check.successor_articles:
            replacement = _successor_label(check.raw, check.successor_law, check.successor_articles)
            edits.append(Edit(check.start, check.end, replacement))
            reasons.append(f"{check.raw}: repealed, replaced by {replacement}")
        elif check.repealed:
            problem = "repealed and no successor article is mapped"
        elif not check.exists:
            problem = "does not exist"
        elif not check.in_force:
            problem = "not in force"
        elif check.quote_matches is False:
            problem = "quoted wording does not match the text"
        if problem:
            start, end = sentence_at(spans, check.start)
            edits.append(Edit(start, end, ""))
            reasons.append(f"{check.raw}: {problem}; sentence removed")
    if not edits:
        return RailOutcome(text)
    return RailOutcome(apply_edits(text, edits), "repaired", tuple(reasons))


@rail("citation_relevance")
def citation_relevance_rail(text: str, ctx: OutputContext) -> RailOutcome:
    """A cited article must speak to the claim: a renumbered article (反不正当竞争法第8条 for 虚假宣传) or a
    boilerplate ground the customer did not ask about (knowledge/data/citation_topics.yaml) goes."""
    from knowledge.citations import check_citations
    from knowledge.relevance import judge

    spans = sentence_spans(text)
    edits: list[Edit] = []
    reasons: list[str] = []
    for check in check_citations(text):
        start, end = sentence_at(spans, check.start)
        verdict = judge(
            check.law, check.article, check.doc, check.section, _QUOTED.sub("", text[start:end]), ctx.customer_text
        )
        if not verdict.relevant and all(edit.start != start for edit in edits):
            edits.append(Edit(start, end, ""))
            reasons.append(f"{check.raw}: {verdict.reason}; sentence removed")
    if not edits:
        return RailOutcome(text)
    return RailOutcome(apply_edits(text, edits), "repaired", tuple(reasons))


def _successor_label(raw: str, law: str, articles: tuple[int, ...]) -> str:
    title = short_law_title(law)
    numbers = "、".join(f"第{arabic_to_chinese(number)}条" for number in articles)
    return f"《{title}》{numbers}" if raw.startswith("《") else f"{title}{numbers}"


@rail("personal_data")
def personal_data_rail(text: str, ctx: OutputContext) -> RailOutcome:
    """No raw personal data in a reply, and no placeholder the customer did not give."""
    from guardrails.pii import default_registry

    reasons: list[str] = []
    known = default_registry().labels.values()  # built-in and the company's custom types
    labels = "|".join(re.escape(label) for label in sorted(set(known), key=len, reverse=True))
    placeholder = re.compile(rf"\[(?:{labels})\d{{1,4}}\]")
    foreign = Counter(m.group() for m in placeholder.finditer(text) if m.group() not in ctx.customer_placeholders)
    if foreign:
        text = placeholder.sub(lambda m: m.group() if m.group() in ctx.customer_placeholders else "", text)
        reasons.append(f"removed {sum(foreign.values())} placeholder(s) the customer did not give")
    masked = confident_masker().mask(text)
    if masked.changes:
        counts = Counter(change.type for change in masked.changes)
        reasons.append("masked " + ", ".join(f"{kind}×{count}" for kind, count in sorted(counts.items())))
        text = masked.text
    return RailOutcome(text, "repaired", tuple(reasons)) if reasons else RailOutcome(text)


@functools.cache
def confident_masker() -> Any:
    """A ``guardrails.pii.Masker`` that ignores detections below the configured per-type scores.

    In a reply the drafter wrote, a bare word that merely segments like a name (包装, 解释权) is far
    more often a false positive than a leak; names that do leak come with cues (先生, 联系人) and
    score higher. Masking those false positives would garble every such reply.
    """
    from guardrails.pii import Masker

    config = output_config()
    minimum = {str(k): float(v) for k, v in (config.get("personal_data_min_scores") or {}).items()}

    class ConfidentMasker(Masker):
        def detect(self, text: str) -> list[Any]:
            return [e for e in super().detect(text) if e.score >= minimum.get(e.type, 0.0)]

    return ConfidentMasker(str(config.get("personal_data_operator", "redact")))


@rail("forbidden_phrasing")
def forbidden_phrasing_rail(text: str, ctx: OutputContext) -> RailOutcome:
    """Sentences using a phrase the 客服用语规范 forbids are removed (quoting one is not using it)."""
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    spans = sentence_spans(text)
    edits: list[Edit] = []
    reasons: list[str] = []
    for label, pattern in forbidden_patterns():
        for hit in pattern.finditer(text):
            if any(start <= hit.start() and hit.end() <= end for start, end in quoted):
                continue
            start, end = sentence_at(spans, hit.start())
            edits.append(Edit(start, end, ""))
            reasons.append(f"removed forbidden phrase {label}")
    if not edits:
        return RailOutcome(text)
    return RailOutcome(apply_edits(text, edits), "repaired", tuple(reasons))


@functools.cache
def forbidden_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(label, pattern) for each phrase of the policy's 禁用语 list and each configured regex.

    The label is the phrase or regex as written, never the matched text, so a reason cannot repeat
    personal data that a window like 归.{0,20}所有 happened to span. Commitment words (保证, 一定 …)
    are on the policy list too, but whether they are allowed depends on the procedure step, which
    only the commitments rail knows, so they are left to it.
    """
    from guardrails.rails.commitments import default_commitments

    rules = default_commitments()
    phrases = [
        (phrase, re.compile(re.escape(phrase)))
        for phrase in service_language_phrases()
        if not rules.always.search(phrase) and not rules.outcome.search(phrase)
    ]
    extra = []
    for item in output_config().get("forbidden_phrasing") or []:
        pattern = compile_alternation([str(item)], "output_rails.yaml: forbidden_phrasing")
        if pattern is not None:
            extra.append((str(item), pattern))
    if not phrases and not extra:
        raise RailConfigError("no forbidden phrases configured")
    return (*phrases, *extra)


def service_language_phrases() -> list[str]:
    """The phrases of the bullet list under the configured section of the service-language policy."""
    setting = output_config().get("service_language") or {}
    resource = files("knowledge").joinpath(str(setting.get("file", "policies/service_language.md")))
    section = str(setting.get("section", "禁用语"))
    try:
        lines = resource.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise RailConfigError(f"cannot read the service-language policy {resource}: {error}") from error
    phrases: list[str] = []
    level = 0
    for line in lines:
        heading = re.match(r"(#{1,6})\s", line)
        if heading:
            if level and len(heading.group(1)) <= level:
                break
            level = len(heading.group(1)) if section in line else level
        elif level and line.lstrip().startswith(("- ", "* ")):
            phrase = re.split(r"[：:]", line.lstrip()[2:], maxsplit=1)[0].strip()
            if phrase:
                phrases.append(phrase)
    if not phrases:
        raise RailConfigError(f"{resource}: no bullet list under a heading containing {section!r}")
    return phrases


@rail("language")
def language_rail(text: str, ctx: OutputContext) -> RailOutcome:
    """A reply that is not mainly Chinese is blocked (the engine then answers from its template)."""
    chinese = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    ratio = chinese / (chinese + latin) if chinese + latin else 0.0
    minimum = float(output_config().get("language", {}).get("min_chinese_ratio", 0.5))
    if ratio < minimum:
        return RailOutcome(text, "blocked", (f"not mainly Chinese: {ratio:.0%} Chinese letters, need {minimum:.0%}",))
    return RailOutcome(text)


@rail("disclaimer")
def disclaimer_rail(text: str, ctx: OutputContext) -> RailOutcome:
    """A reply that explains the law ends with 以上内容仅供参考，不构成法律意见。"""
    setting = output_config()["disclaimer"]
    explains = ctx.explains_law
    if explains is None:
        markers = compile_alternation([str(m) for m in setting["law_markers"]], "disclaimer.law_markers")
        explains = bool(markers and markers.search(text))
    if not explains or all(part in text for part in setting["present_when_all"]):
        return RailOutcome(text)
    return RailOutcome(append_sentence(text, setting["text"]), "repaired", ("explains the law: disclaimer appended",))


@rail("required_elements")
def required_elements_rail(text: str, ctx: OutputContext) -> RailOutcome:
    """Every element the step requires is present; a missing one gets its fallback sentence."""
    reasons: list[str] = []
    for element in ctx.required_elements:
        if any(option in text for option in element.any_of) or element.fallback in text:
            continue
        text = append_sentence(text, element.fallback)
        reasons.append(f"missing {element.name}: fallback appended")
    return RailOutcome(text, "repaired", tuple(reasons)) if reasons else RailOutcome(text)
