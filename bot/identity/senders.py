"""Where a one-time code goes: the ``CodeSender`` interface and the two senders shipped with csbot.

A company plugs in its own SMS or e-mail gateway by implementing ``send`` (or by pointing
``HttpSender`` at its gateway). A sender receives the raw address (the only place it is ever used)
and must not log it or the code.

- ``DemoSender`` sends nothing: it keeps the message in ``CSBOT_HOME/identity.db`` under the case,
  with the address's placeholder ([手机号1]) instead of the address, so the agent console can show
  "验证码已发送至 [手机号1]: 123456" in a demo. Never use it with real customers.
- ``HttpSender`` POSTs ``{"channel", "to", "text"}`` as JSON to a gateway URL (bearer token
  optional); any 2xx answer means sent.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, Protocol

import httpx

Channel = Literal["phone", "email"]


@dataclass(frozen=True)
class Recipient:
    """Where a code goes: the raw address (from the vault), and how records name it."""

    channel: Channel
    address: str  # the raw phone number or e-mail address: only a sender ever sees it
    placeholder: str  # how the case's records name it, e.g. [手机号1]

    def __repr__(self) -> str:  # an accidental log line shows the placeholder, never the address
        return f"Recipient({self.channel}, {self.placeholder})"


class SendError(Exception):
    """The code could not be sent (the message names no address and no code)."""


class CodeSender(Protocol):
    """Sends one message carrying a one-time code; raises ``SendError`` when it could not."""

    name: str

    def send(self, case_id: str, recipient: Recipient, text: str, code: str) -> None: ...


@dataclass(frozen=True)
class DemoMessage:
    case_id: str
    recipient: str  # the placeholder, never the address
    code: str
    sent_at: str


_OUTBOX = """
create table if not exists demo_outbox (
  id integer primary key autoincrement, case_id text not null, recipient text not null,
  code text not null, sent_at text not null
);
create index if not exists demo_outbox_case on demo_outbox(case_id);
"""


class DemoSender:
    """For demos only: the "sent" code is kept for the agent console instead of being delivered."""

    name = "demo"

    def __init__(self, path: Path) -> None:
        self.path = path
        with self._connect() as db:
            db.executescript(_OUTBOX)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10)
        try:
            with db:  # commits, or rolls back on an error
                yield db
        finally:
            db.close()

    def send(self, case_id: str, recipient: Recipient, text: str, code: str) -> None:
        with self._connect() as db:
            db.execute(
                "insert into demo_outbox (case_id, recipient, code, sent_at) values (?, ?, ?, ?)",
                (case_id, recipient.placeholder, code, datetime.now(UTC).isoformat(timespec="seconds")),
            )

    def outbox(self, case_id: str) -> list[DemoMessage]:
        """The messages "sent" in this case, oldest first."""
        with self._connect() as db:
            rows = db.execute(
                "select case_id, recipient, code, sent_at from demo_outbox where case_id = ? order by id", (case_id,)
            ).fetchall()
        return [DemoMessage(*row) for row in rows]


class HttpSender:
    """A company's SMS / e-mail gateway over HTTP: POST JSON ``{"channel", "to", "text"}``; 2xx = sent."""

    name = "http"

    def __init__(self, url: str, token: str | None = None, timeout_s: float = 10.0) -> None:
        self.url = url
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.timeout_s = timeout_s

    def send(self, case_id: str, recipient: Recipient, text: str, code: str) -> None:
        body = {"channel": "sms" if recipient.channel == "phone" else "email", "to": recipient.address, "text": text}
        try:
            answer = httpx.post(self.url, json=body, headers=self._headers, timeout=self.timeout_s)
        except httpx.HTTPError as error:  # the message of an httpx error may quote the request: not kept
            raise SendError(f"gateway unreachable ({type(error).__name__})") from None
        if not answer.is_success:
            raise SendError(f"gateway answered HTTP {answer.status_code}")
