"""Chinese numerals as used in article numbers (第二百零一条, 第一千零三十九条) and back."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"
_DIGIT_VALUES = {ch: i for i, ch in enumerate(_DIGITS)} | {"两": 2, "〇": 0}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def to_chinese(number: int) -> str:
    """Write ``number`` (1..9999) the way statutes number their articles.

    Ten to nineteen drop the leading 一 (第十条, 第十九条) while 110 keeps it
    (第一百一十条), and an inner gap is written with a single 零 (第二百零一条).
    """
    if not 0 < number < 10000:
        raise ValueError(f"article numbers run from 1 to 9999, not {number}")
    parts: list[str] = []
    pending_zero = False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // unit_value % 10
        if digit == 0:
            if parts:
                pending_zero = True
            continue
        if pending_zero:
            parts.append("零")
            pending_zero = False
        parts.append(_DIGITS[digit] + unit)
    text = "".join(parts)
    if 10 <= number < 20:
        text = text[1:]
    return text


def from_chinese(text: str) -> int:
    """Read a Chinese numeral (十九, 二百零一, 一千零三十九) or plain digits."""
    stripped = text.strip()
    if not stripped:
        raise ValueError("empty numeral")
    if stripped.isascii() and stripped.isdigit():
        return int(stripped)
    total = 0
    current = 0
    seen_any = False
    for ch in stripped:
        if ch in _DIGIT_VALUES:
            current = _DIGIT_VALUES[ch]
            seen_any = True
        elif ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
            seen_any = True
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    if not seen_any:
        raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + current


def article_label(number: int) -> str:
    return f"第{to_chinese(number)}条"


def paragraph_label(number: int) -> str:
    return f"第{to_chinese(number)}款"


def item_label(number: int) -> str:
    return f"第（{to_chinese(number)}）项"
