"""Baidu LAC (small) lexical analysis in plain numpy, with the weights jieba's wheel already ships.

jieba 0.42.1 bundles Baidu's LAC small model (Apache-2.0, PaddlePaddle authors) under
``jieba/lac_small/``: a character-level two-layer BiGRU-CRF whose 57 tags segment a sentence and give
each word a part of speech or an entity type (``PER`` person, ``LOC`` place, ``ORG`` organisation,
``nr``/``ns``/``nt`` the same as parts of speech). jieba runs it only through ``paddle.fluid``, which
does not install on Python 3.11, so this module reads the same parameter files and runs the same
network: embedding -> 2 x (forward GRU | reverse GRU) -> emission fc -> CRF Viterbi. No download, no
new dependency: the files come from the installed jieba package via ``importlib.resources``.
"""

from __future__ import annotations

import hashlib
import re
import struct
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

HIDDEN = 128
EMBED = 128
MAX_CHUNK = 160  # characters per run; longer text is split at sentence punctuation, then hard
_SENTENCE_END = re.compile(r"[。！？!?；;\n]+")
_CLAUSE_END = re.compile(r"[，,、：: ]+")  # second choice when a long run has no sentence end
# LAC was trained on text whose Chinese punctuation was folded to ASCII (its ids for 。、“ are rare
# and tag as words: 。/v); the same folding is applied before lookup, one character for one.
_PUNCTUATION = str.maketrans("。、“”‘’【】…—～（）：，；！？", ".,\"\"''[].-~():,;!?")

Array = NDArray[np.float32]


class LacError(RuntimeError):
    """The LAC files in jieba's package are missing or not what this network expects."""


class LacWord(NamedTuple):
    """One word LAC found: ``text[start:end]`` tagged ``tag`` (PER, LOC, ORG, TIME, nr, ns, n, v ...)."""

    start: int
    end: int
    tag: str


class _Layer(NamedTuple):
    """One BiGRU layer: per direction the input projection (w, b) and the recurrent weights."""

    w_in: Array  # [in, 768]: forward | reverse input projections, gate bias folded in
    b_in: Array  # [768]
    w_ur: Array  # [2, 128, 256]: update|reset recurrent weights (halved), forward and reverse
    w_c: Array  # [2, 128, 128]: candidate recurrent weights


def read_tensor(data: bytes, expected: int, name: str) -> Array:
    """The float32 values of a Paddle LoDTensor file: version, LoD levels, tensor version, a
    TensorDesc protobuf (skipped), then raw little-endian floats."""
    try:
        (lod_levels,) = struct.unpack_from("<Q", data, 4)
        offset = 12
        for _ in range(lod_levels):
            (size,) = struct.unpack_from("<Q", data, offset)
            offset += 8 + size
        (desc_size,) = struct.unpack_from("<i", data, offset + 4)
        offset += 8 + desc_size
    except struct.error as error:
        raise LacError(f"LAC parameter file {name} is truncated ({len(data)} bytes)") from error
    if offset < 0 or (len(data) - offset) != expected * 4:
        raise LacError(f"LAC parameter file {name} holds {max(len(data) - offset, 0) // 4} floats, expected {expected}")
    return np.frombuffer(data, dtype="<f4", offset=offset).astype(np.float32)


