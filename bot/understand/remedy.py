"""Remedies with negation and preference: 不要修 (refused), 只要退款 (wanted), 先换不行再退 (wanted, fallback)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.understand.data import pattern, table

# 道歉有什么用, 修好的我不要: the remedy named just before is dismissed
_DISMISSED = re.compile(
    r"(?:有什么用|有啥用|没用|不够|(?:就)?算了|拉倒|免了|[好的了]{0,2}(?:我)?(?:不要|不接受|不行(?!的话|再|就)))"
)


@dataclass(frozen=True)
class Remedies:
    wanted: str | None = None
    refused: tuple[str, ...] = ()
    fallback: str | None = None
    mentioned: tuple[str, ...] = ()


def _hits(text: str) -> list[tuple[int, int, str]]:
    """(start, end, value) of every remedy word, longest word first at each place."""
    words = sorted(
        ((w, item["value"]) for item in table("remedies")["remedies"] for w in item["words"]),
        key=lambda pair: -len(pair[0]),
    )
    hits: list[tuple[int, int, str]] = []
    for word, value in words:
        # English words case-blind and whole (return, Refund; not "returned" or "prefix")
        found = re.finditer(rf"(?i)(?<![a-z]){re.escape(word)}(?![a-z])" if word.isascii() else re.escape(word), text)
        for match in found:
            if not any(s < match.end() and match.start() < e for s, e, _ in hits):
                hits.append((match.start(), match.end(), value))
    for match in pattern("remedies", "bare_return").finditer(text):
        end = match.end()
        if not any(s < end and match.start() < e for s, e, _ in hits):
            hits.append((end - 1, end, "退货"))
    return sorted(hits)


def _value_in(fragment: str) -> str | None:
    hits = _hits(fragment)
    if hits:
        return hits[0][2]
    return "退货" if fragment.startswith("退") else None


def find_remedies(text: str) -> Remedies:
    hits = [h for h in _hits(text) if not _is_noise(text, h)]
    if not hits:
        return Remedies()
    negation, preference = pattern("remedies", "negation"), pattern("remedies", "preference")
    refused, kept = [], []
    for start, _end, value in hits:
        before = text[max(0, start - 5) : start]
        clause = re.split(r"[，,。；;！!？?]", before)[-1]
        dismissed = _DISMISSED.match(text[_end : _end + 6])
        if (negation.search(clause) or dismissed) and value not in refused:
            refused.append(value)
        else:
            kept.append((start, value, bool(preference.search(clause))))
    sequence = pattern("remedies", "sequence").search(text)
    if sequence:
        first, second = _value_in(sequence["a"]), _value_in(sequence["b"])
        if first:
            return Remedies(first, tuple(refused), second, tuple(dict.fromkeys(v for _, _, v in hits)))
    kept = [k for k in kept if k[1] not in refused]
    preferred = [value for _, value, pref in kept if pref]
    wanted = preferred[0] if preferred else (kept[0][1] if kept else None)
    # 赔偿 next to 退货 is a demand on top of the return; the return is what is wanted first
    return Remedies(wanted, tuple(refused), None, tuple(dict.fromkeys(v for _, _, v in hits)))


def _is_noise(text: str, hit: tuple[int, int, str]) -> bool:
    """Words that name a remedy without asking for it: 换季, 修改, 退出, 保修期 asked about."""
    start, end, value = hit
    word = text[start:end]
    following = text[end : end + 1]  # empty at the end of the message: 想换 is a remedy
    if word == "换" and following and following in "季成句算言":
        return True
    if re.match(r"换(个|一个|种)?(方案|说法|方式|办法|人|客服)", text[start:]):  # 换个方案: another offer, not goods
        return True
    if word == "修" and following and following in "改饰正养":
        return True
    if word == "修" and text[start - 1 : start] == "装":  # 装修: a renovation
        return True
    return value == "修理" and text[start : end + 2].startswith("保修期")
