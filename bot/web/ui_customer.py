"""The customer widget (``/widget``): privacy notice and consent, then the chat.

Phone-first single column. The session lives in server-side Gradio state; the page keeps only the
session id and its bearer token (in ``localStorage``) so that a reload, or a return within the
token's life, resumes the same conversation. What the chat shows is the engine's masked transcript,
HTML-escaped. Nothing here raises a dialog: a message the widget cannot send is explained inline,
in Chinese, and the input stays usable. ``static/widget.js`` polls ``GET /api/v1/sessions/{id}/messages``
and refreshes the chat when an agent writes (人工客服已接入).
"""

from __future__ import annotations

import html
import json
import secrets
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import gradio as gr

from bot import customer_events
from bot.types import Turn
from bot.web.context import WebContext
from bot.web.data_models import WIDGET_COPY_FILE, WidgetCopyFile
from bot.web.exports import SESSION, ExportShelf, download_link
from bot.web.language import foreign_language
from bot.web.messages import Conversation, conversation
from bot.web.privacy_notice import privacy_notice
from bot.web.schemas import MAX_MESSAGE_CHARS, MessageIn
from bot.web.views import chat_messages, customer_status
from knowledge.datafile import load_checked

ESCALATE_REASON = "顾客在在线客服中点击“转人工”"
WIDGET_JS = (Path(__file__).parent / "static" / "widget.js").read_text(encoding="utf-8")
READ_STORED = "() => window.localStorage.getItem('csbot-widget') || ''"
KEEP = gr.update()
ATTACH_HTML = (
    '<label class="csbot-attach">发送图片或视频（JPEG、PNG、WEBP 图片或 MP4 视频）'
    '<input type="file" id="attach-input" accept="image/jpeg,image/png,image/webp,video/mp4"></label>'
    '<p id="attach-hint" class="csbot-attach-hint" role="status"></p>'
)


@cache
def copy() -> dict[str, Any]:
    return dict(load_checked(WIDGET_COPY_FILE, WidgetCopyFile))


