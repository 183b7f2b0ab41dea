"""A learned second opinion for the input rails: character n-grams + logistic regression.

Hand-written patterns catch the phrasings someone wrote a rule for; on paraphrases nobody
anticipated they miss most (see docs/rails.md). This check is trained, at first use and in well
under a second, on labelled exemplar messages (``input_exemplars.jsonl``: attacks by category and
benign look-alikes) and fires the ``classifier_<category>`` rules when a category's probability
reaches the configured threshold. Its rules only ``flag``: they inform the record and the agent,
while blocking and escalating stay with the explicit rules. Training is deterministic (lbfgs, no
random state), so the same exemplars give the same answers in every process.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from guardrails.rails.config import ClassifierSettings, InputConfig, InputRule, RailConfigError
from guardrails.rails.fold_text import normalise
from guardrails.rails.registry import rail

BENIGN = "benign"
_CACHED_TEXT_CHARS = 4000


@dataclass(frozen=True)
class TrainedClassifier:
    vectorizer: Any
    model: Any
    threshold: float

    def categories(self, text: str) -> frozenset[str]:
        """The categories whose probability for ``text`` reaches the threshold."""
        probabilities = self.model.predict_proba(self.vectorizer.transform([text]))[0]
        return frozenset(
            label
            for label, p in zip(self.model.classes_, probabilities, strict=True)
            if label != BENIGN and p >= self.threshold
        )


def read_exemplars(settings: ClassifierSettings) -> tuple[list[str], list[str]]:
    """(texts, labels) from the exemplar file; each line ``{"text": ..., "label": category|benign}``."""
    texts, labels = [], []
    try:
        lines = settings.exemplars.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise RailConfigError(f"{settings.exemplars}: cannot read exemplars ({error})") from error
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text, label = row["text"], row["label"]
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise RailConfigError(f"{settings.exemplars}: line {number}: expected {{text, label}}") from error
        texts.append(str(text))
        labels.append(str(label))
    if BENIGN not in labels or len(set(labels)) < 2:
        raise RailConfigError(f"{settings.exemplars}: needs benign exemplars and at least one category")
    return texts, labels


@functools.cache
def trained(settings: ClassifierSettings) -> TrainedClassifier:
    """Train once per process and settings."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts, labels = read_exemplars(settings)
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=settings.ngram, preprocessor=normalise, sublinear_tf=True)
    model = LogisticRegression(C=settings.c, max_iter=3000)
    model.fit(vectorizer.fit_transform(texts), labels)
    return TrainedClassifier(vectorizer, model, settings.threshold)


@functools.lru_cache(maxsize=256)
def _categories(settings: ClassifierSettings, text: str) -> frozenset[str]:
    return trained(settings).categories(text)


@rail("classifier", stage="input")
def classifier_check(rule: InputRule, text: str, forms: tuple[str, ...], config: InputConfig) -> bool:
    if config.classifier is None:
        raise RailConfigError(f"rule {rule.id!r} uses check 'classifier' but no 'classifier' section is configured")
    if len(text) > _CACHED_TEXT_CHARS:  # keep the per-message cache small; long texts are rare
        opinion = rule.category in trained(config.classifier).categories(text)
    else:
        opinion = rule.category in _categories(config.classifier, text)
    return opinion and not has_benign_reading(rule.category, forms, config)


def has_benign_reading(category: str, forms: tuple[str, ...], config: InputConfig) -> bool:
    """Whether a benign exception of an explicit rule of ``category`` matches the message.

    The exceptions are the benign readings someone wrote down (用老公的手机号注册的, 写发票抬头);
    the model has only seen a few hundred examples, so a written-down reading outranks its guess.
    """
    return any(
        other.exceptions.search(form)
        for other in config.rules
        if other.category == category and other.exceptions is not None
        for form in forms
    )
