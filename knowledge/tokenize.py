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
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


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
    """The BM25 vocabulary for documents and queries alike: jieba search-mode words without stop
    words, plus Chinese character bigrams in the same vocabulary.

    The bigrams rescue matches that segmentation misses when the customer's wording is split
    differently from the statute's; sharing the vocabulary gives two-character words a second
    vote (bench/retrieval.py: about +1 point recall@5 on STARD, +8 on the customer set).
    """
    drop = stopwords()
    lowered = text.lower()
    tokens = get_tokenizer().lcut_for_search(lowered, HMM=False)
    words_ = [t for t in tokens if t not in drop and _WORDLIKE.search(t) and not t.isspace()]
    return words_ + char_bigrams(lowered)


def char_bigrams(text: str) -> list[str]:
    """Overlapping bigrams of every run of Chinese characters: 七日内退货 -> 七日 日内 内退 退货."""
    return [run[i : i + 2] for run in _HAN_RUN.findall(text) for i in range(len(run) - 1)]
