"""Partial masking of personal data for lists, exports and printouts.

Masking is for display: it never raises, and anything it cannot recognise is
masked more, not less.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from desktop.domain.validation import FieldError, normalize_phone

MASK = "*"

# Two-character surnames, kept whole so "欧阳娜娜" reads "欧阳**" and not "欧***".
_COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "百里",
        "呼延",
        "万俟",
        "澹台",
        "公冶",
        "赫连",
        "申屠",
        "太史",
        "钟离",
        "闾丘",
        "司空",
        "东郭",
        "濮阳",
        "拓跋",
        "完颜",
    ]
)


def _keep_last(text: str, keep: int) -> str:
    # Short strings would be readable from their last characters alone.
    if len(text) < 2 * keep:
        return MASK * len(text)
    return MASK * (len(text) - keep) + text[-keep:]


def mask_phone(text: str) -> str:
    """``13812345678`` → ``138****5678``; ``010-12345678`` → ``010-****5678``."""
    try:
        number = normalize_phone(text)
    except FieldError:
        return _keep_last("".join(char for char in text if not char.isspace()), 4)
    if "-" not in number:
        return number[:3] + MASK * 4 + number[-4:]
    area, subscriber = number.split("-")[:2]  # an extension is dropped: it identifies nobody
    return f"{area}-{MASK * (len(subscriber) - 4)}{subscriber[-4:]}"


def mask_name(name: str) -> str:
    """Keep the surname only: ``张三`` → ``张*``, ``欧阳娜娜`` → ``欧阳**``.

    Other scripts keep their first character: ``John Smith`` → ``J*********``.
    """
    name = name.strip()
    if len(name) <= 1:
        return MASK * len(name)
    keep = 2 if len(name) > 2 and name[:2] in _COMPOUND_SURNAMES else 1
    return name[:keep] + MASK * (len(name) - keep)


def mask_id_number(text: str) -> str:
    """``11010519491231002X`` → ``110105********002X`` (first 6 and last 4 kept)."""
    value = "".join(text.split())
    if len(value) <= 10:
        return MASK * len(value)
    return value[:6] + MASK * (len(value) - 10) + value[-4:]


def mask_address(text: str) -> str:
    """Keep the province/city part: ``北京市海淀区中关村大街1号`` → ``北京市海淀区*******``."""
    value = text.strip()
    keep = min(6, len(value) // 2)
    return value[:keep] + MASK * (len(value) - keep)


# Field name → how it is masked. Every place that shows a case uses this one table.
PERSONAL_FIELDS: dict[str, Callable[[str], str]] = {
    "customer_name": mask_name,
    "phone": mask_phone,
    "contact_phone": mask_phone,
    "id_number": mask_id_number,
    "address": mask_address,
}


def mask_field(field: str, value: str | None) -> str | None:
    """``value`` masked if ``field`` holds personal data, else unchanged; ``None`` stays ``None``."""
    if value is None or value == "" or field not in PERSONAL_FIELDS:
        return value
    return PERSONAL_FIELDS[field](str(value))


def is_mask_of(field: str, text: object, stored: str | None) -> bool:
    """True when ``text`` is just the masked form of ``stored`` (a screen echo, not an edit)."""
    if not stored or not isinstance(text, str) or field not in PERSONAL_FIELDS:
        return False
    return text.strip() != stored and text.strip() == mask_field(field, stored)


_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![\d+])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
_LANDLINE = re.compile(r"(?<![\d-])0\d{2,3}-\d{7,8}(?!\d)")


def mask_text(text: str) -> str:
    """Mask every phone and ID number found in free text (log lines, error messages)."""
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group()), text)
    text = _MOBILE.sub(lambda m: mask_phone(m.group()), text)
    return _LANDLINE.sub(lambda m: mask_phone(m.group()), text)
