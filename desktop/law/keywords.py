"""Matching the hand-written guidance keywords against a complaint description.

A keyword is a word or phrase (``销户``) or, with ``…``, an ordered pattern whose parts may be
separated by a few characters (``转…部门`` matches 转了三四个部门), because agents put numbers and
fillers inside set phrases. A keyword only counts where it starts and ends on word boundaries of
the note (:mod:`desktop.law.segment`): ``更新`` is not found in 自动更新, and a keyword with a
digit in it matches only a whole number (``120`` the ambulance, never inside 1200; ``0元`` never
inside 100元).
A keyword listed by many articles says little about any one of them, so its weight falls with the
number of articles listing it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from desktop.law.segment import boundaries, normalize

GAP = "…"
_MAX_GAP = 6  # characters allowed between the parts of a gap keyword
_STRONG_LENGTH = 4  # a keyword this long, listed by one article only, is a signal on its own
_ONE_BOUNDARY_LENGTH = 3  # from this length a keyword needs a word boundary at one end only


@dataclass(frozen=True)
class Keyword:
    text: str
    weight: float
    strong: bool
    pattern: re.Pattern[str] | None
    # A number must stand alone (120 the ambulance, never inside 1200; 0元 never inside 100元), and
    # a two-character keyword must start and end on word boundaries; longer ones need one.
    both_boundaries: bool = True
    first: str = ""  # its first character: a note without it cannot hold the keyword

    def found_in(self, text: str, cuts: frozenset[int]) -> bool:
        """Whether the keyword occurs in (normalised) ``text`` on word boundaries.

        A two-character keyword must start and end on boundaries (更新 is not in 自动更新); a longer
        one is specific enough that one boundary will do, which forgives the segmenter's own slips
        (卡一|直销|不了 still holds 销不了).
        """
        if self.pattern is None:
            return False
        for match in self.pattern.finditer(text):
            starts, ends = match.start(1) in cuts, match.end(1) in cuts
            if (starts and ends) if self.both_boundaries else (starts or ends):
                return True
        return False


@dataclass(frozen=True)
class KeywordMatch:
    keywords: tuple[str, ...]
    weight: float
    signals: int
    longest: int  # visible length of the longest keyword found


def _visible_length(keyword: str) -> int:
    return len(keyword.replace(GAP, ""))


def _pattern(keyword: str) -> re.Pattern[str] | None:
    """The keyword as a search pattern (lookahead, so overlapping occurrences are all tried)."""
    parts = [re.escape(normalize(part)) for part in keyword.split(GAP) if part]
    body = f".{{0,{_MAX_GAP}}}?".join(parts)
    return re.compile(f"(?=({body}))")


def compile_keywords(per_article: Iterable[tuple[str, ...]]) -> list[tuple[Keyword, ...]]:
    """Weighted keywords for each article, in the order given."""
    lists = [tuple(dict.fromkeys(k for k in keywords if k.strip(GAP))) for keywords in per_article]
    listed_by = Counter(k for keywords in lists for k in keywords)
    compiled: list[tuple[Keyword, ...]] = []
    for keywords in lists:
        entries = []
        for keyword in keywords:
            length = _visible_length(keyword)
            # Longer phrases are more telling; sharing a keyword with n articles divides its say.
            weight = (1.0 + 0.3 * max(length - 2, -1)) / math.sqrt(listed_by[keyword])
            strong = length >= _STRONG_LENGTH and listed_by[keyword] == 1
            both = length < _ONE_BOUNDARY_LENGTH or any(c.isdigit() for c in keyword)
            entries.append(Keyword(keyword, weight, strong, _pattern(keyword), both, normalize(keyword)[:1]))
        compiled.append(tuple(entries))
    return compiled


def match_keywords(keywords: tuple[Keyword, ...], text: str) -> KeywordMatch:
    """The article's keywords found in ``text``; a keyword inside a longer found one is not counted twice."""
    normalized, cuts = boundaries(text)
    present = set(normalized)
    found = [k for k in keywords if k.first in present and k.found_in(normalized, cuts)]
    kept = [
        k for k in found
        if not any(k is not other and k.text in other.text and k.text != other.text for other in found)
    ]  # fmt: skip
    return KeywordMatch(
        keywords=tuple(k.text for k in kept),
        weight=sum(k.weight for k in kept),
        signals=sum(2 if k.strong else 1 for k in kept),
        longest=max((_visible_length(k.text) for k in kept), default=0),
    )
