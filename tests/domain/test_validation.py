"""Phone numbers, identity numbers and pasted text."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.validation import (
    FieldError,
    clean_text,
    field_label,
    normalize_landline,
    normalize_mobile,
    normalize_phone,
    validate_id_number,
)
from desktop.i18n import set_language


@pytest.fixture
def language() -> Iterator[None]:
    yield
    set_language("zh_CN")


def independent_check_digit(first17: str) -> str:
    # Written from GB 11643-1999 directly: weight of position i (1-based from the left,
    # counting the check digit as position 1 from the right) is 2^(i-1) mod 11.
    total = sum(int(digit) * pow(2, 17 - index, 11) for index, digit in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("0086 13812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),  # full-width digits from a Chinese IME
        ("＋８６ １９９-０００１-２３４５", "19900012345"),
        (" 17700001111 ", "17700001111"),
    ],
)
def test_valid_mobiles(text: str, expected: str) -> None:
    assert normalize_mobile(text) == expected
    assert normalize_phone(text) == expected


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        (
            "1381234567",
            "被投诉号码：手机号码应为11位数字，当前为10位。",
            "Number under complaint: A mobile number has 11 digits; this one has 10.",
        ),
        ("138123456789", "手机号码应为11位数字，当前为12位", "this one has 12."),
        (
            "12812345678",
            "手机号码应以13至19开头，当前以12开头",
            "starts with 13 to 19; this one starts with 12",
        ),
        ("138l2345678", "电话号码只能包含数字，发现了“l”", "may contain only digits; found “l”"),
        ("+1 415 555 0100", "只接受中国大陆号码（+86）", "Only mainland China numbers (+86)"),
        ("", "请输入电话号码。", "Enter a phone number."),
    ],
)
def test_invalid_mobiles(text: str, zh: str, en: str, language: None) -> None:
    set_language("zh_CN")
    with pytest.raises(FieldError) as error:
        normalize_mobile(text)
    assert zh in error.value.message
    assert error.value.field == "phone"
    set_language("en")
    with pytest.raises(FieldError) as error:
        normalize_mobile(text)
    assert en in error.value.message
    assert en in str(error.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("010-62345678", "010-62345678"),
        ("(010)62345678", "010-62345678"),
        ("（０１０）６２３４５６７８", "010-62345678"),
        ("010 6234 5678", "010-62345678"),
        ("021-5888 1234", "021-58881234"),
        ("0755-8888888", "0755-8888888"),
        ("07558888888", "0755-8888888"),
        ("0755 8888 8888", "0755-88888888"),
        ("+86 10 62345678", "010-62345678"),
        ("0086-21-62345678", "021-62345678"),
        ("010-62345678-123", "010-62345678-123"),
        ("010-62345678 转 8001", "010-62345678-8001"),
        ("0571-87654321 ext. 12", "0571-87654321-12"),
    ],
)
def test_valid_landlines(text: str, expected: str) -> None:
    assert normalize_landline(text) == expected
    assert normalize_phone(text) == expected


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("62345678", "固定电话号码需要带区号，例如010-62345678。", "needs its area code"),
        ("075-5888888", "区号075无效", "The area code 075 is not valid."),
        ("0123-4567890", "区号0123无效", "The area code 0123 is not valid."),
        (
            "010-6234567",
            "区号010后的本地号码应为8位，当前为7位",
            "After the area code 010, a local number has 8 digits; this one has 7.",
        ),
        (
            "0755-888888",
            "区号0755后的本地号码应为7或8位，当前为6位",
            "has 7 or 8 digits; this one has 6",
        ),
        ("0755-0888888", "本地号码不能以0或1开头", "never starts with 0 or 1"),
        ("010-6234abcd", "电话号码只能包含数字", "may contain only digits"),
    ],
)
def test_invalid_landlines(text: str, zh: str, en: str, language: None) -> None:
    set_language("zh_CN")
    with pytest.raises(FieldError) as error:
        normalize_phone(text, "contact_phone")
    assert zh in error.value.message
    assert error.value.message.startswith("联系电话：")
    set_language("en")
    with pytest.raises(FieldError) as error:
        normalize_phone(text, "contact_phone")
    assert en in error.value.message
    assert error.value.message.startswith("Contact phone: ")


def test_phone_kind_errors(language: None) -> None:
    set_language("zh_CN")
    with pytest.raises(FieldError, match="既不是手机号码"):
        normalize_phone("5551234567")
    assert normalize_phone("013812345678") == "13812345678"  # 加拨0 before a mobile
    with pytest.raises(FieldError, match="需要带区号"):
        normalize_landline("13812345678")


# Published example of GB 11643-1999 (Beijing, Chaoyang, born 1949-12-31, check digit X).
PUBLISHED_ID = "11010519491231002X"


def test_known_published_id() -> None:
    assert independent_check_digit(PUBLISHED_ID[:17]) == "X"
    assert validate_id_number(PUBLISHED_ID) == PUBLISHED_ID
    assert validate_id_number("11010519491231002x") == PUBLISHED_ID
    assert validate_id_number(" 110105 19491231 002X ") == PUBLISHED_ID
    assert validate_id_number("１１０１０５１９４９１２３１００２Ｘ") == PUBLISHED_ID


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("110105194912310021", "最后一位校验码应为X，而不是1", "check digit) should be X, not 1"),
        (
            "1101051949123100",
            "身份证号码应为18位，当前为16位",
            "has 18 characters; this one has 16",
        ),
        ("110105491231002", "旧的15位号码", "old 15-digit number"),
        (
            "11010519491331002X",
            "出生日期码19491331不是有效日期",
            "The birth date part 19491331 is not a real date.",
        ),
        ("11010518991231002X", "出生日期1899-12-31早于1900年", "before 1900"),
        ("110105209912310020", "出生日期2099-12-31晚于今天", "is in the future"),
        (
            "910105194912310021",
            "地址码910105无效：首位应为1至8",
            "must start with a digit from 1 to 8",
        ),
        ("11010519491231X02X", "第15位是“X”", "Character 15 is “X”"),
        ("", "请输入身份证号码。", "Enter the ID card number."),
    ],
)
def test_invalid_ids(text: str, zh: str, en: str, language: None) -> None:
    set_language("zh_CN")
    with pytest.raises(FieldError) as error:
        validate_id_number(text)
    assert zh in error.value.message
    assert error.value.message.startswith("身份证号码：")
    set_language("en")
    with pytest.raises(FieldError) as error:
        validate_id_number(text)
    assert en in error.value.message


REGIONS = ["110105", "310104", "440305", "510107", "650102", "820000", "330106", "230102"]

first17s = st.builds(
    lambda region, birth, seq: region + birth.strftime("%Y%m%d") + seq,
    st.sampled_from(REGIONS),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2024, 12, 31)),
    st.text(alphabet="0123456789", min_size=3, max_size=3),
)


@given(first17=first17s, other=st.sampled_from(list("0123456789X")))
def test_check_digit_property(first17: str, other: str) -> None:
    right = independent_check_digit(first17)
    assert validate_id_number(first17 + right) == first17 + right
    if other != right:
        with pytest.raises(FieldError):
            validate_id_number(first17 + other)


def test_future_is_judged_against_given_day() -> None:
    born = "110105202501010" + "01"
    number = born + independent_check_digit(born)
    assert validate_id_number(number, today=date(2025, 6, 1)) == number
    with pytest.raises(FieldError):
        validate_id_number(number, today=date(2024, 12, 31))


WORD_PASTE = (
    "\ufeff客户反映：\u00a0宽带\u200b经常断网。\r\n"
    "\r\n\r\n\r\n\r\n"
    "\u3000\u3000要求\u00ad退还\u200e月租\t费用。  \r\n"
    "联系人\u2028张三\u2029"
)


def test_clean_word_paste() -> None:
    cleaned = clean_text(WORD_PASTE, "description", max_length=500)
    # four blank lines collapse to two; U+3000 indentation is kept
    assert cleaned == (
        "客户反映： 宽带经常断网。\n\n\n\u3000\u3000要求退还月租 费用。\n联系人\n张三"
    )


def test_clean_single_line_and_nfc() -> None:
    assert clean_text(" 北京市\r\n朝阳区\u00a0 ", "address", max_length=50, multiline=False) == (
        "北京市 朝阳区"
    )
    assert clean_text("Cafe\u0301", "note", max_length=10) == "Café"
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert clean_text(f"a\u200db{family}", "note", max_length=20) == f"ab{family}"


def test_clean_text_rejects_control_characters(language: None) -> None:
    set_language("zh_CN")
    with pytest.raises(FieldError) as error:
        clean_text("投诉\x07内容", "description", max_length=100)
    assert error.value.message == "投诉内容：文本第3个字符是不可见的控制字符（U+0007），请删除。"
    set_language("en")
    with pytest.raises(FieldError) as error:
        clean_text("ab\x00", "demand", max_length=100)
    assert error.value.message == (
        "Customer's request: The text contains an invisible control character (U+0000) "
        "at position 3; please delete it."
    )


def test_clean_text_length_and_required(language: None) -> None:
    set_language("zh_CN")
    with pytest.raises(FieldError) as error:
        clean_text("一二三四五六", "customer_name", max_length=5)
    assert error.value.message == "客户姓名：最多允许5个字符，当前为6个。"
    assert clean_text("一二三四五\u200b ", "customer_name", max_length=5) == "一二三四五"
    with pytest.raises(FieldError) as error:
        clean_text(" \u200b\u3000 ", "description", max_length=5, required=True)
    assert error.value.message == "投诉内容：此项为必填项，不能为空。"
    assert clean_text("", "note", max_length=5) == ""


def test_field_labels(language: None) -> None:
    set_language("zh_CN")
    labels = {
        "phone": "被投诉号码",
        "contact_phone": "联系电话",
        "id_number": "身份证号码",
        "customer_name": "客户姓名",
        "description": "投诉内容",
        "demand": "客户诉求",
        "address": "地址",
    }
    assert {field: field_label(field) for field in labels} == labels
    assert field_label("unknown_field") == "unknown_field"
    set_language("en")
    assert field_label("id_number") == "ID card number"
