"""A progress bar for long index builds, only where a person watches: stdout is a terminal and tqdm
is installed. Anywhere else (CI logs, pipes, tests) the items pass through untouched."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def on_terminal() -> bool:
    return sys.stdout.isatty()


def bar(items: Iterable[T], desc: str, *, enabled: bool, total: int | None = None, unit: str = "段") -> Iterator[T]:
    """``items`` with a tqdm bar on stderr when ``enabled`` and stdout is a terminal."""
    if enabled and on_terminal():
        try:
            from tqdm import tqdm
        except ImportError:  # tqdm is optional: without it the build just runs
            pass
        else:
            yield from tqdm(items, desc=desc, total=total, unit=unit, file=sys.stderr)
            return
    yield from items
