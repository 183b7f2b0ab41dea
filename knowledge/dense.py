"""The dense half of the index: vectors from OUR embedder, stored in chromadb.

chromadb's default embedding function downloads a model, so every collection is opened with
:class:`CsbotEmbeddingFunction`, a thin wrapper around ``knowledge.embedding``'s embedder, and every
add/query passes explicit vectors. ``config.chroma_url`` selects a Chroma server instead of disk.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlparse

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from knowledge.config import SearchConfig
from knowledge.embedding import Embedder

COLLECTION = "csbot_knowledge"
_BATCH = 512


class _UnloadedEmbedder:
    """Stands in when chromadb rebuilds the function from a stored config; csbot always passes its own."""

    def __init__(self, name: str) -> None:
        self.name = name

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        raise RuntimeError(f"embedder {self.name} was not loaded; open the collection through knowledge.dense")


@register_embedding_function
class CsbotEmbeddingFunction(EmbeddingFunction[Documents]):
    """Lets chromadb embed with our model if it ever needs to; never the default download."""

    def __init__(self, embedder: Embedder | _UnloadedEmbedder) -> None:
        self.embedder = embedder

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.embedder.embed_documents(list(input)))

    @staticmethod
    def name() -> str:
        return "csbot"

    def get_config(self) -> dict[str, Any]:
        return {"model": self.embedder.name}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> CsbotEmbeddingFunction:
        return CsbotEmbeddingFunction(_UnloadedEmbedder(str(config.get("model", "unknown"))))

    def is_legacy(self) -> bool:
        return False


def open_client(config: SearchConfig) -> Any:
    """Chroma on disk in ``index_dir/chroma``, or the server at ``config.chroma_url``."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if config.chroma_url:
        url = urlparse(config.chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1",
            port=url.port or 8000,
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
    path = config.index_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


# chromadb's client start-up (its Rust bindings, tenant and collection lookup) is not safe when two
# threads open the same store at once: the second one fails with "could not connect to tenant".
_OPEN_LOCK = threading.Lock()


class DenseStore:
    """One chromadb collection of passage vectors with source / law / in-force metadata."""

    def __init__(self, config: SearchConfig, embedder: Embedder, create: bool = False) -> None:
        self.embedder = embedder
        function = CsbotEmbeddingFunction(embedder)
        with _OPEN_LOCK:
            self.client = open_client(config)
            if create:
                self.collection = self.client.get_or_create_collection(
                    COLLECTION, embedding_function=function, metadata={"hnsw:space": "cosine", "model": embedder.name}
                )
            else:
                self.collection = self.client.get_collection(COLLECTION, embedding_function=function)

    def fingerprints(self) -> dict[str, str]:
        """id -> stored (model, text) fingerprint of every vector in the collection."""
        result = self.collection.get(include=["metadatas"])
        return {i: str((m or {}).get("sha", "")) for i, m in zip(result["ids"], result["metadatas"], strict=True)}

    def upsert(self, ids: Sequence[str], texts: Sequence[str], metadatas: Sequence[dict[str, Any]]) -> None:
        for start in range(0, len(ids), _BATCH):
            part = slice(start, start + _BATCH)
            vectors = self.embedder.embed_documents(list(texts[part]))
            self.collection.upsert(ids=list(ids[part]), embeddings=vectors, metadatas=list(metadatas[part]))

    def delete(self, ids: Sequence[str]) -> None:
        ids = list(ids)
        for start in range(0, len(ids), 5000):
            self.collection.delete(ids=ids[start : start + 5000])

    def query(self, text: str, n: int, where: dict[str, Any] | None) -> list[str]:
        """Ids of the ``n`` nearest passages, best first."""
        vector = np.asarray(self.embedder.embed_query(text), dtype=np.float32)
        result = self.collection.query(query_embeddings=[vector], n_results=n, where=where, include=[])
        return list(result["ids"][0])

    def query_scored(self, text: str, n: int, where: dict[str, Any] | None) -> list[tuple[str, float]]:
        """``(id, cosine similarity)`` of the ``n`` nearest passages, best first (for score fusion)."""
        vector = np.asarray(self.embedder.embed_query(text), dtype=np.float32)
        result = self.collection.query(query_embeddings=[vector], n_results=n, where=where, include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(result["ids"][0], result["distances"][0], strict=True)]


def where_clause(sources: Sequence[str], laws: Sequence[str], in_force_only: bool) -> dict[str, Any] | None:
    """chromadb metadata filter for a search."""
    clauses: list[dict[str, Any]] = [{"source": {"$in": list(sources)}}]
    if laws:  # the law restriction applies to statutes; policies and documents stay if their source is asked for
        clauses.append({"$or": [{"law": {"$in": list(laws)}}, {"source": {"$ne": "statute"}}]})
    if in_force_only:
        clauses.append({"in_force": True})
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
