"""Read ``guardrails/config/pii_lexicon.yaml`` (surnames, cue words, address grammar words) once."""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from guardrails.pii.config import CONFIG_DIR, PiiConfigError

LEXICON_FILE = CONFIG_DIR / "pii_lexicon.yaml"


@cache
def lexicon() -> dict[str, Any]:
    with LEXICON_FILE.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    if not isinstance(raw, dict) or not {"names", "address"} <= set(raw):
        raise PiiConfigError(f"{LEXICON_FILE.name} needs 'names' and 'address' sections")
    return raw


def words(section: str, key: str) -> tuple[str, ...]:
    """A word list, longest first so alternations prefer 壮族自治区 over 区."""
    value = lexicon()[section][key]
    items = [str(item) for item in value] if isinstance(value, list) else list(str(value).replace(" ", ""))
    return tuple(sorted(dict.fromkeys(items), key=len, reverse=True))


def chars(section: str, key: str) -> frozenset[str]:
    return frozenset(str(lexicon()[section][key]).replace(" ", "").replace("\n", ""))
