"""Text a person typed, made inert for Markdown: it shows as written and never becomes structure.

Customer (and agent) text reaches staff through Markdown renderers: Gradio's chat and the 书面记录's
Markdown export. ``![照片](http://…)`` would load an outside image in the agent's browser, ``[退款审批系统](…)``
would become a link, ``# 系统通知`` a heading that looks like a system message. Every Markdown
punctuation mark is backslash-escaped (CommonMark shows it as the character itself), and a line
that would start a list, a quote or a heading is escaped at its start. ``<``, ``>`` and ``&`` are left to
the HTML escaping done before or after this.
"""

from __future__ import annotations

import re

INLINE_SPECIAL = frozenset("\\`*_[]()!#|~{}")
LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])", re.MULTILINE)


def md_escape(text: object) -> str:
    """``text`` with every Markdown construct neutralised (links, images, headings, emphasis, lists)."""
    value = "".join(f"\\{ch}" if ch in INLINE_SPECIAL else ch for ch in str(text))
    return LINE_START.sub(
        lambda m: (
            f"{m.group(1)}\\{m.group(2)}"
            if m.group(2)[0] in "-+=>"
            else f"{m.group(1)}{m.group(2)[:-1]}\\{m.group(2)[-1]}"
        ),
        value,
    )
