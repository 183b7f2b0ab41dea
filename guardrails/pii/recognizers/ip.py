"""IP addresses (IPv4 dotted quads, IPv6), validated with the standard ``ipaddress`` module.

A version number such as 1.2.3.4 has the same shape as an address; a context word (版本, version)
right before it drops the match.
"""

from __future__ import annotations

import ipaddress

from guardrails.pii.recognizer import Pattern, Recognizer


class IpRecognizer(Recognizer):
    type = "ip"
    name = "ip_address"
    trigger = r"\d\.\d{1,3}\.|[0-9A-Fa-f]:[0-9A-Fa-f:]|::"
    trigger_chars = ".:"
    patterns = (
        Pattern("ipv4", r"(?<![\dA-Za-z.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])", 0.6),
        Pattern(
            "ipv6",
            r"(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{1,4}:){1,7}:?[0-9A-Fa-f]{0,4}(?:::?[0-9A-Fa-f]{1,4}){0,6}"
            r"(?![0-9A-Fa-f:])",
            0.5,
        ),
    )

    def validate(self, value: str) -> bool | None:
        try:
            address = ipaddress.ip_address(value)
        except ValueError:
            return False
        if address.version == 6 and value.count(":") < 2:
            return False
        return None