class LacModel:
    """The network and its vocabularies; ``tag`` is thread-safe (no state is written after loading)."""

    def __init__(self, root: Traversable | None = None) -> None:
        """``root``: the folder holding word.dic, tag.dic and model_baseline/ (jieba's lac_small)."""
        try:
            root = root if root is not None else resources.files("jieba") / "lac_small"
            words = (root / "word.dic").read_text(encoding="utf-8")
            tags = (root / "tag.dic").read_text(encoding="utf-8")
        except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError) as error:
            raise LacError(f"LAC dictionaries not found in {root or 'jieba/lac_small'}: {error}") from error
        self.char_ids = _dictionary(words)
        self.oov = self.char_ids.get("OOV", -1)
        labels = {index: label for label, index in _dictionary(tags).items()}
        self.labels = [labels[index] for index in range(len(labels))]
        vocab, count = max(self.char_ids.values()) + 1, len(self.labels)
        if self.oov < 0 or count == 0:
            raise LacError("LAC dictionaries lack the OOV entry or any tag")

        def param(name: str, *shape: int) -> Array:
            try:
                data = (root / "model_baseline" / name).read_bytes()
            except (FileNotFoundError, NotADirectoryError) as error:
                raise LacError(f"LAC parameter file {name} not found in {root}/model_baseline") from error
            return read_tensor(data, int(np.prod(shape)), name).reshape(shape)

        self.embedding = param("word_emb", vocab, EMBED)
        self.layers = [_layer(param, 4 * index, EMBED if index == 0 else 2 * HIDDEN) for index in range(2)]
        self.w_out, self.b_out = param("fc_4.w_0", 2 * HIDDEN, count), param("fc_4.b_0", count)
        crf = param("crfw", count + 2, count)
        self.start, self.end, self.transition = crf[0], crf[1], crf[2:]

    def ids(self, text: str) -> NDArray[np.int64]:
        ids = self.char_ids
        folded = text.translate(_PUNCTUATION)
        return np.fromiter((ids.get(char, self.oov) for char in folded), dtype=np.int64, count=len(text))

    def tag_ids(self, text: str) -> list[int]:
        """One tag id per character of ``text`` (at most ``MAX_CHUNK`` characters)."""
        if not text:
            return []
        features = self.embedding[self.ids(text)]
        for layer in self.layers:
            features = _bigru(features, layer)
        return _viterbi(features @ self.w_out + self.b_out, self.start, self.end, self.transition)

    def tag(self, text: str) -> list[LacWord]:
        """LAC's words of ``text`` with offsets into it; long text runs in sentence-sized chunks."""
        found: list[LacWord] = []
        for start, end in chunks(text):
            labels = [self.labels[index] for index in self.tag_ids(text[start:end])]
            found.extend(LacWord(start + a, start + b, label) for a, b, label in _words(labels))
        return found


def _dictionary(text: str) -> dict[str, int]:
    """``id<TAB>entry`` lines (word.dic, tag.dic) as entry -> id."""
    entries = {}
    for line in text.split("\n"):
        fields = line.split("\t")
        if len(fields) == 2 and fields[0].isdigit():
            entries[fields[1]] = int(fields[0])
    return entries


