"""The agent copilot (``/agent``, agent role): queue, masked conversation, draft with grounds, actions.

Every action goes through the engine: ``suggest`` drafts without sending, ``agent_send`` passes the
agent's (edited) text through the same output rails and records it under the agent's name,
``escalate`` hands the case on. Revealing a masked value asks the vault, which records who asked
and why before it answers.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from bot.web.auth import StaffUser
from bot.web.context import WebContext
from bot.web.quiet_choices import QuietDropdown, QuietRadio
from bot.web.schemas import MAX_MESSAGE_CHARS, MessageIn
from bot.web.views import chat_messages, checklist, citation_text, grounds_choices, placeholders_in, rail_flags

QUEUE_REFRESH_S = 15  # new and escalated conversations appear without a click
NO_SELECTION = "请先在左侧队列中选择一个会话。"


class AgentHandlers:
    """The copilot's event handlers as plain methods (tests call them without a browser)."""

    def __init__(self, ctx: WebContext) -> None:
        self.ctx = ctx
        self.queue = ctx.queue
        self._vault: Any = None

    def _agent(self, request: gr.Request) -> StaffUser:
        user = self.ctx.users.get(request.username) if request is not None and request.username else None
        if user is None or not user.may("copilot"):
            raise gr.Error("仅坐席客服可以操作。")
        return user

    def refresh_queue(self) -> Any:
        rows = self.queue.open_rows()
        return gr.update(choices=[(row.label(), row.session) for row in rows])

    def open(self, session: str | None) -> tuple[Any, ...]:
        """Show the selected conversation and a fresh draft (also kept aside, unedited, for "accept")."""
        if not session:
            raise gr.Error(NO_SELECTION)
        suggestion = self.ctx.bot.suggest(session)
        return (*self._show(session, suggestion), suggestion.reply)

    def regenerate(self, session: str | None) -> tuple[Any, ...]:
        return self.open(session)

    def accept(self, session: str | None, suggested: str | None, request: gr.Request) -> tuple[Any, ...]:
        """Send the draft exactly as the copilot proposed it."""
        if not suggested:
            raise gr.Error("还没有建议回复，请先选择会话或重新生成。")
        return self.send(session, suggested, request)

    def send(self, session: str | None, draft: str, request: gr.Request) -> tuple[Any, ...]:
        """Send the draft box's text as the agent edited it; it passes the same output rails."""
        agent = self._agent(request)
        if not session:
            raise gr.Error(NO_SELECTION)
        try:
            text = MessageIn(text=draft).text
        except ValueError:
            raise gr.Error(f"回复须为 1 到 {MAX_MESSAGE_CHARS} 字。") from None
        reply = self.ctx.bot.agent_send(session, agent.name, text)
        notice = "已发送（经输出检查后的文本）。" if reply.reply == text else "已发送；输出检查修改了部分内容，见对话。"
        return (*self._show(session, None), notice)

    def escalate(self, session: str | None, reason: str, request: gr.Request) -> tuple[Any, ...]:
        agent = self._agent(request)
        if not session:
            raise gr.Error(NO_SELECTION)
        if not reason.strip():
            raise gr.Error("请填写升级原因。")
        self.ctx.bot.escalate(session, reason.strip(), agent.name)
        return (*self._show(session, None), "已升级。")

    def close(self, session: str | None, reason: str, request: gr.Request) -> tuple[Any, str]:
        """End the conversation; the reason box is optional here (masked before the record keeps it)."""
        agent = self._agent(request)
        if not session:
            raise gr.Error(NO_SELECTION)
        self.queue.close(session, agent.name, reason.strip() or None)
        return self.refresh_queue(), "会话已结束，已从队列移除。"

    def reveal(self, session: str | None, placeholder: str | None, reason: str, request: gr.Request) -> str:
        """The real value behind a placeholder, for an agent with a reason; the vault records the reveal."""
        from guardrails.pii.vault import VaultError, open_vault

        agent = self._agent(request)
        if not agent.may("reveal"):
            raise gr.Error("当前角色不能查看遮盖的信息。")
        if not session or not placeholder:
            raise gr.Error("请选择会话和要查看的遮盖信息。")
        if not reason.strip():
            raise gr.Error("查看遮盖信息必须填写原因（会被记录）。")
        conversation = self.ctx.bot.case_view(session).case_id
        if self._vault is None:  # one vault (one engine) for every reveal, not a new one each time
            self._vault = open_vault(self.ctx.settings.vault_config)
        try:
            return self._vault.reveal(conversation, placeholder, actor=agent.name, reason=reason)
        except VaultError as error:
            raise gr.Error(f"无法查看：{error}") from None

    def ground(self, choice: str | None, session: str | None) -> str:
        if not choice or not session:
            return ""
        return citation_text(choice)

    def _show(self, session: str, suggestion: Any) -> tuple[Any, ...]:
        """Conversation, checklist, flags, the draft (when one was made), its grounds and placeholders."""
        view = self.ctx.bot.case_view(session)
        draft = gr.update() if suggestion is None else gr.update(value=suggestion.reply)
        cited = tuple(suggestion.citations) if suggestion is not None else ()
        grounds = gr.update(choices=grounds_choices((*cited, *view.last_passages)), value=None)
        return (
            chat_messages(view), checklist(view), rail_flags(view), draft, grounds,
            gr.update(choices=placeholders_in(view), value=None),
        )


