"""Find a coded choice from what an agent types: part of its label, its pinyin (full or initials),
a colleague's everyday word for it (synonyms kept as data in resources/pickers/synonyms.json) or
its code. No Qt: the pickers and the CLI can share it.

“计费” finds 资费争议 (billing) through the synonyms, “zfzy” and “zifei” through pinyin, “billing”
through the code.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from desktop.paths import resource_path


@cache
def synonyms(kind: str) -> dict[str, tuple[str, ...]]:
    """code -> everyday words, for one picker kind (``category``, ``channel``)."""
    path = resource_path("pickers/synonyms.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    table = data.get(kind, {})
    return {str(code): tuple(str(word) for word in words) for code, words in table.items()}


@cache
def pinyin_keys(text: str) -> tuple[str, str]:
    """(full pinyin without tones, initials), e.g. 资费争议 -> ("zifeizhengyi", "zfzy")."""
    from pypinyin import Style, lazy_pinyin  # loaded on first use: its dictionaries are large

    syllables = [s for s in lazy_pinyin(text, style=Style.NORMAL, errors="ignore") if s.strip()]
    full = "".join(syllables).casefold()
    initials = "".join(s[0] for s in syllables if s).casefold()
    return full, initials


def warm_up() -> None:
    """Load pypinyin's dictionaries (about half a second), e.g. on a thread once the desk is shown."""
    pinyin_keys("投诉")


def _fold(text: str) -> str:
    return "".join(text.split()).casefold()


@dataclass(frozen=True)
class Choice:
    code: str
    label: str
    words: tuple[str, ...]

    def search_text(self, *, with_pinyin: bool = True) -> str:
        """Everything a typed text may match, for a contains-match completer (``with_pinyin=False``:
        without the label's pinyin, which needs pypinyin's large dictionaries loaded)."""
        pinyin = pinyin_keys(self.label) if with_pinyin else ()
        return " ".join([_fold(self.label), *pinyin, *(_fold(w) for w in self.words), self.code.casefold()])


class ChoiceMatcher:
    def __init__(self, codes: Iterable[str], label_for: Callable[[str], str],
                 words: Mapping[str, Iterable[str]] | None = None) -> None:
        table = words or {}
        self.choices = [Choice(code, label_for(code), tuple(table.get(code, ()))) for code in codes]

    def match(self, text: str) -> list[str]:
        """Codes ``text`` names: an exact label, code or everyday word wins outright; else every
        choice whose label, pinyin, initials, words or code contains it."""
        needle = _fold(text)
        if not needle:
            return []
        exact = [c.code for c in self.choices if _fold(c.label) == needle or c.code.casefold() == needle]
        if exact:
            return exact[:1]
        said = [c.code for c in self.choices if any(_fold(w) == needle for w in c.words)]
        if len(said) == 1:
            return said
        return [c.code for c in self.choices if needle in c.search_text()]
