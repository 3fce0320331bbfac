"""Masking of personal data for display."""

from __future__ import annotations

import pytest

from desktop.domain.masking import mask_id_number, mask_name, mask_phone


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