def build(ctx: WebContext) -> gr.Blocks:
    handlers = AgentHandlers(ctx)
    with gr.Blocks(title="坐席助手 · 云杉优选") as blocks:
        gr.Markdown("## 坐席助手\n[首页 / 退出登录](/)")
        with gr.Row():
            with gr.Column(scale=1, min_width=240):
                queue = QuietRadio(label="待处理会话（升级优先，新到优先）", choices=[], elem_id="queue")
                refresh = gr.Button("刷新队列", size="sm", elem_id="refresh")
                steps = gr.Markdown(elem_id="checklist")
                flags = gr.Markdown(elem_id="flags", elem_classes=["csbot-flags"])
            with gr.Column(scale=2):
                chat = gr.Chatbot(label="对话（已遮盖）", height=360, elem_id="conversation", feedback_options=None)
                draft = gr.Textbox(label="建议回复（可编辑）", lines=5, max_length=MAX_MESSAGE_CHARS, elem_id="draft")
                with gr.Row(elem_classes=["csbot-actions"]):
                    accept = gr.Button("采纳草稿", variant="primary", elem_id="accept")
                    send = gr.Button("编辑后发送", variant="primary", elem_id="send")
                    regenerate = gr.Button("重新生成", elem_id="regenerate")
                    close = gr.Button("结束会话", elem_id="close")
                with gr.Row():
                    reason = gr.Textbox(label="原因（升级必填，结束会话可填）", scale=3, elem_id="escalate-reason")
                    escalate = gr.Button("升级", variant="stop", scale=1, elem_id="escalate")
                notice = gr.Markdown(elem_id="notice")
            with gr.Column(scale=1, min_width=240):
                grounds = gr.Radio(label="依据（点击查看原文）", choices=[], elem_id="grounds")
                ground_text = gr.Markdown(elem_id="ground-text")
                with gr.Accordion("查看遮盖信息（需填写原因，会被记录）", open=False):
                    placeholder = QuietDropdown(label="遮盖的信息", choices=[], elem_id="placeholder")
                    reveal_reason = gr.Textbox(label="原因", elem_id="reveal-reason")
                    reveal = gr.Button("查看", elem_id="reveal")
                    revealed = gr.Textbox(label="原文", interactive=False, elem_classes=["csbot-revealed"])
        suggested = gr.State(None)
        shown = [chat, steps, flags, draft, grounds, placeholder]
        blocks.load(handlers.refresh_queue, None, [queue])
        gr.Timer(QUEUE_REFRESH_S).tick(handlers.refresh_queue, None, [queue], show_progress="hidden")
        refresh.click(handlers.refresh_queue, None, [queue])
        queue.input(handlers.open, [queue], [*shown, suggested])  # a click only: a refresh never overwrites a draft
        regenerate.click(handlers.regenerate, [queue], [*shown, suggested])
        accept.click(handlers.accept, [queue, suggested], [*shown, notice])
        send.click(handlers.send, [queue, draft], [*shown, notice])
        escalate.click(handlers.escalate, [queue, reason], [*shown, notice])
        close.click(handlers.close, [queue, reason], [queue, notice])
        grounds.change(handlers.ground, [grounds, queue], [ground_text])
        reveal.click(handlers.reveal, [queue, placeholder, reveal_reason], [revealed])
    return blocks
