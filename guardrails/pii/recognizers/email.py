"""E-mail addresses: a local part, @, and dot-separated host labels ending in a letter TLD.

Quantifiers are bounded and the host is matched label by label, so a long run of dots or
letters cannot make the regex backtrack catastrophically.
"""

from __future__ import annotations

from guardrails.pii.recognizer import Pattern, Recognizer, partial_mask


class EmailRecognizer(Recognizer):
    type = "email"
    name = "email"
    trigger = "@"
    trigger_chars = "@"
    patterns = (
        Pattern(
            "email",
            r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9_%+-](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?"
            r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-])",
            0.9,
        ),
    )

    def canonical(self, value: str) -> str:
        return value.lower()

    def partial_mask(self, canonical: str, prefix: int, suffix: int) -> str:
        """Only the mailbox name is personal; the provider (qq.com) stays readable."""
        local, _, domain = canonical.partition("@")
        return f"{partial_mask(local, prefix, suffix)}@{domain}"
