"""Vehicle plates: province character + letter + 5 characters (京A12345), or the new-energy form
with 6 (粤B D12345 for small cars, 粤B 12345D for large ones); 学/警/挂/港/澳 suffixes.

Letters I and O never appear on plates, which keeps some product codes out.
"""

from __future__ import annotations

import re

from guardrails.pii.recognizer import Pattern, Recognizer

_SEPARATOR = re.compile(r"[ ·•.-]")  # compiled once: re.sub(pattern, ...) looks it up in re's cache per call

_PROVINCE = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_ALNUM = "[A-HJ-NP-Z0-9]"
_TAIL = r"(?![A-Za-z0-9])"


class LicensePlateRecognizer(Recognizer):
    type = "license_plate"
    name = "cn_license_plate"
    trigger = f"[{_PROVINCE}]"
    trigger_chars = _PROVINCE
    patterns = (
        Pattern(
            "new_energy",
            f"[{_PROVINCE}][A-HJ-NP-Z][ ·•.-]?(?:[DF]{_ALNUM}\\d{{4}}|\\d{{5}}[DF])" + _TAIL,
            0.75,
        ),
        Pattern("regular", f"[{_PROVINCE}][A-HJ-NP-Z][ ·•.-]?{_ALNUM}{{4}}[0-9A-HJ-NP-Z挂学警港澳]" + _TAIL, 0.65),
    )

    def validate(self, value: str) -> bool | None:
        # A plate's five characters carry at least three digits; "沪A PLUS" style words are not plates.
        tail = _SEPARATOR.sub("", value)[2:]
        return None if sum(char.isdigit() for char in tail) >= 3 else False

    def canonical(self, value: str) -> str:
        return _SEPARATOR.sub("", value).upper()
