"""Chinese tokenisation for BM25: jieba with a legal-domain user dictionary.

jieba's stock dictionary splits colloquial customer text badly (七天内能退吗 -> 七天/内能/退/吗),
so ``knowledge/data/legal_userdict.txt`` adds the legal and customer-service vocabulary and
suppresses the worst false words. One tokenizer is built per process, quietly, with its cache in
the system temp folder (never in site-packages).
"""

from __future__ import annotations

import logging
import re
import tempfile
import threading
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jieba

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
# A token is kept when it contains at least one CJK character, letter or digit.
_WORDLIKE = re.compile(r"[\w\u4e00-\u9fff]")


def _data_file(name: str) -> Path:
    return Path(str(resources.files("knowledge") / "data" / name))


def get_tokenizer() -> jieba.Tokenizer:
    """The process-wide jieba tokenizer with the legal user dictionary loaded."""
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            cache_dir = Path(tempfile.gettempdir()) / "csbot-jieba"
            cache_dir.mkdir(parents=True, exist_ok=True)
            tokenizer.tmp_dir = str(cache_dir)
            tokenizer.initialize()
            tokenizer.load_userdict(str(_data_file("legal_userdict.txt")))
            _tokenizer = tokenizer
        return _tokenizer


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    lines = _data_file("stopwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip())


def words(text: str) -> list[str]:
    """Precise-mode segmentation, punctuation dropped (for display and expansion matching)."""
    return [w for w in get_tokenizer().lcut(text, HMM=False) if _WORDLIKE.search(w)]


def tokenize(text: str) -> list[str]:
    """Search-mode tokens without stop words: the BM25 vocabulary for documents and queries alike."""
    drop = stopwords()
    tokens = get_tokenizer().lcut_for_search(text.lower(), HMM=False)
    return [t for t in tokens if t not in drop and _WORDLIKE.search(t) and not t.isspace()]
