"""The LLM drafter: langchain-openai ``ChatOpenAI`` against any OpenAI-compatible endpoint.

Untrusted by design. It receives masked text only (the prompt is built from ``DraftContext``, which
holds nothing else), streams the answer, and on any failure returns the template draft with the
reason in ``Draft.notes``. Every JSON body sent to the endpoint is kept in ``request_log`` so QA can
scan it for leaked personal data. Tokens are estimated from characters: ``get_num_tokens`` would
make tiktoken download its encoding, which fails offline.
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path
from typing import Any

import httpx

from bot.drafting.base import DraftContext, DrafterConfigError, register
from bot.drafting.template import TemplateDrafter, quote
from bot.settings import Settings
from bot.types import STEP_NAMES_ZH, Draft
from knowledge.datafile import DataModel, load_checked

PROMPT_FILE = Path(__file__).resolve().parent.parent / "config" / "llm_prompt.yaml"
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_REQUEST_LOG_SIZE = 1000


def estimate_tokens(text: str) -> int:
    """About one token per CJK character and one per four other characters (cl100k-like, rounded up)."""
    cjk = len(_CJK.findall(text))
    return cjk + (len(text) - cjk + 3) // 4


class PromptFile(DataModel):
    """bot/config/llm_prompt.yaml: the system prompt, the per-step prompt and the passages header."""

    system: str
    step: str
    passages_header: str


class LLMDrafter:
    """Drafts with an OpenAI-compatible chat model; falls back to templates on any error."""

    name = "llm"

    def __init__(self, settings: Settings, fallback: TemplateDrafter | None = None) -> None:
        if not settings.llm_base_url or not settings.llm_api_key:
            raise DrafterConfigError(
                "CSBOT_DRAFTER=llm needs an OpenAI-compatible endpoint: set CSBOT_LLM_BASE_URL "
                "(e.g. http://127.0.0.1:8000/v1) and CSBOT_LLM_API_KEY (and CSBOT_LLM_MODEL), "
                "or use the offline drafter with CSBOT_DRAFTER=template."
            )
        from langchain_openai import ChatOpenAI

        self.settings = settings
        self.fallback = fallback or TemplateDrafter()
        self.prompt = load_checked(PROMPT_FILE, PromptFile)
        self.request_log: deque[str] = deque(maxlen=_REQUEST_LOG_SIZE)
        self._http = httpx.Client(event_hooks={"request": [self._log_request]}, timeout=settings.llm_timeout_s)
        self.model = ChatOpenAI(
            model=settings.llm_model,
            base_url=settings.llm_base_url,
            api_key=settings.llm_api_key,  # type: ignore[arg-type]
            timeout=settings.llm_timeout_s,
            max_retries=settings.llm_max_retries,
            streaming=True,
            temperature=0.3,
            http_client=self._http,
        )

    def _log_request(self, request: httpx.Request) -> None:
        self.request_log.append(request.content.decode("utf-8", errors="replace"))

    def close(self) -> None:
        self._http.close()

    def messages(self, context: DraftContext, reference: str) -> list[tuple[str, str]]:
        """System prompt with step instructions and passages, then the masked conversation, within budget.

        Over budget, the oldest exchanges go first, then the last passages, then the reference draft's
        last sentences (a long rights section must not push the prompt past the endpoint's limit).
        """
        passages = [f"{p.label}：{quote(p) or ' '.join(p.text.split())[:120]}" for p in context.passages]
        history = [("human" if actor == "customer" else "ai", text) for actor, text in context.history]
        sentences = _sentences(reference)
        budget = self.settings.llm_max_prompt_tokens
        while True:
            step_text = self._step_text(context, "".join(sentences))
            system = "\n".join([str(self.prompt["system"]), step_text, str(self.prompt["passages_header"]), *passages])
            messages = [("system", system), *history, ("human", context.customer_text)]
            if sum(estimate_tokens(text) for _, text in messages) <= budget or not (history or passages or sentences):
                return messages
            if history:
                history.pop(0)
            elif passages:
                passages.pop()
            else:
                sentences.pop()

    def _step_text(self, context: DraftContext, reference: str) -> str:
        return str(self.prompt["step"]).format(
            procedure_name=context.procedure_name,
            step_name=STEP_NAMES_ZH.get(context.step, context.step),
            entered="、".join(STEP_NAMES_ZH.get(s, s) for s in context.entered) or "无",
            instructions=" ".join(context.instructions) or "按程序回复",
            required="；".join(context.required) or "无",
            asks="；".join(context.asks) or "无",
            reference=reference,
        )

    def draft(self, context: DraftContext) -> Draft:
        reference = self.fallback.draft(context)
        try:
            chunks = [str(chunk.content) for chunk in self.model.stream(self.messages(context, reference.text))]
        except Exception as error:  # any endpoint failure: the template draft stands in, and we say why
            return self._fallback(reference, f"llm_error: {_reason(error)}")
        text = "".join(chunks).strip()
        if not text:
            return self._fallback(reference, "llm_error: empty answer")
        return Draft(text=text, drafter=self.name, passages=context.passages)

    @staticmethod
    def _fallback(reference: Draft, note: str) -> Draft:
        return Draft(text=reference.text, drafter="llm->template", passages=reference.passages, notes=(note,))


def _sentences(text: str) -> list[str]:
    """The text cut after each 。！？ or newline, so dropping pieces never leaves half a sentence."""
    return re.findall(r"[^。！？\n]*(?:[。！？\n]|$)", text)[:-1] if text else []


def _reason(error: Exception) -> str:
    """Why the endpoint failed, without its response body: an upstream error page may echo any text."""
    status = getattr(error, "status_code", None)
    if isinstance(status, int):
        return f"{type(error).__name__}: HTTP {status}"
    return f"{type(error).__name__}: {str(error)[:160]}"


@register("llm")
def _make(settings: Settings) -> Any:
    return LLMDrafter(settings)
