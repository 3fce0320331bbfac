import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.law.numerals import (
    article_label,
    from_chinese,
    item_label,
    paragraph_label,
    to_chinese,
)


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1, "一"), (10, "十"), (11, "十一"), (19, "十九"), (20, "二十"), (39, "三十九"),
        (100, "一百"), (101, "一百零一"), (110, "一百一十"), (201, "二百零一"), (1000, "一千"),
        (1032, "一千零三十二"), (1039, "一千零三十九"), (1100, "一千一百"),
    ],
)  # fmt: skip
def test_known_numerals_both_ways(number: int, text: str) -> None:
    assert to_chinese(number) == text
    assert from_chinese(text) == number


def test_reads_ascii_digits_and_liang() -> None:
    assert from_chinese("34") == 34
    assert from_chinese("两百") == 200


@given(st.integers(min_value=1, max_value=9999))
def test_round_trip(number: int) -> None:
    assert from_chinese(to_chinese(number)) == number


@pytest.mark.parametrize("bad", ["", "abc", "三十x", "第三条"])
def test_rejects_non_numerals(bad: str) -> None:
    with pytest.raises(ValueError):
        from_chinese(bad)


def test_out_of_range() -> None:
    with pytest.raises(ValueError):
        to_chinese(0)


def test_labels() -> None:
    assert article_label(39) == "第三十九条"
    assert paragraph_label(2) == "第二款"
    assert item_label(4) == "第（四）项"