class WidgetHandlers:
    """The widget's event handlers, as plain methods so tests can call them without a browser.

    Every handler that shows the conversation returns ``(token, *view)``, where ``view`` is
    ``(chat, status, badge, download, rating_box, state)`` (see ``render``).
    """

    VIEW_SIZE = 6

    def __init__(self, ctx: WebContext) -> None:
        self.ctx = ctx
        # The record goes to CSBOT_HOME/exports, bound to the session with a one-time key that only
        # this session's page is given (never Gradio's file cache in the system temp dir).
        self.shelf = ExportShelf(ctx.settings.home)
        self._offered: dict[str, str] = {}  # session -> the export id its page links to now

    # --- opening and resuming ---------------------------------------------------------------------
    def consent(self, agreed: bool) -> tuple[Any, ...]:
        """Open a session only after consent (《个人信息保护法》第十三条、第十七条); else say so inline."""
        if not agreed:
            return (None, None, KEEP, KEEP, copy()["consent_needed"], KEEP, *self._unchanged())
        session = self.ctx.bot.new_session()
        self.ctx.consents.record(session, privacy_notice().policy_version, "widget")
        return self._opened(session, self.ctx.tokens.issue(session))

    def resume(self, stored: str | None) -> tuple[Any, ...]:
        """The page was reloaded (or the customer came back): reopen the stored session if its token allows."""
        session, token = _stored(stored)
        if session and token and self.ctx.bot.records.load_case(session) is not None:
            checked = self.ctx.tokens.check(token)
            if checked.session == session and not checked.ok:
                token = self.ctx.tokens.renew(token, session)  # expired or ended, within the resume window
            elif checked.session != session:
                token = None
            if token:
                return self._opened(session, token)
        forget = _state_html(None, None, None, forget=bool(stored))
        return (None, None, KEEP, KEEP, "", KEEP, *self._unchanged()[:-1], forget)

    def _opened(self, session: str, token: str) -> tuple[Any, ...]:
        shown = (gr.update(visible=False), gr.update(visible=True))
        token, *view = self.render(session, token)
        return (session, token, *shown, "", "", *view)

    # --- the conversation -------------------------------------------------------------------------
    def send(self, session: str | None, token: str | None, text: str) -> tuple[Any, ...]:
        """One customer message; returns the box, the inline notice, the token and the view."""
        if not session:
            return (KEEP, copy()["session_lost"], token, *self._unchanged())
        notes = []
        raw = text or ""
        if len(raw.strip()) > MAX_MESSAGE_CHARS:
            raw = raw.strip()[:MAX_MESSAGE_CHARS]
            notes.append(copy()["message_cut"].format(limit=MAX_MESSAGE_CHARS))
        if not raw.strip():
            return (KEEP, copy()["empty_message"], token, *self._unchanged())
        try:
            clean = MessageIn(text=raw).text
        except ValueError:
            return (KEEP, copy()["bad_message"], token, *self._unchanged())
        self.ctx.bot.handle(Turn(session, clean))
        language = foreign_language(clean)
        if language is not None:
            notes.append(copy()["language_notes"][language])
        return ("", "\n\n".join(notes), *self.render(session, token))

    def escalate(self, session: str | None, token: str | None) -> tuple[Any, ...]:
        if not session:
            return (copy()["session_lost"], token, *self._unchanged())
        self.ctx.bot.escalate(session, ESCALATE_REASON, "customer")
        return (copy()["escalated"], *self.render(session, token))

    def refresh(self, session: str | None, token: str | None) -> tuple[Any, ...]:
        """What the poller asks for when the conversation changed (an agent wrote, the case closed)."""
        if not session:
            return (token, *self._unchanged())
        return self.render(session, token)

    def rate(self, session: str | None, token: str | None, rating: str | None) -> tuple[Any, ...]:
        """The answer to the satisfaction question at the close, stored with the case."""
        if not session:
            return (copy()["session_lost"], token, *self._unchanged())
        if rating not in customer_events.ratings():
            return (copy()["rating_needed"], token, *self._unchanged())
        self.ctx.bot.record_satisfaction(session, str(rating))
        return (copy()["rated"], *self.render(session, token))

    def transcript(self, session: str | None) -> Any:
        """A one-time link to the conversation as text (masked, as shown), for this session only."""
        if not session:
            return gr.update(value=copy()["session_lost"])
        now = conversation(self.ctx.bot, session)
        case_id = self.ctx.bot.case_view(session).case_id
        names = copy()["actor_names"]
        lines = [copy()["transcript_title"], f"案件编号：{case_id}", ""]
        lines += [
            f"[{line.time[:19].replace('T', ' ')}] {names.get(line.actor, line.actor)}：{line.text}"
            for line in now.lines
        ]
        key = secrets.token_urlsafe(24)
        export_id = self.shelf.put(
            "\n".join(lines) + "\n",
            f"对话记录-{case_id}.txt",
            f"{SESSION}{session}",
            "text/plain; charset=utf-8",
            key=key,
        )
        return gr.update(
            value=download_link(export_id, copy()["transcript_link"], key).replace(
                'id="download-link"', 'id="transcript-link"'
            ),
            visible=True,
        )

    # --- what the page shows ----------------------------------------------------------------------
    def render(self, session: str, token: str | None) -> tuple[Any, ...]:
        """``(token, chat, status, badge, download, rating_box, state)``; a token that no longer opens
        the session (it ended, or expired while the page stayed open) is replaced for this page."""
        if token is None or self.ctx.tokens.session_of(token) != session:
            token = self.ctx.tokens.issue(session)
        now = conversation(self.ctx.bot, session)
        view = self.ctx.bot.case_view(session)
        status = customer_status(view) if now.lines else copy()["welcome"]
        download = gr.update(visible=False)
        if view.step == "record":
            download = gr.update(visible=True, value=self.record_link(session, view.case_id))
        chat = chat_messages(SimpleNamespace(transcript=[line.to_json() for line in now.lines]))
        rating = gr.update(visible=now.closed and not now.rated, value=None)
        return (token, chat, status, _badge(now), download, rating, _state_html(session, token, now))

    def _unchanged(self) -> tuple[Any, ...]:
        return tuple(KEEP for _ in range(self.VIEW_SIZE))

    def record_link(self, session: str, case_id: str) -> str:
        """A one-time link to the case's written record (standalone HTML) for this session only."""
        previous = self._offered.pop(session, None)
        if previous:
            self.shelf.remove(previous)  # only the newest link works
        key = secrets.token_urlsafe(24)
        export_id = self.shelf.put(
            self.ctx.bot.records.export(case_id, "html"),
            f"书面记录-{case_id}.html",
            f"{SESSION}{session}",
            "text/html; charset=utf-8",
            key=key,
        )
        self._offered[session] = export_id
        return download_link(export_id, "下载书面记录", key)


def _stored(stored: str | None) -> tuple[str | None, str | None]:
    try:
        value = json.loads(stored or "null")
    except ValueError:
        return None, None
    if not isinstance(value, dict):
        return None, None
    session, token = value.get("session"), value.get("token")
    ok = isinstance(session, str) and isinstance(token, str) and 0 < len(session) <= 80 and len(token) <= 400
    return (session, token) if ok else (None, None)


