"""What the knowledge layer needs to know about an installation: where the index lives, how to search it.

``knowledge/`` sits at the bottom of the layers (docs/architecture.md) and never reads the
environment or imports the engine's settings; ``bot/settings.py`` builds a :class:`SearchConfig` from
the ``CSBOT_*`` variables (``Settings.search_config``) and a test or a benchmark can build one by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SearchConfig:
    """The index folder, the embedding model, the Chroma server and the weights of the score fusion."""

    index_dir: Path
    embed_model: str | None = None  # sentence-transformers folder; None: the shipped model
    chroma_url: str | None = None  # a Chroma server; None: chromadb on disk in index_dir/chroma
    bm25_weight: float = 1.0
    dense_weight: float = 0.5  # 0: BM25 only, no vectors built
    law_prior: float = 0.4  # source-document (law / policy) evidence prior
    core_law_prior: float = 0.4  # boost for core customer-service laws and policies
    topic_prior: float = 0.4  # boost for the laws a query's words name
