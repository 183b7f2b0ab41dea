"""The privacy notice shown before a customer's first message (《个人信息保护法》第十七条).

The words come from the company's own privacy rules (``knowledge/policies/privacy.md``); which
sections answer which question is data in ``privacy_notice.yaml``. A section that the policy no
longer has is an error at start-up, not a silently shorter notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.web.data_models import PrivacyNoticeFile
from knowledge.datafile import load_checked
from knowledge.policies import PolicyLibrary

NOTICE_FILE = Path(__file__).parent / "privacy_notice.yaml"


class NoticeError(RuntimeError):
    """The notice cannot be assembled from the privacy policy; the message names what is missing."""


@dataclass(frozen=True)
class PrivacyNotice:
    title: str
    markdown: str
    consent_label: str
    decline_note: str
    policy_version: str | None


@cache
def privacy_notice(policy_dir: Path | None = None) -> PrivacyNotice:
    """Assemble the notice (Markdown) from the policy sections listed in ``privacy_notice.yaml``."""
    spec = load_checked(NOTICE_FILE, PrivacyNoticeFile)
    library = PolicyLibrary.load(policy_dir)
    doc_title = library.resolve_doc(spec["policy"])
    if doc_title is None:
        raise NoticeError(f"privacy notice: policy {spec['policy']!r} not found in the policy pack")
    lines = [spec["intro"], ""]
    version = None
    for part in spec["parts"]:
        lines.append(f"### {part['heading']}")
        for number in part["sections"]:
            section = library.get(doc_title, str(number))
            if section is None:
                raise NoticeError(f"privacy notice: 《{doc_title}》 has no section {number}")
            version = section.version
            lines.append(f"- {section.text.strip()}（《{doc_title}》第{number}条）")
        lines.append("")
    lines.append(f"完整规则见《{doc_title}》（版本 {version or '未标注'}）。")
    return PrivacyNotice(spec["title"], "\n".join(lines), spec["consent"], spec["decline_note"], version)
