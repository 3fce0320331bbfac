"""Masking of personal data for display."""

from __future__ import annotations

import pytest

from desktop.domain.masking import (
    is_mask_of,
    mask_address,
    mask_field,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_text,
)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+86 138-1234-5678", "138****5678"),  # normalised first
        ("010-62345678", "010-****5678"),
        ("0755-8888888", "0755-***8888"),
        ("010-62345678-123", "010-****5678"),  # the extension is dropped
        ("not a number", "******mber"),  # unrecognised: spaces dropped, only the last 4 stay
        ("123", "***"),  # too short to show anything
        ("", ""),
    ],
)
def test_mask_phone(text: str, masked: str) -> None:
    assert mask_phone(text) == masked


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("李小龙", "李**"),
        ("欧阳娜娜", "欧阳**"),
        ("司马光", "司马*"),
        ("欧阳", "欧*"),  # a two-character name keeps one character
        ("王", "*"),
        (" 张三 ", "张*"),
        ("John Smith", "J*********"),
        ("", ""),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("11010519491231002X", "110105********002X"),
        ("110105 19491231 002X", "110105********002X"),
        ("110105491231002", "110105*****1002"),
        ("12345", "*****"),
    ],
)
def test_mask_id_number(number: str, masked: str) -> None:
    assert mask_id_number(number) == masked


def test_address_keeps_the_region_only() -> None:
    assert mask_address("北京市海淀区中关村大街1号") == "北京市海淀区*******"
    assert mask_address("海淀") == "海*"
    assert mask_address("") == ""


def test_mask_field_and_echo_detection() -> None:
    assert mask_field("phone", "13812345678") == "138****5678"
    assert mask_field("description", "13812345678") == "13812345678"  # not a personal field
    assert mask_field("id_number", None) is None
    assert is_mask_of("customer_name", "张*", "张三")
    assert not is_mask_of("customer_name", "张三", "张三")  # unchanged real value
    assert not is_mask_of("customer_name", "张四", "张三")  # a real edit
    assert not is_mask_of("demand", "x", "x")


def test_mask_text_covers_mobiles_landlines_and_id_numbers() -> None:
    assert mask_text("电话13812345678。") == "电话138****5678。"
    assert mask_text("+86 138 1234 5678") == "138****5678"
    assert mask_text("0755-88886666转123") == "0755-****6666转123"
    assert mask_text("证件110105194912310") == "证件110105*****2310"  # 15-digit (old) ID
    assert mask_text("金额 12345678 元，单号 TS-20250928-0001") == "金额 12345678 元，单号 TS-20250928-0001"
