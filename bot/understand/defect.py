"""The defect in the customer's own words: 漏水 stays 漏水, never 漏水漏电."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.understand.data import table

# clause breaks: punctuation, or a space between Chinese words (手机 前天收的 屏幕裂了: three clauses)
_CLAUSE = re.compile(r"[，,。；;！!？?\n]|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_FILLER = re.compile(
    r"^(?:今天|昨天|前天|刚才|刚刚|但是|可是|而且|结果|然后|就是|发现|现在|我的|我|这个|那个|你们的|你们|的|了|也|还|又|都)+"
)
_MAX_CHARS = 16
_QUESTION = re.compile(r"是不是|会不会|是否|难道|吗|[？?]")


@dataclass(frozen=True)
class Defect:
    words: str  # as the customer said it (one clause, trimmed)
    kind: str  # the category, for routing only
    guess: bool = False  # said as a question (是不是坏了？): it routes, but never replaces what was told


def find_defect(text: str) -> Defect | None:
    for item in table("defects")["kinds"]:
        for word in item["words"]:
            position = text.find(word)
            if position < 0:
                continue
            clause_start = max((m.end() for m in _CLAUSE.finditer(text, 0, position)), default=0)
            end_match = _CLAUSE.search(text, position)
            clause = text[clause_start : end_match.start() if end_match else len(text)].strip()
            guess = bool(_QUESTION.search(text[clause_start : end_match.end() if end_match else len(text)]))
            if re.search(r"[A-Za-z]", clause):  # mixed English: the Chinese words around the defect
                run = re.search(rf"[^A-Za-z]*{re.escape(word)}[^A-Za-z]*", clause)
                clause = run.group(0).strip() if run else word
            clause = _FILLER.sub("", clause) or word
            cut = clause.rfind("就", 0, max(clause.find(word), 0))
            if len(clause) > 8 and cut >= 0:  # 才买了12天就漏水了: the defect is what comes after 就
                clause = clause[cut + 1 :]
            clause = clause.rstrip("了啊呀呢吧") or word
            if len(clause) > _MAX_CHARS:  # keep the words around the defect, not the whole story
                local = position - clause_start - (len(text[clause_start:].lstrip()) and 0)
                lo = max(0, min(len(clause) - _MAX_CHARS, local - 6))
                clause = clause[lo : lo + _MAX_CHARS]
                if word not in clause:
                    clause = word
            return Defect(words=clause, kind=str(item["kind"]), guess=guess)
    return None


_DENIED = re.compile(r"(?:没|没有|没能|没法|无法|不能|忘了|来不及)[^，,。；;！!？?]{0,2}$")


def _said(text: str, word: str) -> bool:
    """The word is there and not denied (没拍照, 没有照片: no evidence of that kind)."""
    return any(not _DENIED.search(text[max(0, m.start() - 4) : m.start()]) for m in re.finditer(re.escape(word), text))


def evidence_denied(text: str) -> bool:
    """The customer says there is no photo / video (没拍照, 没有视频)."""
    return any(word in text and not _said(text, word) for item in table("facts")["evidence"] for word in item["words"])


def find_evidence(text: str) -> str | None:
    """Every kind of evidence mentioned (视频 stays 视频), joined with 、; a denied one (没拍照) is not."""
    kinds: list[str] = []
    for item in table("facts")["evidence"]:
        if any(_said(text, word) for word in item["words"]) and item["value"] not in kinds:
            if (
                item["value"] == "照片"
                and kinds
                and any(w in text for w in ("拍了", "上传了"))
                and not any(w in text for w in ("照片", "图片", "截图", "相片"))
            ):
                continue  # 拍了视频: the video, not a photo
            kinds.append(str(item["value"]))
    return "、".join(kinds) or None
