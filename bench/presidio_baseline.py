"""Microsoft Presidio configured like csbot, as the throughput and recall peer in ``bench/pii.py``.

Each csbot pattern recogniser becomes a Presidio ``PatternRecognizer`` with the same regexes, scores,
context words and validator (``validate_result`` calls csbot's). The NLP engine is a blank spaCy
Chinese pipeline (character segmentation, no model download); no NER runs.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import spacy
from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
from presidio_analyzer.nlp_engine import SpacyNlpEngine
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig

from guardrails.pii import TYPE_LABELS_ZH, default_registry
from guardrails.pii.recognizer import MIN_SCORE, Recognizer

PATTERN_TYPES = ("id_card", "phone", "landline", "bank_card", "email", "passport", "license_plate", "im_account", "ip")


class BlankChineseNlpEngine(SpacyNlpEngine):
    """spaCy's blank 'zh' pipeline: tokenisation only, works offline."""

    def __init__(self) -> None:
        super().__init__(models=[{"lang_code": "zh", "model_name": "blank:zh"}])

    def load(self) -> None:
        self.nlp = {"zh": spacy.blank("zh")}


class _Equivalent(PatternRecognizer):
    """A Presidio recogniser that validates with the csbot recogniser it mirrors."""

    def __init__(self, mirror: Recognizer) -> None:
        self.mirror = mirror
        super().__init__(
            supported_entity=mirror.type,
            name=f"presidio_{mirror.name}",
            supported_language="zh",
            patterns=[Pattern(p.name, p.regex, p.score) for p in mirror.patterns],
            context=list(mirror.context),
            global_regex_flags=re.DOTALL | re.MULTILINE,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        return self.mirror.validate(pattern_text)


def presidio_predict_factory() -> tuple[Callable[[str], set[tuple[int, int, str]]], Callable[[str], str]]:
    """(predict spans, mask text) functions backed by one Presidio analyzer + anonymizer."""
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    registry = RecognizerRegistry(supported_languages=["zh"])
    for recognizer in default_registry().for_types(PATTERN_TYPES):
        registry.add_recognizer(_Equivalent(recognizer))
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=BlankChineseNlpEngine(), supported_languages=["zh"])
    anonymizer = AnonymizerEngine()
    operators = {kind: OperatorConfig("replace", {"new_value": f"[{TYPE_LABELS_ZH[kind]}]"}) for kind in PATTERN_TYPES}

    def analyze(text: str):  # type: ignore[no-untyped-def]
        return analyzer.analyze(text, language="zh", score_threshold=MIN_SCORE)

    def predict(text: str) -> set[tuple[int, int, str]]:
        return {(r.start, r.end, r.entity_type) for r in analyze(text)}

    def mask(text: str) -> str:
        return anonymizer.anonymize(text=text, analyzer_results=analyze(text), operators=operators).text

    return predict, mask
