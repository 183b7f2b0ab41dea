"""One lock per session, so the turns of a session run one after another inside a process.

Between processes the records database decides: a turn that lost the race sees ``CaseConflict`` and
is run again from a fresh load (``bot.service``), and the web layer answers 409 with Retry-After if
the retries run out. Locks are re-entrant (an escalation may record an event inside a turn) and are
dropped once nobody holds or waits for them.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager


class SessionLocks:
    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: weakref.WeakValueDictionary[str, _Lock] = weakref.WeakValueDictionary()

    @contextmanager
    def hold(self, session: str) -> Iterator[None]:
        with self._guard:
            lock = self._locks.get(session)
            if lock is None:
                lock = self._locks[session] = _Lock()
        with lock.rlock:  # the local reference keeps the entry alive while held or waited for
            yield


class _Lock:
    __slots__ = ("__weakref__", "rlock")

    def __init__(self) -> None:
        self.rlock = threading.RLock()