def _layer(param: Callable[..., Array], first: int, width: int) -> _Layer:
    """Layer parameters fc_{first}/gru_{first} (forward) and fc_{first+1}/gru_{first+1} (reverse).

    Paddle's GRU kernel reads its [128, 384] weight as two row-major blocks: the first 2*128*128
    floats are a [128, 256] update|reset matrix, the next 128*128 a [128, 128] candidate matrix."""
    w_in, b_in, w_ur, w_c = [], [], [], []
    for index in (first // 2, first // 2 + 1):
        flat = param(f"gru_{index}.w_0", HIDDEN, 3 * HIDDEN).reshape(-1)
        w_ur.append(flat[: 2 * HIDDEN * HIDDEN].reshape(HIDDEN, 2 * HIDDEN) * 0.5)  # halves: see _bigru
        w_c.append(flat[2 * HIDDEN * HIDDEN :].reshape(HIDDEN, HIDDEN))
        w_in.append(param(f"fc_{index}.w_0", width, 3 * HIDDEN))
        gate_bias = param(f"gru_{index}.b_0", 1, 3 * HIDDEN).reshape(-1)
        b_in.append(param(f"fc_{index}.b_0", 3 * HIDDEN) + gate_bias)
    w, b = np.concatenate(w_in, axis=1), np.concatenate(b_in)
    gates = np.r_[0 : 2 * HIDDEN, 3 * HIDDEN : 5 * HIDDEN]  # update|reset inputs of both directions
    w[:, gates] *= 0.5
    b[gates] *= 0.5
    return _Layer(w, b, np.stack(w_ur), np.stack(w_c))


def _bigru(inputs: Array, layer: _Layer) -> Array:
    """Forward and reverse GRU over the sequence, stepped together; returns [len, 256] (fwd | rev).

    Paddle's dynamic_gru (origin_mode False, h0 = 0): u = sigmoid(x_u + h W_u), r = sigmoid(x_r + h W_r),
    c = tanh(x_c + (r * h) W_c), h' = (1 - u) * h + u * c. The input projections are one matmul;
    sigmoid(z) is computed as 0.5 * tanh(z / 2) + 0.5 with the halves folded into the weights
    (``_layer``), which saves numpy calls in the loop, where nearly all the time goes."""
    length = len(inputs)
    projected = (inputs @ layer.w_in + layer.b_in).reshape(length, 2, 1, 3 * HIDDEN)
    projected[:, 1] = projected[::-1, 1].copy()  # the reverse direction walks the text backwards
    x_ur, x_c = projected[..., : 2 * HIDDEN], np.ascontiguousarray(projected[..., 2 * HIDDEN :])
    hidden: NDArray[np.floating[Any]] = np.zeros((2, 1, HIDDEN), dtype=np.float32)
    out = np.empty((length, 2, 1, HIDDEN), dtype=np.float32)
    for step in range(length):
        gates = np.tanh(x_ur[step] + hidden @ layer.w_ur)
        gates *= 0.5
        gates += 0.5
        candidate = np.tanh(x_c[step] + (gates[..., HIDDEN:] * hidden) @ layer.w_c)
        candidate -= hidden
        candidate *= gates[..., :HIDDEN]
        candidate += hidden
        hidden = out[step] = candidate
    out[:, 1] = out[::-1, 1].copy()
    return out.reshape(length, 2 * HIDDEN)


def _viterbi(emission: Array, start: Array, end: Array, transition: Array) -> list[int]:
    """The best tag path under Paddle's linear-chain CRF (start and end scores, transitions [from, to])."""
    score = start + emission[0]
    back = np.empty(emission.shape, dtype=np.intp)
    columns = np.arange(emission.shape[1])
    for step in range(1, len(emission)):
        total = transition + score[:, None]
        best = back[step] = total.argmax(axis=0)
        score = total[best, columns] + emission[step]
    path = [int((score + end).argmax())]
    for step in range(len(emission) - 1, 0, -1):
        path.append(int(back[step, path[-1]]))
    return path[::-1]


def _words(labels: list[str]) -> Iterator[tuple[int, int, str]]:
    """Character labels (PER-B, PER-I, O ...) as (start, end, tag) words: a word starts at a -B label
    or where the tag changes."""
    start, current = 0, ""
    for index, label in enumerate(labels):
        tag = label.split("-")[0]
        if index and (label.endswith("-B") or tag != current):
            yield start, index, current
            start = index
        current = tag
    if labels:
        yield start, len(labels), current


def chunks(text: str, limit: int = MAX_CHUNK) -> Iterator[tuple[int, int]]:
    """``text`` as spans of at most ``limit`` characters, cut after sentence punctuation if possible."""
    start = 0
    while start < len(text):
        end = min(len(text), start + limit)
        if end < len(text):
            cuts = [match.end() for match in _SENTENCE_END.finditer(text, start, end)]
            cuts = cuts or [match.end() for match in _CLAUSE_END.finditer(text, start, end)]
            end = cuts[-1] if cuts else end
        yield start, end
        start = end


_model: LacModel | None = None
_lock = threading.Lock()


def model() -> LacModel:
    """The process-wide model, loaded on first use (about 12 MB of weights)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = LacModel()
    return _model


def tag(text: str) -> tuple[LacWord, ...]:
    """LAC's words of ``text``: ``(start, end, tag)`` with offsets into ``text``. Several name
    recognisers ask about the same message, so the answers for the last chunks (at most
    ``MAX_CHUNK`` characters each, a few MB in all) are kept: a message, or a long text of up to
    about 150,000 characters, is run through the network once however many recognisers ask."""
    found: list[LacWord] = []
    for start, end in chunks(text):
        found.extend(LacWord(start + a, start + b, label) for a, b, label in _tag_chunk(text[start:end]))
    return tuple(found)


_answers: OrderedDict[bytes, tuple[LacWord, ...]] = OrderedDict()
_answers_lock = threading.Lock()
_ANSWERS_KEPT = 1024


def _tag_chunk(chunk: str) -> tuple[LacWord, ...]:
    """The chunk's words, remembered under a digest of the chunk: the cache holds offsets and tags,
    never the customer's text (the key of an ``lru_cache`` would be the text itself)."""
    key = hashlib.blake2b(chunk.encode("utf-8"), digest_size=16).digest()
    with _answers_lock:
        if key in _answers:
            _answers.move_to_end(key)
            return _answers[key]
    words = tuple(model().tag(chunk))
    with _answers_lock:
        _answers[key] = words
        while len(_answers) > _ANSWERS_KEPT:
            _answers.popitem(last=False)
    return words
