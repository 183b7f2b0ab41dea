"""Building and ingesting on a real disk index; no network socket may be opened while doing it."""

from __future__ import annotations

import socket
from pathlib import Path

import docx
import pytest

from knowledge.config import SearchConfig
from knowledge.index import build_index, index_exists
from knowledge.ingest import ingest_paths
from knowledge.search import Searcher
from knowledge.types import SearchFilters

POLICY_TXT = "会员储值规则\n第一条 储值卡余额不设有效期。\n第二条 会员注销时，未使用的储值余额原路退回。\n"


def _minimal_pdf(text: str) -> bytes:
    """A one-page PDF with Helvetica text, written by hand so the test needs no PDF writer."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture
def config(tmp_path: Path) -> SearchConfig:
    config = SearchConfig(index_dir=tmp_path / "home" / "index")
    build_index(config, laws=["消费者权益保护法"])
    return config


def test_when_files_are_ingested_then_their_sections_are_searchable_and_bad_files_are_named(
    config: SearchConfig, tmp_path: Path
) -> None:
    txt = tmp_path / "储值规则.txt"
    txt.write_text(POLICY_TXT, encoding="utf-8")
    word = tmp_path / "faq.docx"
    document = docx.Document()
    for line in ("常见问题", "1. 发票", "电子发票在签收后开具。", "2. 保价", "下单后七日内降价可申请保价补差。"):
        document.add_paragraph(line)
    document.save(str(word))
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(_minimal_pdf("Warehouse notice: parcels ship within 48 hours"))
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02")

    report = ingest_paths(config, [txt, broken, word, pdf, binary, tmp_path / "missing.md"])

    statuses = {Path(f.path).name: f.status for f in report.files}
    assert statuses == {
        "储值规则.txt": "ok",
        "broken.docx": "error",
        "faq.docx": "ok",
        "notice.pdf": "ok",
        "blob.txt": "error",
        "missing.md": "error",
    }
    assert all(Path(f.path).name in (f.error or "") for f in report.files if f.status == "error")
    searcher = Searcher(config)
    hits = searcher.search("储值余额 注销 退回", top_k=3, filters=SearchFilters(sources=("document",)))
    assert (hits[0].doc, hits[0].section) == ("会员储值规则", "2")
    assert searcher.search("保价补差", top_k=1, filters=SearchFilters(sources=("document",)))[0].doc == "常见问题"
    assert searcher.search("parcels ship", top_k=1, filters=SearchFilters(sources=("document",)))


def test_when_a_file_is_ingested_again_unchanged_then_it_is_skipped_and_changes_replace_old_sections(
    config: SearchConfig, tmp_path: Path
) -> None:
    path = tmp_path / "rules.md"
    path.write_text("# 规则\n## 1 旧规定\n包装拆封不退。\n", encoding="utf-8")
    assert ingest_paths(config, [path]).files[0].status == "ok"
    assert ingest_paths(config, [path]).files[0].status == "unchanged"
    path.write_text("# 规则\n## 1 新规定\n拆封不影响七日无理由退货。\n", encoding="utf-8")
    assert ingest_paths(config, [path]).files[0].status == "ok"
    hits = Searcher(config).search("拆封", top_k=5, filters=SearchFilters(sources=("document",)))
    assert [p.title for p in hits] == ["新规定"]


def test_when_ingesting_before_any_index_then_the_next_build_includes_the_documents(tmp_path: Path) -> None:
    config = SearchConfig(index_dir=tmp_path / "fresh" / "index")
    note = tmp_path / "note.txt"
    note.write_text("第一条 门店营业时间为九点至二十一点。", encoding="utf-8")
    assert ingest_paths(config, [note]).ok and not index_exists(config)
    stats = build_index(config, laws=["电子商务法"])
    assert stats.documents == 1
    assert Searcher(config).search("营业时间", top_k=1)[0].source == "document"


def test_when_building_and_searching_then_no_network_connection_is_attempted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[object] = []
    real_connect = socket.socket.connect

    def guarded_connect(self: socket.socket, address: object) -> None:
        if self.family != socket.AF_UNIX:
            attempts.append(address)
            raise OSError(f"network blocked in test: {address}")
        real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    config = SearchConfig(index_dir=tmp_path / "offline" / "index", dense_weight=0.5)
    build_index(config, laws=["个人信息保护法"])
    searcher = Searcher(config)
    hits = searcher.search("泄露我的手机号", top_k=3)
    dense_rows = searcher.dense_ranking("泄露我的手机号", SearchFilters(sources=("statute",)), n=5)
    assert hits and attempts == []
    assert len(dense_rows) == 5
    assert {searcher.records[row]["law"] for row in dense_rows} == {"中华人民共和国个人信息保护法"}
    policy_rows = searcher.dense_ranking("退货运费", SearchFilters(sources=("policy",)), n=3)
    assert len(policy_rows) == 3
    assert {searcher.records[row]["source"] for row in policy_rows} == {"policy"}


def test_when_laws_list_names_an_unknown_law_then_build_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown law: 火星法"):
        build_index(SearchConfig(index_dir=tmp_path / "x" / "index"), laws=["火星法"])


def test_when_index_is_rebuilt_then_only_changed_passages_are_embedded_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import knowledge.embedding as embedding

    embedded: list[int] = []
    real_load = embedding.load_embedder

    def counting_load(config: SearchConfig) -> embedding.Embedder:
        embedder = real_load(config)
        real_embed = embedder.embed_documents

        def embed_documents(texts: list[str]):  # type: ignore[no-untyped-def]
            embedded.append(len(texts))
            return real_embed(texts)

        embedder.embed_documents = embed_documents  # type: ignore[method-assign]
        return embedder

    monkeypatch.setattr(embedding, "load_embedder", counting_load)
    config = SearchConfig(index_dir=tmp_path / "dense" / "index", dense_weight=0.5)
    first = build_index(config, laws=["电子商务法"])
    assert sum(embedded) == first.statutes + first.policies
    embedded.clear()
    build_index(config, laws=["电子商务法"])
    assert sum(embedded) == 0
    note = tmp_path / "note.md"
    note.write_text("# 说明\n## 1 发票\n电子发票随包裹发送。\n", encoding="utf-8")
    ingest_paths(config, [note])
    assert sum(embedded) == 1
