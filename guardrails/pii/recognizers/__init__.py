"""One recogniser per kind of personal data; ``BUILTIN`` lists them in registry order."""

from __future__ import annotations

from guardrails.pii.recognizer import Recognizer
from guardrails.pii.recognizers.address import AddressRecognizer
from guardrails.pii.recognizers.bank_card import BankCardRecognizer
from guardrails.pii.recognizers.email import EmailRecognizer
from guardrails.pii.recognizers.email_obfuscated import ObfuscatedEmailRecognizer
from guardrails.pii.recognizers.id_card import IdCardRecognizer
from guardrails.pii.recognizers.im_account import ImAccountRecognizer
from guardrails.pii.recognizers.ip import IpRecognizer
from guardrails.pii.recognizers.landline import LandlineRecognizer
from guardrails.pii.recognizers.license_plate import LicensePlateRecognizer
from guardrails.pii.recognizers.name import NameRecognizer
from guardrails.pii.recognizers.name_context import NameInContextRecognizer
from guardrails.pii.recognizers.name_foreign import ForeignNameRecognizer
from guardrails.pii.recognizers.name_model import ModelNameRecognizer
from guardrails.pii.recognizers.name_spaced import SpacedNameRecognizer
from guardrails.pii.recognizers.passport import PassportRecognizer
from guardrails.pii.recognizers.phone import PhoneRecognizer

BUILTIN: tuple[type[Recognizer], ...] = (
    IdCardRecognizer,
    BankCardRecognizer,
    EmailRecognizer,
    ObfuscatedEmailRecognizer,
    PhoneRecognizer,
    LandlineRecognizer,
    PassportRecognizer,
    LicensePlateRecognizer,
    ImAccountRecognizer,
    IpRecognizer,
    AddressRecognizer,
    NameRecognizer,
    ForeignNameRecognizer,
    NameInContextRecognizer,
    ModelNameRecognizer,
    SpacedNameRecognizer,
)

__all__ = ["BUILTIN"]
