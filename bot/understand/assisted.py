"""The LLM fact extractor: one masked message to an OpenAI-compatible endpoint, facts back as JSON.

Untrusted by design, like the LLM drafter. It receives the masked message, today's date and the slot
keys the bot just asked for, nothing else; it asks for structured output (``response_format`` with the
JSON schema of bot/understand/llm_schema.py) and validates what comes back against that schema. Any
failure (endpoint down, a timeout, an HTTP error, text that is not JSON, JSON outside the schema)
yields no facts and a reason, and the deterministic layer carries the turn alone. The reason names
the kind of failure, never the endpoint's words (an error page may echo any text). Every request body
is kept in ``request_log`` so QA can scan it for personal data.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
import jsonschema

from bot.settings import Settings
from bot.understand.data import table
from bot.understand.llm_schema import fact_schema, response_format
from bot.understand.support import check

_REQUEST_LOG_SIZE = 1000


@dataclass(frozen=True)
class Proposal:
    """The facts the LLM proposed (unchecked), or why there are none."""

    facts: dict[str, object] = field(default_factory=dict)
    error: str | None = None


@dataclass(frozen=True)
class ReaderConfig:
    base_url: str
    api_key: str
    model: str
    timeout_s: float
    max_retries: int


class FactReader:
    """Asks an OpenAI-compatible endpoint for the facts in one masked message."""

    def __init__(self, config: ReaderConfig) -> None:
        self.config = config
        self.request_log: deque[str] = deque(maxlen=_REQUEST_LOG_SIZE)
        self._http = httpx.Client(
            event_hooks={"request": [self._log_request]},
            timeout=config.timeout_s,
            headers={"Authorization": f"Bearer {config.api_key}", "Content-Type": "application/json"},
        )

    def _log_request(self, request: httpx.Request) -> None:
        self.request_log.append(request.content.decode("utf-8", errors="replace"))

    def close(self) -> None:
        self._http.close()

    def messages(self, masked_text: str, today: date, asks: tuple[str, ...] = ()) -> list[dict[str, str]]:
        words = table("llm_facts")
        system = str(words["system"]).replace("{today}", today.isoformat())
        if asks:
            system += "\n" + str(words["asking"]).replace("{asks}", "、".join(asks))
        return [{"role": "system", "content": system}, {"role": "user", "content": masked_text}]

    def read(self, masked_text: str, today: date, asks: tuple[str, ...] = ()) -> Proposal:
        """The proposed facts; never raises (a failure is a reason, and the turn goes on without them)."""
        body = {
            "model": self.config.model,
            "messages": self.messages(masked_text, today, asks),
            "response_format": response_format(),
            "temperature": 0,
        }
        try:
            content = self._post(body)
        except Exception as error:  # any endpoint failure: the deterministic layer stands alone
            return Proposal(error=f"llm_error: {_reason(error)}")
        return parse(content)

    def _post(self, body: dict[str, Any]) -> str:
        """POST /chat/completions; a refused connection or a 5xx is retried ``max_retries`` times, a
        timeout is not (the customer is waiting: the word lists answer instead)."""
        url = self.config.base_url.rstrip("/") + "/chat/completions"
        data = json.dumps(body, ensure_ascii=False).encode()  # readable, so a scan of the body finds any leak
        for attempt in range(self.config.max_retries + 1):
            last = attempt == self.config.max_retries
            try:
                response = self._http.post(url, content=data)
            except httpx.TimeoutException:
                raise
            except httpx.TransportError:
                if last:
                    raise
                continue
            if response.status_code >= 500 and not last:
                continue
            response.raise_for_status()
            return str(response.json()["choices"][0]["message"]["content"] or "")
        raise RuntimeError("unreachable")


@dataclass(frozen=True)
class Assist:
    """One message's LLM facts after the check: those the customer's words support, those dropped
    (with the reason, never the value: an unsupported value may be anything), and any failure."""

    kept: dict[str, str] = field(default_factory=dict)
    dropped: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    def public(self) -> dict[str, object]:
        """The record's ``llm_facts``: kept values come from the masked message, so they are masked too."""
        return {"kept": dict(self.kept), "dropped": dict(self.dropped), "fallback": self.error}


def assist(
    reader: FactReader, masked_text: str, today: date, asks: tuple[str, ...] = (), offered: tuple[str, ...] = ()
) -> Assist:
    """Ask the LLM, then keep only what the customer's words support (bot/understand/support.py)."""
    proposal = reader.read(masked_text, today, asks)
    if proposal.error is not None:
        return Assist(error=proposal.error)
    checked = check(proposal.facts, masked_text, today, offered)
    return Assist(kept=checked.kept, dropped=checked.dropped)


def fact_reader_for(settings: Settings) -> FactReader | None:
    """The extractor, when an LLM endpoint is configured and ``CSBOT_LLM_FACTS`` is not off."""
    if not (settings.llm_facts and settings.llm_base_url and settings.llm_api_key):
        return None
    config = ReaderConfig(
        base_url=settings.llm_base_url,
        api_key=settings.llm_api_key,
        model=settings.llm_model,
        timeout_s=settings.llm_facts_timeout_s,
        max_retries=settings.llm_max_retries,
    )
    return FactReader(config)


def parse(content: str) -> Proposal:
    """The endpoint's answer as facts, if it is JSON inside the schema."""
    try:
        facts: Any = json.loads(content)
    except ValueError:
        return Proposal(error="llm_error: not JSON")
    try:
        jsonschema.validate(facts, fact_schema())
    except jsonschema.ValidationError as error:
        where = "/".join(str(part) for part in error.absolute_path) or "answer"
        return Proposal(error=f"llm_error: outside the schema at {where} ({error.validator})")
    return Proposal(facts={key: value for key, value in facts.items() if value is not None})


def _reason(error: Exception) -> str:
    """Why the endpoint failed, without its response body (an error page may echo any text)."""
    if isinstance(error, httpx.HTTPStatusError):
        return f"HTTP {error.response.status_code}"
    if isinstance(error, ValueError | KeyError | IndexError | TypeError):
        return "not an OpenAI chat completion"
    return type(error).__name__
