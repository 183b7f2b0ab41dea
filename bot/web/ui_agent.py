"""The agent copilot (``/agent``, agent role): queue, masked conversation, draft with grounds, actions.

Every action goes through the engine: ``suggest`` drafts without sending; on send the output rails
*check* the agent's text (``check_agent_text``) and, when one objects, the page shows what and why
(in Chinese) and the agent edits or confirms: ``agent_send`` then sends the text exactly as typed,
records it masked under the agent's name with the rails' verdicts. ``escalate`` hands the case on;
taking a case (``take_case``) makes the agent its owner (``bot.ownership.case_owner``); 核对事实
confirms stated facts as verified under the agent's account (``verify_facts``). Internal
notes are case records the customer never sees. Revealing a masked value asks the vault, which
records who asked and why before it answers.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from bot.types import STEP_IDS, STEP_NAMES_ZH
from bot.web import workspace
from bot.web.auth import StaffUser
from bot.web.context import WebContext
from bot.web.queue import QueueFilter
from bot.web.quiet_choices import QuietDropdown, QuietRadio
from bot.web.schemas import MAX_MESSAGE_CHARS, MessageIn
from bot.web.verify_panel import entry_choices, fact_choices, verified_text
from bot.web.views import (
    chat_messages,
    checklist,
    citation_label,
    citation_text,
    grounds_choices,
    objections_text,
    placeholders_in,
    rail_flags,
)

QUEUE_REFRESH_S = 15  # new and escalated conversations appear without a click
NO_SELECTION = "请先在左侧队列中选择一个会话。"
OWNER_CHOICES = [("全部", "all"), ("我的", "mine"), ("未分配", "unassigned")]
STEP_CHOICES = [("全部步骤", ""), *((STEP_NAMES_ZH[step], step) for step in STEP_IDS)]
MAX_REGENERATE_TRIES = 4  # variants tried for a draft that differs from the one shown
SHORTCUTS_HELP = (
    "快捷键：**Ctrl+Enter** 发送（检查后）　**Alt+R** 重新生成　**Alt+T** 接手会话　**Alt+M** 插入所选快捷回复"
)
# Bound once per page; a function, not an expression string (the page's CSP forbids eval of strings).
SHORTCUTS_JS = """() => {
  if (window.csbotShortcuts) return;
  window.csbotShortcuts = true;
  const click = (id) => { const b = document.getElementById(id); if (b) b.click(); };
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey && e.key === 'Enter') { e.preventDefault(); click('send'); }
    else if (e.altKey && e.code === 'KeyR') { e.preventDefault(); click('regenerate'); }
    else if (e.altKey && e.code === 'KeyT') { e.preventDefault(); click('take'); }
    else if (e.altKey && e.code === 'KeyM') { e.preventDefault(); click('insert-macro'); }
  });
}"""


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

    def refresh_queue(
        self,
        text: str = "",
        step: str | None = "",
        escalated_only: bool = False,
        owner: str | None = "all",
        request: gr.Request = None,  # type: ignore[assignment]
    ) -> Any:
        me = request.username if request is not None and request.username else ""
        wanted = QueueFilter(
            text=text or "", step=step or "", escalated_only=bool(escalated_only), owner=owner or "all", me=me or ""
        )
        rows = self.queue.matching(wanted)
        return gr.update(choices=[(row.label(), row.session) for row in rows])

    def open(self, session: str | None, request: gr.Request = None) -> tuple[Any, ...]:  # type: ignore[assignment]
        """Show the selected conversation and a fresh draft (also kept aside, unedited, for "accept")."""
        if not session:
            raise gr.Error(NO_SELECTION)
        suggestion = self.ctx.bot.suggest(session)
        return (*self._show(session, suggestion, request), suggestion.reply, 0, *self._no_check())

    def regenerate(
        self,
        session: str | None,
        variant: int | None,
        shown: str | None,
        request: gr.Request = None,  # type: ignore[assignment]
    ) -> tuple[Any, ...]:
        """Another draft: the next wording that differs from the draft on screen."""
        if not session:
            raise gr.Error(NO_SELECTION)
        number = int(variant or 0)
        for _ in range(MAX_REGENERATE_TRIES):
            number += 1
            suggestion = self.ctx.bot.suggest(session, variant=number)
            if suggestion.reply != (shown or ""):
                break
        return (*self._show(session, suggestion, request), suggestion.reply, number, *self._no_check())

    def accept(
        self, session: str | None, suggested: str | None, request: gr.Request, confirmed: bool = False
    ) -> tuple[Any, ...]:
        """Send the draft exactly as the copilot proposed it (checked like any text the agent sends)."""
        if not suggested:
            raise gr.Error("还没有建议回复，请先选择会话或重新生成。")
        return self.send(session, suggested, request, confirmed)

    def send(self, session: str | None, draft: str, request: gr.Request, confirmed: bool = False) -> tuple[Any, ...]:
        """Check the draft box's text; send it as typed when the checks pass or the agent confirmed.

        When a check objects and the agent has not confirmed, nothing is sent: the objections are
        shown with 仍按原文发送 / 返回修改, and the text waits in the pending state.
        """
        agent = self._agent(request)
        if not session:
            raise gr.Error(NO_SELECTION)
        try:
            text = MessageIn(text=draft).text
        except ValueError:
            raise gr.Error(f"回复须为 1 到 {MAX_MESSAGE_CHARS} 字。") from None
        if not confirmed:
            check = self.ctx.bot.check_agent_text(session, text)
            if not check.clean:
                unchanged = [gr.update()] * 9
                return (
                    *unchanged,
                    "发送前检查发现问题，请查看后选择。",
                    objections_text(check),
                    gr.update(visible=True),
                    text,
                )
        self.ctx.bot.agent_send(session, agent.name, text)
        shown = self._show(session, None, request)
        cleared = (*shown[:3], gr.update(value=""), *shown[4:])
        return (*cleared, "已发送（按您的原文发送）。", "", gr.update(visible=False), None)

    def send_anyway(self, session: str | None, pending: str | None, draft: str, request: gr.Request) -> tuple[Any, ...]:
        """The agent read the objections and sends the checked text as written."""
        if not pending:
            raise gr.Error("没有待确认的回复，请重新点击发送。")
        if (draft or "").strip() != pending:  # edited after the check: check the new text first
            return self.send(session, draft, request)
        return self.send(session, pending, request, confirmed=True)

    def back_to_edit(self) -> tuple[Any, ...]:
        return "已取消发送，请修改后再发送。", *self._no_check()

    @staticmethod
    def _no_check() -> tuple[Any, ...]:
        return "", gr.update(visible=False), None

    def escalate(self, session: str | None, reason: str, request: gr.Request) -> tuple[Any, ...]:
        agent = self._agent(request)
        if not session:
            raise gr.Error(NO_SELECTION)
        if not reason.strip():
            raise gr.Error("请填写升级原因。")
        self.ctx.bot.escalate(session, reason.strip(), agent.name)
        return (*self._show(session, None, request), "已升级。")

    def take(self, session: str | None, request: gr.Request) -> tuple[str, str]:
        """This agent owns the case now: the bot stops answering the customer and drafts for them."""
        agent = self._agent(request)
        if not session:
            raise gr.Error(NO_SELECTION)
        self.ctx.bot.take_case(session, agent.name)
        return workspace.owner_text(self.ctx.bot, session, agent.name), "已接手该会话。"

    def release(self, session: str | None, request: gr.Request) -> tuple[str, str]:
        agent = self._agent(request)
        if not session:
            raise gr.Error(NO_SELECTION)
        owner = self.ctx.bot.case_owner(session)
        if owner != agent.name:
            raise gr.Error("只有当前处理人可以释放该会话。" if owner else "该会话尚未被接手。")
        self.ctx.bot.release_case(session, agent.name)
        return workspace.owner_text(self.ctx.bot, session, agent.name), "已释放，会话回到队列。"

    def add_note(self, session: str | None, note: str, request: gr.Request) -> tuple[str, str, str]:
        """An internal note (masked before it is kept); the customer never sees it."""
        agent = self._agent(request)
        if not session:
            raise gr.Error(NO_SELECTION)
        if not (note or "").strip():
            raise gr.Error("备注不能为空。")
        try:
            self.ctx.bot.add_note(session, agent.name, note)
        except ValueError:
            raise gr.Error("备注须为 1 到 500 字。") from None
        return workspace.notes_text(self.ctx.bot, session), "", "已添加内部备注。"

    def verify_choices(self, session: str | None) -> tuple[Any, Any, str]:
        """The 核对事实 panel of the selected case: facts to confirm, facts to enter, what is verified."""
        if not session:
            return gr.update(choices=[], value=[]), gr.update(choices=[], value=None), ""
        view = self.ctx.bot.case_view(session)
        return (
            gr.update(choices=fact_choices(view), value=[]),
            gr.update(choices=entry_choices(view), value=None),
            verified_text(view),
        )

    def verify(
        self,
        session: str | None,
        keys: list[str] | None,
        entry_key: str | None,
        entry_value: str | None,
        request: gr.Request,
    ) -> tuple[Any, ...]:
        """The agent confirms the ticked facts (and a value they checked) as verified, under their account."""
        from bot.verification import VerifyError

        agent = self._agent(request)
        if not session:
            raise gr.Error(NO_SELECTION)
        value = (entry_value or "").strip()
        values = {entry_key: value} if entry_key and value else {}
        try:
            self.ctx.bot.verify_facts(session, agent.name, list(keys or []), values)
        except VerifyError as error:
            raise gr.Error(str(error)) from None
        return (*self.verify_choices(session), "", "已记录：以上事实经客服核对（记入书面记录）。")

    def insert_macro(self, draft: str, title: str | None) -> str:
        if not title:
            raise gr.Error("请先选择一条快捷回复。")
        try:
            return workspace.with_macro(draft or "", title)
        except KeyError:
            raise gr.Error("没有这条快捷回复。") from None

    def insert_ground(self, draft: str, choice: str | None, session: str | None) -> str:
        """Cite the selected source in the draft: its label, as the citation rail will check it."""
        if not choice or not session:
            raise gr.Error("请先在右侧选择一条依据。")
        kind, source, number = choice.split("|", 2)
        label = citation_label(
            {"law": source, "article": number} if kind == "statute" else {"doc": source, "section": number}
        )
        return f"{(draft or '').rstrip()}依据{label}。" if (draft or "").strip() else f"依据{label}。"

    def close(self, session: str | None, reason: str, request: gr.Request) -> tuple[Any, str]:
        """End the conversation; the reason box is optional here (masked before the record keeps it)."""
        agent = self._agent(request)
        if not session:
            raise gr.Error(NO_SELECTION)
        self.queue.close(session, agent.name, reason.strip() or None)
        return self.refresh_queue(request=request), "会话已结束，已从队列移除。"

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
            return str(self._vault.reveal(conversation, placeholder, actor=agent.name, reason=reason))
        except VaultError as error:
            raise gr.Error(f"无法查看：{error}") from None

    def ground(self, choice: str | None, session: str | None) -> str:
        if not choice or not session:
            return ""
        return citation_text(choice)

    def _show(self, session: str, suggestion: Any, request: gr.Request | None = None) -> tuple[Any, ...]:
        """Conversation, checklist, flags, the draft (when one was made), its grounds, placeholders, and
        the side panels: order / earlier cases / SLA, the owner, the internal notes."""
        bot = self.ctx.bot
        view = bot.case_view(session)
        draft = gr.update() if suggestion is None else gr.update(value=suggestion.reply)
        cited = tuple(suggestion.citations) if suggestion is not None else ()
        grounds = gr.update(choices=grounds_choices((*cited, *view.last_passages)), value=None)
        me = request.username if request is not None else None
        return (
            chat_messages(view),
            checklist(view),
            rail_flags(view),
            draft,
            grounds,
            gr.update(choices=placeholders_in(view), value=None),
            workspace.panel(bot, session, view),
            workspace.owner_text(bot, session, me),
            workspace.notes_text(bot, session),
        )


def build(ctx: WebContext) -> gr.Blocks:
    handlers = AgentHandlers(ctx)
    blocks: gr.Blocks  # gradio types __enter__ loosely
    with gr.Blocks(title="坐席助手 · 云杉优选") as blocks:
        gr.Markdown("## 坐席助手\n[首页 / 退出登录](/)")
        with gr.Row():
            with gr.Column(scale=1, min_width=240):
                search = gr.Textbox(label="搜索（案件编号、流程、顾客所说）", elem_id="queue-search")
                with gr.Row():
                    step = QuietDropdown(label="步骤", choices=STEP_CHOICES, value="", elem_id="queue-step")
                    owner = QuietDropdown(label="处理人", choices=OWNER_CHOICES, value="all", elem_id="queue-owner")
                escalated_only = gr.Checkbox(label="只看已升级", elem_id="queue-escalated")
                queue = QuietRadio(label="待处理会话（升级优先，新到优先）", choices=[], elem_id="queue")
                refresh = gr.Button("刷新队列", size="sm", elem_id="refresh")
                steps = gr.Markdown(elem_id="checklist")
                flags = gr.Markdown(elem_id="flags", elem_classes=["csbot-flags"])
            with gr.Column(scale=2):
                with gr.Row():
                    owner_line = gr.Markdown(elem_id="owner")
                    take = gr.Button("接手", size="sm", elem_id="take")
                    release = gr.Button("释放", size="sm", elem_id="release")
                chat = gr.Chatbot(label="对话（已遮盖）", height=360, elem_id="conversation", feedback_options=None)
                draft = gr.Textbox(label="建议回复（可编辑）", lines=5, max_length=MAX_MESSAGE_CHARS, elem_id="draft")
                with gr.Row():
                    macro = QuietDropdown(
                        label="快捷回复", choices=[t for t, _ in workspace.macros()], scale=3, elem_id="macro"
                    )
                    insert_macro = gr.Button("插入快捷回复", size="sm", scale=1, elem_id="insert-macro")
                with gr.Row(elem_classes=["csbot-actions"]):
                    accept = gr.Button("采纳草稿", variant="primary", elem_id="accept")
                    send = gr.Button("编辑后发送", variant="primary", elem_id="send")
                    regenerate = gr.Button("重新生成", elem_id="regenerate")
                    close = gr.Button("结束会话", elem_id="close")
                check = gr.Markdown(elem_id="check")
                with gr.Row(visible=False, elem_id="confirm") as confirm:
                    send_anyway = gr.Button("仍按原文发送", variant="stop", elem_id="send-anyway")
                    back = gr.Button("返回修改", elem_id="back-to-edit")
                with gr.Row():
                    reason = gr.Textbox(label="原因（升级必填，结束会话可填）", scale=3, elem_id="escalate-reason")
                    escalate = gr.Button("升级", variant="stop", scale=1, elem_id="escalate")
                notice = gr.Markdown(elem_id="notice")
                gr.Markdown(SHORTCUTS_HELP, elem_id="shortcuts")
            with gr.Column(scale=1, min_width=240):
                side = gr.Markdown(elem_id="customer-panel")
                grounds = gr.Radio(label="依据（点击查看原文）", choices=[], elem_id="grounds")
                ground_text = gr.Markdown(elem_id="ground-text")
                insert_ground = gr.Button("在回复中引用此依据", size="sm", elem_id="insert-ground")
                with gr.Accordion("核对事实（记入书面记录）", open=False):
                    verified_line = gr.Markdown(elem_id="verified")
                    verify_facts = gr.CheckboxGroup(label="已核对的事实", choices=[], elem_id="verify-facts")
                    with gr.Row():
                        verify_key = QuietDropdown(label="填写核对后的值", choices=[], elem_id="verify-key")
                        verify_value = gr.Textbox(label="值（日期如 2026-11-27）", elem_id="verify-value")
                    verify = gr.Button("确认已核对", size="sm", elem_id="verify")
                notes = gr.Markdown(elem_id="notes")
                note = gr.Textbox(label="内部备注（顾客看不到）", lines=2, max_length=500, elem_id="note")
                add_note = gr.Button("添加备注", size="sm", elem_id="add-note")
                with gr.Accordion("查看遮盖信息（需填写原因，会被记录）", open=False):
                    placeholder = QuietDropdown(label="遮盖的信息", choices=[], elem_id="placeholder")
                    reveal_reason = gr.Textbox(label="原因", elem_id="reveal-reason")
                    reveal = gr.Button("查看", elem_id="reveal")
                    revealed = gr.Textbox(label="原文", interactive=False, elem_classes=["csbot-revealed"])
        suggested = gr.State(None)
        variant = gr.State(0)
        pending = gr.State(None)
        shown = [chat, steps, flags, draft, grounds, placeholder, side, owner_line, notes]
        checked = [notice, check, confirm, pending]
        filters = [search, step, escalated_only, owner]
        blocks.load(handlers.refresh_queue, filters, [queue])
        blocks.load(None, js=SHORTCUTS_JS)
        gr.Timer(QUEUE_REFRESH_S).tick(handlers.refresh_queue, filters, [queue], show_progress="hidden")
        refresh.click(handlers.refresh_queue, filters, [queue])
        search.submit(handlers.refresh_queue, filters, [queue])
        for control in (step, escalated_only, owner):
            control.input(handlers.refresh_queue, filters, [queue])
        opened = [*shown, suggested, variant, check, confirm, pending]
        queue.input(handlers.open, [queue], opened)  # a click only: a refresh never overwrites a draft
        queue.input(handlers.verify_choices, [queue], [verify_facts, verify_key, verified_line])
        verify.click(
            handlers.verify,
            [queue, verify_facts, verify_key, verify_value],
            [verify_facts, verify_key, verified_line, verify_value, notice],
        )
        regenerate.click(handlers.regenerate, [queue, variant, draft], opened)
        accept.click(handlers.accept, [queue, suggested], [*shown, *checked])
        send.click(handlers.send, [queue, draft], [*shown, *checked])
        send_anyway.click(handlers.send_anyway, [queue, pending, draft], [*shown, *checked])
        back.click(handlers.back_to_edit, None, checked)
        take.click(handlers.take, [queue], [owner_line, notice])
        release.click(handlers.release, [queue], [owner_line, notice])
        add_note.click(handlers.add_note, [queue, note], [notes, note, notice])
        insert_macro.click(handlers.insert_macro, [draft, macro], [draft])
        insert_ground.click(handlers.insert_ground, [draft, grounds, queue], [draft])
        escalate.click(handlers.escalate, [queue, reason], [*shown, notice])
        close.click(handlers.close, [queue, reason], [queue, notice])
        grounds.change(handlers.ground, [grounds, queue], [ground_text])
        reveal.click(handlers.reveal, [queue, placeholder, reveal_reason], [revealed])
    return blocks
