import pytest

from knowledge.numerals import arabic_to_chinese, chinese_to_arabic, short_law_title


@pytest.mark.parametrize(
    ("number", "chinese"),
    [
        (1, "一"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (24, "二十四"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (584, "五百八十四"),
        (1000, "一千"),
        (1034, "一千零三十四"),
        (1205, "一千二百零五"),
        (1260, "一千二百六十"),
    ],
)
def test_article_numbers_round_trip(number: int, chinese: str) -> None:
    assert arabic_to_chinese(number) == chinese
    assert chinese_to_arabic(chinese) == number


def test_when_text_is_not_a_numeral_then_value_error() -> None:
    with pytest.raises(ValueError, match="not a Chinese numeral"):
        chinese_to_arabic("第五条")


def test_arabic_digits_are_accepted() -> None:
    assert chinese_to_arabic("47") == 47


def test_short_title_drops_the_state_prefix() -> None:
    assert short_law_title("中华人民共和国民法典") == "民法典"
