"""Split an article's lines into 款 (paragraphs) and 项 (items).

An item line starts with （一） or (一); it belongs to the paragraph above it.
Every other line opens a new paragraph. The article text is the lines joined
with newlines, exactly as in the source.
"""

from __future__ import annotations

from typing import Any

from desktop.law.numerals import from_chinese
from desktop.law.sources import ITEM_START


def article_record(
    number: int, lines: list[str], chapter: str = "", verbatim: bool = True
) -> dict[str, Any]:
    """The JSON record of one article as stored in a statute file."""
    paragraphs: list[str] = []
    items: list[dict[str, Any]] = []
    for line in lines:
        match = ITEM_START.match(line)
        if match and paragraphs:
            items.append(
                {"paragraph": len(paragraphs), "number": from_chinese(match.group(1)), "text": line}
            )
        else:
            paragraphs.append(line)
    return {
        "number": number,
        "chapter": chapter,
        "text": "\n".join(lines),
        "paragraphs": paragraphs,
        "items": items,
        "verbatim": verbatim,
    }
