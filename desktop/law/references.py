"""Recognise article references in a query.

Accepted forms: 电信条例 第三十四条, 电信条例 34, 消保法55, 民法典201, 第三十九条.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.law.model import LawPack, Statute
from desktop.law.numerals import from_chinese

_NUMBER = re.compile(r"^\s*第?\s*([零一二三四五六七八九十百千两]+|\d+)\s*条?")


@dataclass(frozen=True)
class Reference:
    statute: Statute | None
    article: int | None
    rest: str  # the query with the reference removed, for further text search


def _name_table(pack: LawPack) -> list[tuple[str, Statute]]:
    names = [(name, statute) for statute in pack.statutes for name in statute.names]
    return sorted(names, key=lambda pair: len(pair[0]), reverse=True)


def parse_reference(query: str, pack: LawPack) -> Reference:
    """Split ``query`` into a statute (longest name found), an article number and the rest."""
    text = query.replace("《", " ").replace("》", " ")
    statute: Statute | None = None
    for name, candidate in _name_table(pack):
        position = text.find(name)
        if position >= 0:
            statute = candidate
            text = text[:position] + " " + text[position + len(name) :]
            after = text[position:]
            number_match = _NUMBER.match(after)
            if number_match and _looks_like_article(number_match.group(0)):
                number = from_chinese(number_match.group(1))
                rest = text[:position] + after[number_match.end() :]
                return Reference(statute, number, rest.strip())
            return Reference(statute, None, text.strip())
    bare = re.search(r"第([零一二三四五六七八九十百千两]+|\d+)条", text)
    if bare:
        rest = text[: bare.start()] + text[bare.end() :]
        return Reference(None, from_chinese(bare.group(1)), rest.strip())
    return Reference(None, None, text.strip())


def _looks_like_article(fragment: str) -> bool:
    """A bare number after a statute name is an article; so is 第…条 / …条."""
    stripped = fragment.strip()
    return stripped[:1].isdigit() or stripped.startswith("第") or stripped.endswith("条")
