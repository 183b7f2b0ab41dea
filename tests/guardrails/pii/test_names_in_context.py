"""Names that only their place in a sentence gives away (news-like text), and look-alikes that stay.

The given names below hold characters the lexicon does not list (耘, 俭, 旸), so the old rule, which
needed listed characters or a jieba guess, found them only in part or not at all.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from guardrails.pii import detect
from guardrails.pii.lexicon import chars


def names(text: str) -> list[str]:
    return [entity.value for entity in detect(text) if entity.type == "name"]


# (text, expected names, why)
FOUND = [
    ("主帅董耘玮在发布会上表示不满", ["董耘玮"], "a role before, a clean end after"),
    ("本报讯 许耘智教授昨天获奖", ["许耘智"], "a clause boundary before, a title after"),
    ("，谢俭强说这个问题需要时间", ["谢俭强"], "a clause boundary before, a speech verb after"),
    ("出席活动的有谭文红、谢礼旸、蔡博和王寿峰等人", ["谭文红", "谢礼旸", "蔡博", "王寿峰"], "a list of names"),
    ("参加比赛的选手包括Davis、王炜彧和杨强雨等人", ["Davis", "王炜彧", "杨强雨"], "a list with a Latin name"),
    ("张英靓与陈晶出席了发布会", ["张英靓", "陈晶"], "two names joined by 与 at a clause start"),
    ("丁曦樾与万涛星握手致意", ["丁曦樾", "万涛星"], "the second name ends where a dictionary word begins"),
    ("记者John Smith报道", ["John Smith"], "a Latin name after a role"),
    ("Taylor表示将继续努力", ["Taylor"], "a Latin name before a speech verb"),
    ("发言人田家敏近日透露", ["田家敏"], "a role before, a time word after"),
]

KEPT = [
    ("北京、上海和广州的门店都有货", "a list of places"),
    ("黄金、白银和钱币都涨了", "a list of everyday words, some beginning with a surname"),
    ("红色、白色和黑色都有货", "a list of colours: 白 is a surname, 白色 a common word"),
    ("型号A、B和C都有货", "a list of model letters"),
    ("华为Mate 60和iPhone 15 Pro Max比较", "capitalised product words with no role, verb or list"),
    ("Apple表示新品下周发布", "a brand before a speech verb"),
    ("客服表示明天发货", "a role, then a verb: nothing between them"),
    ("专家建议多喝水", "a role, then a verb"),
    ("经理马上处理", "a role, then an everyday word"),
    ("主任医师说可以", "a role, then an everyday word"),
    ("江苏与浙江的快递都停了", "two places joined by 与"),
    ("高铁与飞机哪个快", "two everyday words joined by 与"),
    ("周末与周一都可以送", "two days joined by 与"),
    ("毛利和净利都下降了", "a financial word that jieba tags as a name"),
    ("我和同事都说好", "a pronoun and a role"),
    ("总统府和国会都在附近", "a role word inside a place name"),
    # Customer chat: shops, couriers, colours, brands and products in lists and pairs.
    ("京东、淘宝和拼多多都有卖", "a list of shops"),
    ("顺丰与中通哪个快", "two couriers joined by 与"),
    ("白色、黑色、金色都缺货", "a list of colours"),
    ("小米、华为和OPPO比较", "a list of brands"),
    ("Pro和Max有什么区别", "two capitalised product words joined by 和"),
    ("Mate表示没收到", "a product word before a speech verb"),
    ("周一、周三和周五送货", "a list of weekdays: 周 is a surname"),
    ("钟表、手表和闹钟", "a list of things: 钟 is a surname"),
    ("价格与质量都不错", "two everyday words joined by 与, a dictionary word after"),
    ("常温与冷藏都可以", "常 is a surname, 常温 a common word"),
    ("余额和积分什么时候到账", "余 is a surname, 余额 a common word"),
    ("高压锅与电饭煲哪个好", "高 is a surname, 高压锅 a word"),
]


@pytest.mark.parametrize(("text", "expected", "why"), FOUND, ids=[row[2] for row in FOUND])
def test_when_the_sentence_places_a_name_then_it_is_found_whole(text: str, expected: list[str], why: str) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(("text", "why"), KEPT, ids=[row[1] for row in KEPT])
def test_when_a_sentence_only_looks_like_it_names_someone_then_nothing_is_masked(text: str, why: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize("text", ["张三、", "张三、李四、", "、、", "张三、、李四"])
def test_when_a_list_has_an_empty_item_then_no_empty_span_is_reported(text: str) -> None:
    assert all(entity.end > entity.start for entity in detect(text))


def test_when_the_given_names_above_were_chosen_then_their_characters_are_not_in_the_lexicon() -> None:
    # Keeps the table honest: these rows test context, not the given-name character list.
    assert {"耘", "俭"}.isdisjoint(chars("names", "given_name_chars"))


@pytest.mark.parametrize("filler", ["张三、", "主帅王", "李四说", "张三和李四"], ids=lambda f: f"repeat-{f}")
@pytest.mark.timeout(120)  # a hang guard against quadratic work, not a speed assertion
def test_when_a_long_text_repeats_a_context_pattern_then_detection_finishes(filler: str) -> None:
    text = filler * (40_000 // len(filler)) + "，电话13812345678"
    assert [e.type for e in detect(text) if e.type == "phone"] == ["phone"]


def test_when_threads_detect_names_at_once_then_each_gets_the_sequential_answer() -> None:
    texts = [row[0] for row in FOUND] + [row[0] for row in KEPT]
    expected = [names(text) for text in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(names, texts * 10))
    assert answers == expected * 10


@pytest.mark.timeout(120)  # a hang guard: each cue once re-segmented the whole text (quadratic past 4,000 chars)
def test_when_a_long_text_is_full_of_cue_words_then_detection_finishes_with_every_name() -> None:
    text = "".join(f"我叫张{given}，请联系王秀英。" for given in "伟芳娜敏静强磊军洋勇艳杰娟涛明超秀霞平刚" * 40)
    assert len(text) > 4_000
    found = names(text)
    assert found.count("王秀英") == 800 and len(found) == 1600


def test_a_message_is_segmented_once_per_tagger_and_nothing_is_kept_after_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from collections import Counter

    from guardrails.pii.recognizers import jieba_words

    calls: Counter[str] = Counter()
    real_tag = jieba_words._tag

    def counting_tag(text: str, tagger: str) -> tuple[jieba_words.TaggedWord, ...]:
        calls[tagger] += 1
        return real_tag(text, tagger)

    monkeypatch.setattr(jieba_words, "_tag", counting_tag)
    text = "记者从公司获悉，主帅董耘玮与助理教练谢俭强表示，我叫欧阳娜娜，收件人王芳。"
    assert {text[e.start : e.end] for e in detect(text) if e.type == "name"} >= {"欧阳娜娜", "王芳"}
    assert calls and max(calls.values()) == 1, calls  # every name recogniser read one segmentation
    assert getattr(jieba_words._held, "value", None) is None  # and no customer's words stay behind
