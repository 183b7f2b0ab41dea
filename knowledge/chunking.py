"""Split documents by their structure (第X条, numbered sections, headings), not by character windows.

A chunk is the smallest structural unit: one article, one leaf section, or one paragraph group when a
document has no structure at all. Each chunk keeps a section id ("12", "3.2") for citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.numerals import chinese_to_arabic

# 第十二条 / 第12条 at the start of a line, optionally followed by a title or the text.
ARTICLE_HEADING = re.compile(r"^\s*第\s*([零〇一二两三四五六七八九十百千万\d]+)\s*条[\s　:：]*(.*)$")
# Markdown heading: ## 3 七日无理由退货 / ### 3.2 适用范围 / # 标题
MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(?:(\d+(?:\.\d+)*)\.?\s+)?(.+?)\s*#*\s*$")
# Numbered section line: 3.2 适用范围 / 3. 总则 / 一、总则 / （一）
NUMBERED_HEADING = re.compile(
    r"^\s*(\d+(?:\.\d+)*)[.、\s]\s*(\S.{0,40})$|^\s*([一二三四五六七八九十]+)、\s*(\S.{0,40})$"
)
MAX_PLAIN_CHUNK = 800


@dataclass(frozen=True)
class Chunk:
    section: str
    title: str | None
    text: str


def split_articles(text: str) -> list[Chunk]:
    """Split at 第X条 lines; section ids are Arabic article numbers. Empty when no article found."""
    chunks: list[Chunk] = []
    number: str | None = None
    body: list[str] = []
    for line in text.splitlines():
        match = ARTICLE_HEADING.match(line)
        if match:
            _flush(chunks, number, None, body)
            number, body = str(chinese_to_arabic(match.group(1))), [line.strip()]
        elif number is not None:
            body.append(line)
    _flush(chunks, number, None, body)
    return chunks


def split_headings(text: str, pattern: re.Pattern[str] = MARKDOWN_HEADING) -> list[Chunk]:
    """Split at Markdown headings; a section's own text (before its sub-sections) is one chunk."""
    chunks: list[Chunk] = []
    section: str | None = None
    title: str | None = None
    body: list[str] = []
    counter = 0
    for line in text.splitlines():
        match = pattern.match(line)
        if match and len(match.group(1)) > 1:
            _flush(chunks, section, title, body)
            counter += 1
            section, title, body = match.group(2) or str(counter), match.group(3).strip(), []
        elif match:
            continue  # the document title (# ...) is not a section
        elif section is not None:
            body.append(line)
    _flush(chunks, section, title, body)
    return chunks


def split_numbered(text: str) -> list[Chunk]:
    """Split at numbered section lines (1.2 标题 / 一、标题) in plain text."""
    chunks: list[Chunk] = []
    section: str | None = None
    title: str | None = None
    body: list[str] = []
    for line in text.splitlines():
        match = NUMBERED_HEADING.match(line)
        if match:
            _flush(chunks, section, title, body)
            if match.group(1):
                section, title = match.group(1), match.group(2).strip()
            else:
                section, title = str(chinese_to_arabic(match.group(3))), match.group(4).strip()
            body = []
        elif section is not None:
            body.append(line)
    _flush(chunks, section, title, body, keep_title_only=True)
    return chunks


def split_paragraphs(text: str, limit: int = MAX_PLAIN_CHUNK) -> list[Chunk]:
    """Fallback for unstructured text: whole paragraphs grouped up to ``limit`` characters."""
    chunks: list[Chunk] = []
    group: list[str] = []
    size = 0
    for paragraph in (p.strip() for p in re.split(r"\n\s*\n|\n", text)):
        if not paragraph:
            continue
        if group and size + len(paragraph) > limit:
            chunks.append(Chunk(str(len(chunks) + 1), None, "\n".join(group)))
            group, size = [], 0
        group.append(paragraph)
        size += len(paragraph)
    if group:
        chunks.append(Chunk(str(len(chunks) + 1), None, "\n".join(group)))
    return chunks


def split_document(text: str, markdown: bool = False) -> list[Chunk]:
    """Choose the strongest structure the text has: articles, headings, numbered sections, paragraphs."""
    articles = split_articles(text)
    if articles:
        return articles
    if markdown:
        return split_headings(text) or split_paragraphs(text)
    numbered = split_numbered(text)
    # A single "1. ..." line in prose is not structure; two numbered headings are.
    return numbered if len(numbered) >= 2 else split_paragraphs(text)


def _flush(
    chunks: list[Chunk], section: str | None, title: str | None, body: list[str], keep_title_only: bool = False
) -> None:
    text = "\n".join(line.rstrip() for line in body).strip()
    if section is not None and (text or (keep_title_only and title)):
        chunks.append(Chunk(section, title, text or (title or "")))
