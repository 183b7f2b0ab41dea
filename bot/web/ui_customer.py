"""The customer widget (``/widget``): privacy notice and consent, then the chat.

Phone-first single column. The session lives in server-side Gradio state, never in the page.
What the chat shows is the engine's masked transcript, HTML-escaped, so a customer's personal
data and any markup they type are neutralised before they are stored or shown anywhere.
"""

from __future__ import annotations

import secrets
from typing import Any

import gradio as gr

from bot.types import Turn
from bot.web.context import WebContext
from bot.web.exports import SESSION, ExportShelf, download_link
from bot.web.privacy_notice import privacy_notice
from bot.web.schemas import MAX_MESSAGE_CHARS, MessageIn
from bot.web.views import chat_messages, customer_status

ESCALATE_REASON = "顾客在在线客服中点击“转人工”"
WELCOME = "您好，我是云杉优选智能客服。请描述您遇到的问题，发送第一条消息后我们会为您登记案件并告知案件编号。"


class WidgetHandlers:
    """The widget's event handlers, as plain methods so tests can call them without a browser."""

    def __init__(self, ctx: WebContext) -> None:
        self.ctx = ctx
        # The record goes to CSBOT_HOME/exports, bound to the session with a one-time key that only
        # this session's page is given (never Gradio's file cache in the system temp dir).
        self.shelf = ExportShelf(ctx.settings.home)
        self._offered: dict[str, str] = {}  # session -> the export id its page links to now

    def consent(self, agreed: bool) -> tuple[str | None, Any, Any, str, list[dict[str, str]], Any]:
        """Open a session only after consent (《个人信息保护法》第十三条、第十七条)."""
        if not agreed:
            raise gr.Error("请先勾选同意个人信息处理告知，才能开始在线咨询。")
        session = self.ctx.bot.new_session()
        self.ctx.consents.record(session, privacy_notice().policy_version, "widget")
        shown = (gr.update(visible=False), gr.update(visible=True))
        return session, *shown, WELCOME, [], gr.update(visible=False)

    def send(self, session: str | None, text: str) -> tuple[str, list[dict[str, str]], str, Any]:
        """One customer message; returns the cleared box, the masked chat, the status and the download."""
        if not session:
            raise gr.Error("请先阅读并同意个人信息处理告知。")
        try:
            clean = MessageIn(text=text).text
        except ValueError:
            raise gr.Error(f"请输入 1 到 {MAX_MESSAGE_CHARS} 字的文字消息。") from None
        self.ctx.bot.handle(Turn(session, clean))
        return ("", *self._refresh(session))

    def escalate(self, session: str | None) -> tuple[list[dict[str, str]], str, Any]:
        if not session:
            raise gr.Error("请先阅读并同意个人信息处理告知。")
        self.ctx.bot.escalate(session, ESCALATE_REASON, "customer")
        return self._refresh(session)

    def _refresh(self, session: str) -> tuple[list[dict[str, str]], str, Any]:
        view = self.ctx.bot.case_view(session)
        download = gr.update(visible=False)
        if view.step == "record":
            download = gr.update(visible=True, value=self.record_link(session, view.case_id))
        return chat_messages(view), customer_status(view), download

    def record_link(self, session: str, case_id: str) -> str:
        """A one-time link to the case's written record (standalone HTML) for this session only."""
        previous = self._offered.pop(session, None)
        if previous:
            self.shelf.remove(previous)  # only the newest link works
        key = secrets.token_urlsafe(24)
        export_id = self.shelf.put(
            self.ctx.bot.records.export(case_id, "html"), f"书面记录-{case_id}.html",
            f"{SESSION}{session}", "text/html; charset=utf-8", key=key,
        )
        self._offered[session] = export_id
        return download_link(export_id, "下载书面记录", key)


def build(ctx: WebContext) -> gr.Blocks:
    """The widget's layout and wiring."""
    notice = privacy_notice()
    handlers = WidgetHandlers(ctx)
    with gr.Blocks(title="在线客服 · 云杉优选", elem_classes=["csbot-widget"]) as blocks:
        session = gr.State(None)
        with gr.Column(visible=True, elem_id="notice") as notice_box:
            gr.Markdown(f"## {notice.title}")
            gr.Markdown(notice.markdown, elem_classes=["csbot-notice"])
            agreed = gr.Checkbox(label=notice.consent_label, value=False, elem_id="consent")
            start = gr.Button("同意并开始咨询", variant="primary", elem_id="start")
            gr.Markdown(notice.decline_note)
        with gr.Column(visible=False, elem_id="chat") as chat_box:
            status = gr.Markdown(elem_classes=["csbot-status"], elem_id="status")
            chat = gr.Chatbot(
                label="对话", height=420, elem_id="conversation", sanitize_html=True,
                feedback_options=None, buttons=[], layout="bubble",
            )
            text = gr.Textbox(
                placeholder="请描述您的问题，例如：我买的耳机坏了", show_label=False,
                max_length=MAX_MESSAGE_CHARS, lines=2, elem_id="message",
            )
            with gr.Row(elem_classes=["csbot-actions"]):
                send = gr.Button("发送", variant="primary", elem_id="send")
                human = gr.Button("转人工", elem_id="human")
            download = gr.HTML(visible=False, elem_id="download")
        start.click(handlers.consent, [agreed], [session, notice_box, chat_box, status, chat, download])
        send.click(handlers.send, [session, text], [text, chat, status, download])
        text.submit(handlers.send, [session, text], [text, chat, status, download])
        human.click(handlers.escalate, [session], [chat, status, download])
    return blocks
