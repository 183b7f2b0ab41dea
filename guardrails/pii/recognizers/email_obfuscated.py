"""E-mail addresses written around spam filters: lihua [at] 163 [dot] com, xiaoyu艾特qq点com,
wu dot ming at hotmail dot com, sale（at）dragon-tea.com.

The "@" is spelled out (at, [at], (at), 艾特, 圈a) and the dots may be too (dot, [dot], 点). The
spelled "at" must sit between a mailbox-like name and a domain that ends in a common top-level
domain, so an English sentence ("look at the box") is no address.
"""

from __future__ import annotations

from guardrails.pii.recognizer import Pattern, Recognizer

_AT = r"(?: ?(?:\[at\]|\(at\)|（at）|\{at\}) ?| at |艾特|圈a|@)"
_DOT = r"(?: ?(?:\[dot\]|\(dot\)|（dot）) ?| dot |点|\.)"
_NAME = r"[A-Za-z0-9_%+-]{1,30}(?:" + _DOT + r"[A-Za-z0-9_%+-]{1,30}){0,2}"
_DOMAIN = r"[A-Za-z0-9-]{1,30}(?:" + _DOT + r"[A-Za-z0-9-]{1,30}){0,2}" + _DOT + r"(?:com|cn|net|org|edu|cc|io|me|hk)"


class ObfuscatedEmailRecognizer(Recognizer):
    type = "email"
    name = "email_spelled_out"
    trigger = r"(?i)\[at\]|\(at\)|（at）|\{at\}| at |艾特|圈a"
    trigger_chars = "[(（{艾圈a"  # " at " needs an a; a plain space is in too many messages
    patterns = (
        Pattern(
            "email_spelled_out",
            r"(?i)(?<![A-Za-z0-9._%+-])" + _NAME + _AT + _DOMAIN + r"(?![A-Za-z0-9-])",
            0.8,
        ),
    )

    def validate(self, value: str) -> bool | None:
        return None if "@" not in value else False  # a real "@" is the plain recogniser's

    def canonical(self, value: str) -> str:
        return value.lower()
