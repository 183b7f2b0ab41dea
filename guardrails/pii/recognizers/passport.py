"""Passports and travel permits (护照, 港澳通行证, 台湾通行证, 回乡证, 台胞证).

Chinese e-passports are E + 8 characters (E12345678, EA1234567); the older G and the diplomatic
D/S/P series share the form. Permits are a letter plus 8 digits (C/W 港澳, L 台湾, H/M 回乡证) or 8
digits (台胞证). These shapes also fit product models and serials, so only the e-passport form
stands alone; every other shape needs a context word such as 护照 or 通行证.
"""

from __future__ import annotations

import re

from guardrails.pii.recognizer import DIGIT_LEFT, DIGIT_RIGHT, Pattern, Recognizer, case_variants


class PassportRecognizer(Recognizer):
    type = "passport"
    name = "cn_passport_permit"
    # 护照号我找一下啊，在抽屉里……G12345678: the number often comes a sentence after its cue.
    context_window = 40
    patterns = (
        Pattern("e_passport", DIGIT_LEFT + r"E[0-9A-HJ-NP-Z]\d{7}" + DIGIT_RIGHT, 0.55),
        Pattern("passport_other", DIGIT_LEFT + r"[GDSP]\d{8}" + DIGIT_RIGHT, 0.3),
        Pattern("hk_macao_permit", DIGIT_LEFT + r"[CW][0-9A-HJ-NP-Z]\d{7}" + DIGIT_RIGHT, 0.3),
        Pattern("taiwan_permit", DIGIT_LEFT + r"L\d{8}" + DIGIT_RIGHT, 0.3),
        Pattern("home_return_permit", DIGIT_LEFT + r"[HM]\d{8}(?:\d{2})?" + DIGIT_RIGHT, 0.3),
        Pattern("taiwan_compatriot", DIGIT_LEFT + r"\d{8,9}" + DIGIT_RIGHT, 0.15),
        # After a cue only: other countries' passports (K98765432, P1234567), spaced (E 1234 5678),
        # and the foreigner's permanent residence card (CHN110078091501).
        Pattern("passport_cued", DIGIT_LEFT + r"[A-Z]{1,2} ?\d{3,4} ?\d{3,5}" + DIGIT_RIGHT, 0.15),
        Pattern("residence_card", DIGIT_LEFT + r"[A-Z]{3}\d{12}" + DIGIT_RIGHT, 0.15),
    )

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        # Only the e-passport form stands alone (its pattern is case-sensitive, so is this part of
        # the trigger); every other shape scores below MIN_SCORE without one of the context words.
        words = "|".join(re.escape(word) for word in self.context)
        self._trigger = re.compile(r"E[0-9A-HJ-NP-Z]\d{7}" + (f"|(?i:{words})" if words else ""))
        self.required_chars = frozenset("E") | case_variants("".join(word[0] for word in self.context))

    def canonical(self, value: str) -> str:
        return value.upper()
