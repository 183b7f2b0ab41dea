"""Baidu LAC (small) run in numpy from jieba's bundled weights: tags, offsets, chunks, bad files."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path

import pytest

from guardrails.pii import lac
from guardrails.pii.lac import LacError, LacModel, chunks


def words(text: str) -> list[tuple[str, str]]:
    return [(text[start:end], tag) for start, end, tag in lac.tag(text)]


# (text, words with their tags that must be among LAC's answer, why)
TAGGED = [
    ("我叫张伟,住在北京市海淀区", [("张伟", "PER"), ("北京市", "LOC"), ("海淀区", "LOC")], "person and places"),
    (
        "国务院总理李克强今天在人民大会堂作政府工作报告。",
        [("国务院", "ORG"), ("李克强", "PER"), ("今天", "TIME")],
        "news",
    ),
    ("乒乓球拍卖完了", [("乒乓球", "n"), ("拍卖", "v"), ("完", "v")], "jieba's paddle-mode example segments this way"),
    ("我来到北京清华大学", [("我", "r"), ("来到", "v"), ("北京清华大学", "ORG")], "jieba's paddle-mode example"),
    ("你好，我是王秀英，请联系我的丈夫刘建国。", [("王秀英", "PER"), ("刘建国", "PER"), ("，", "w")], "chat"),
    ("谢霆强说,皇马主帅齐达内对比赛很满意。", [("谢霆强", "PER"), ("齐达内", "PER"), ("对", "p")], "。 folded to ."),
    ("我们采访了Kate Hall。", [("Kate Hall", "nr")], "a Latin-script name is a person part of speech"),
]


@pytest.mark.parametrize(("text", "expected", "why"), TAGGED, ids=[row[2] for row in TAGGED])
def test_when_a_plain_sentence_is_tagged_then_its_people_places_and_words_are_right(
    text: str, expected: list[tuple[str, str]], why: str
) -> None:
    found = words(text)
    assert [pair for pair in expected if pair not in found] == [], found


@pytest.mark.parametrize(
    "text",
    ["我叫张伟", "订单😀123号，Привет!", "\x00\x01张三", "   ", "a" * 500, "联系人：李四。" * 200, "张三、" * 400],
)
def test_when_any_text_is_tagged_then_the_words_cover_it_in_order_without_gaps(text: str) -> None:
    found = lac.tag(text)
    assert "".join(text[start:end] for start, end, _ in found) == text
    assert all(start < end for start, end, _ in found)
    assert [start for start, _, _ in found[1:]] == [end for _, end, _ in found[:-1]]


def test_when_text_is_empty_then_no_words() -> None:
    assert lac.tag("") == ()


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("短句", 160, [(0, 2)]),
        ("一二三。四五六。七八", 8, [(0, 8), (8, 10)]),  # cut after the last sentence end that fits
        ("一二三，四五六七八九", 8, [(0, 4), (4, 10)]),  # no sentence end: after a comma
        ("一二三四五六七八九十", 4, [(0, 4), (4, 8), (8, 10)]),  # no punctuation at all: hard cuts
    ],
)
def test_when_text_is_longer_than_a_chunk_then_it_is_cut_at_punctuation_first(
    text: str, limit: int, expected: list[tuple[int, int]]
) -> None:
    assert list(chunks(text, limit)) == expected


def test_when_a_name_stands_in_a_long_text_then_its_offsets_point_into_the_whole_text() -> None:
    text = "订单已发货。" * 60 + "请联系王秀英。"
    names = [(start, end) for start, end, tag in lac.tag(text) if tag == "PER"]
    assert [text[start:end] for start, end in names] == ["王秀英"]


def test_when_threads_tag_at_once_then_each_gets_the_sequential_answer() -> None:
    texts = [row[0] for row in TAGGED]
    expected = [LacModel().tag(text) for text in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lac.model().tag, texts * 5))
    assert answers == expected * 5


def _copy_of_jieba_lac(tmp_path: Path) -> Path:
    """A folder like jieba's lac_small (dictionaries copied, parameter files linked)."""
    source = Path(str(resources.files("jieba") / "lac_small"))
    target = tmp_path / "lac_small"
    (target / "model_baseline").mkdir(parents=True)
    for name in ("word.dic", "tag.dic"):
        shutil.copy(source / name, target / name)
    for parameter in (source / "model_baseline").iterdir():
        (target / "model_baseline" / parameter.name).symlink_to(parameter)
    return target


def test_when_a_parameter_file_is_missing_then_the_error_names_it(tmp_path: Path) -> None:
    root = _copy_of_jieba_lac(tmp_path)
    assert tuple(LacModel(root).tag("我叫张伟")) == lac.tag("我叫张伟")  # the intact copy loads and tags alike
    (root / "model_baseline" / "crfw").unlink()
    with pytest.raises(LacError, match="crfw not found"):
        LacModel(root)


@pytest.mark.parametrize(("keep", "message"), [(10, "is truncated"), (4000, "holds .* floats, expected 2680448")])
def test_when_a_parameter_file_is_corrupt_then_the_error_says_what_is_wrong(
    tmp_path: Path, keep: int, message: str
) -> None:
    root = _copy_of_jieba_lac(tmp_path)
    weights = root / "model_baseline" / "word_emb"
    data = weights.read_bytes()[:keep]
    weights.unlink()
    weights.write_bytes(data)
    with pytest.raises(LacError, match=f"word_emb {message}"):
        LacModel(root)


def test_when_the_dictionaries_are_missing_then_the_error_says_so(tmp_path: Path) -> None:
    with pytest.raises(LacError, match="LAC dictionaries not found"):
        LacModel(tmp_path)


def test_remembered_answers_hold_no_customer_text() -> None:
    text = "我叫欧阳娜娜，电话13912345678，住在杭州市西湖区文三路100号"
    first = lac.tag(text)
    assert lac.tag(text) == first  # the second call is answered from memory
    assert text not in repr(lac._answers) and "欧阳娜娜" not in repr(lac._answers)
    assert all(isinstance(key, bytes) and len(key) == 16 for key in lac._answers)
