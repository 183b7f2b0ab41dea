"""WeChat ids and QQ numbers, only after a context word (微信, QQ, vx ...).

A WeChat id is 6-20 characters starting with a letter; a QQ number is 5-11 digits not starting
with 0. On their own both are indistinguishable from words and numbers, hence ``requires_context``.
An 11-digit mobile is left to the phone recogniser.
"""

from __future__ import annotations

from guardrails.pii.recognizer import Candidate, Pattern, Recognizer


class ImAccountRecognizer(Recognizer):
    type = "im_account"
    name = "wechat_qq"
    requires_context = True
    patterns = (
        # The cue glued to the id (QQ687898, qq:7795656, vxlily_2019, 薇信abc12345): the context word
        # right before the value is the cue itself, so these need it like the others.
        Pattern("qq_glued", r"(?i:qq|扣扣|企鹅)(?:号码?)?[:：]?(?P<value>[1-9]\d{4,10})(?![0-9A-Za-z])", 0.4),
        # Slang single-character cues: 扣1893201844, Q：12345678 (扣 + a sum of money is no QQ).
        Pattern("qq_slang", r"(?:(?<![A-Za-z])[Qq][:：]|扣)(?P<value>[1-9]\d{5,10})(?![0-9A-Za-z元块%])", 0.4),
        Pattern(
            "wechat_glued",
            r"(?i:vx|wx|v信|薇信|威信|微信|加v|加微)(?:号)?[:：]?(?P<value>[A-Za-z][-_A-Za-z0-9]{5,19})(?![A-Za-z0-9_-])",
            0.4,
        ),
        # The cue after the value (1024566789是我的QQ号, abc_12345就是我微信).
        Pattern(
            "qq_cue_after",
            r"(?<![0-9A-Za-z])[1-9]\d{4,10}(?=(?:就是|是|为)?(?:我的|我|本人的?)?(?i:qq|扣扣|企鹅号))",
            0.4,
            cued=True,
        ),
        Pattern(
            "wechat_cue_after",
            r"(?<![A-Za-z0-9_-])[A-Za-z][-_A-Za-z0-9]{5,19}(?=(?:就是|是|为)?(?:我的|我|本人的?)?(?i:微信|vx|wx|v信|薇信))",
            0.4,
            cued=True,
        ),
        Pattern("wechat_id", r"(?<![A-Za-z0-9_-])[A-Za-z][-_A-Za-z0-9]{5,19}(?![A-Za-z0-9_-])", 0.4),
        Pattern("qq_number", r"(?<![0-9A-Za-z])(?!1[3-9]\d{9}(?!\d))[1-9]\d{4,10}(?![0-9A-Za-z])", 0.4),
    )

    def find(self, text: str) -> list[Candidate]:
        # A glued and a separated pattern may report the same value: keep one per span.
        return list({(c.start, c.end): c for c in super().find(text)}.values())

    def validate(self, value: str) -> bool | None:
        # Product words customers mention next to 微信 (微信支付 via "WeChatPay") are not ids.
        return False if value.lower() in {"wechat", "weixin", "wechatpay", "tencent"} else None
