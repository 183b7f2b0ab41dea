"""The understanding layer's word lists and tables (bot/understand/data/*.yaml), loaded once."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from bot.yamlmarks import load_yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def table(name: str) -> Any:
    return load_yaml(DATA_DIR / f"{name}.yaml")


@cache
def pattern(name: str, key: str) -> re.Pattern[str]:
    return re.compile(str(table(name)[key]))
