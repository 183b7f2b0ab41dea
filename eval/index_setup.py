"""Which search index a run uses, built once per run when the installation has none.

Every dialogue's home links to this one folder; it is read-only for the run.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from bot.settings import Settings

# The laws a temporary eval index covers: what customer-service dialogues cite. The full statute
# corpus works too (pass --index to an index built with `csbot index build`), it only takes longer.
DEFAULT_INDEX_LAWS = ("消费者权益保护法", "民法典", "电子商务法", "个人信息保护法", "产品质量法", "食品安全法")


class IndexMissing(RuntimeError):
    """The index named with --index does not exist."""


def resolve_index(settings: Settings, explicit: Path | None, build_root: Path, laws: Sequence[str]) -> Path:
    """``explicit`` if given (it must exist), else the installation's index, else a fresh one in build_root."""
    from knowledge.index import BM25_DIR, MANIFEST, RECORDS, TOKENS, build_index, index_exists

    if explicit is not None:
        if not all((explicit / name).exists() for name in (RECORDS, TOKENS, MANIFEST, BM25_DIR)):
            raise IndexMissing(f"no search index in {explicit} (build one with `csbot index build`)")
        return explicit
    if index_exists(settings.search_config):
        return settings.index_dir
    print(f"no index in {settings.index_dir}; building a temporary one over {', '.join(laws)}", file=sys.stderr)
    temporary = Settings(**{**settings.model_dump(), "home": build_root, "db_url": None, "vault_db_url": None})
    build_index(temporary.search_config, laws=list(laws))
    return temporary.index_dir
