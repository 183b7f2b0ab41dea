"""One recogniser per kind of personal data; ``BUILTIN`` lists them in registry order."""

from __future__ import annotations

from guardrails.pii.recognizer import Recognizer
from guardrails.pii.recognizers.bank_card import BankCardRecognizer
from guardrails.pii.recognizers.email import EmailRecognizer
from guardrails.pii.recognizers.id_card import IdCardRecognizer
from guardrails.pii.recognizers.phone import PhoneRecognizer

BUILTIN: tuple[type[Recognizer], ...] = (
    IdCardRecognizer,
    BankCardRecognizer,
    EmailRecognizer,
    PhoneRecognizer,
)

__all__ = ["BUILTIN"]