def _badge(now: Conversation) -> str:
    if now.owner == "bot":
        return ""
    label = html.escape(copy()["agent_badge"][now.owner])
    return f'<div class="csbot-agent-badge" data-agent="{now.owner}" role="status">{label}</div>'


def _state_html(session: str | None, token: str | None, now: Conversation | None, forget: bool = False) -> str:
    """What ``widget.js`` reads: the session and token to keep, and what the page shows already."""
    if session is None or token is None or now is None:
        return f'<div id="widget-state" data-forget="{int(forget)}"></div>'
    values = {"session": session, "token": token, "seq": now.last_seq, "agent": now.owner, "closed": int(now.closed)}
    attributes = " ".join(f'data-{key}="{html.escape(str(value))}"' for key, value in values.items())
    return f'<div id="widget-state" {attributes}></div>'


def build(ctx: WebContext) -> gr.Blocks:
    """The widget's layout and wiring."""
    notice = privacy_notice()
    handlers = WidgetHandlers(ctx)
    blocks: gr.Blocks  # gradio types __enter__ loosely
    with gr.Blocks(title="在线客服 · 云杉优选", elem_classes=["csbot-widget"]) as blocks:
        session, token = gr.State(None), gr.State(None)
        stored = gr.Textbox(visible=True, elem_id="stored", elem_classes=["csbot-hidden"], show_label=False)
        state = gr.HTML(_state_html(None, None, None), elem_id="widget-meta", elem_classes=["csbot-hidden"])
        refresh = gr.Button("刷新", elem_id="refresh", elem_classes=["csbot-hidden"])
        with gr.Column(visible=True, elem_id="notice") as notice_box:
            gr.Markdown(f"## {notice.title}")
            gr.Markdown(notice.markdown, elem_classes=["csbot-notice"])
            agreed = gr.Checkbox(label=notice.consent_label, value=False, elem_id="consent")
            consent_hint = gr.Markdown(elem_id="consent-hint", elem_classes=["csbot-hint"])
            start = gr.Button("同意并开始咨询", variant="primary", elem_id="start")
            gr.Markdown(notice.decline_note)
        with gr.Column(visible=False, elem_id="chat") as chat_box:
            badge = gr.HTML(elem_id="agent-badge")
            status = gr.Markdown(elem_classes=["csbot-status"], elem_id="status")
            chat = gr.Chatbot(
                show_label=False,
                height=420,
                elem_id="conversation",
                sanitize_html=True,
                feedback_options=None,
                buttons=[],
                layout="bubble",
            )
            message_hint = gr.Markdown(elem_id="hint", elem_classes=["csbot-hint"])
            # lines=1 with room to grow: Enter sends, Shift+Enter adds a line. No max_length: the
            # browser would cut a long paste silently; the handler cuts it and says so.
            text = gr.Textbox(
                placeholder="请描述您的问题（Enter 发送，Shift+Enter 换行）",
                show_label=False,
                lines=1,
                max_lines=6,
                elem_id="message",
            )
            with gr.Row(elem_classes=["csbot-actions"]):
                send = gr.Button("发送", variant="primary", elem_id="send")
                human = gr.Button("转人工", elem_id="human")
            gr.HTML(ATTACH_HTML, elem_id="attach")  # widget.js uploads to POST …/attachments
            with gr.Column(visible=False, elem_id="rating-box") as rating_box:
                rating = gr.Radio(
                    [(label, key) for key, label in customer_events.ratings().items()],
                    label=customer_events.question(),
                    elem_id="rating",
                )
            download = gr.HTML(visible=False, elem_id="download")
            with gr.Row(elem_classes=["csbot-actions"]):
                transcript = gr.Button(copy()["transcript_link"], size="sm", elem_id="transcript")
            transcript_link = gr.HTML(visible=False, elem_id="transcript-download")
        view = [chat, status, badge, download, rating_box, state]
        opened = [session, token, notice_box, chat_box, consent_hint, message_hint, *view]
        blocks.load(handlers.resume, [stored], opened, js=READ_STORED, show_progress="hidden")
        start.click(handlers.consent, [agreed], opened)
        for event in (send.click, text.submit):
            event(handlers.send, [session, token, text], [text, message_hint, token, *view])
        human.click(handlers.escalate, [session, token], [message_hint, token, *view])
        refresh.click(handlers.refresh, [session, token], [token, *view], show_progress="hidden")
        rating.input(handlers.rate, [session, token, rating], [message_hint, token, *view])
        transcript.click(handlers.transcript, [session], [transcript_link])
    return blocks
