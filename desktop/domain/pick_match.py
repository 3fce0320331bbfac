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
from importlib.metadata import version
from pathlib import Path

from desktop.domain.codes import Category, Channel, category_label, channel_label
from desktop.paths import compiled_locale_dir, resource_path

# The coded choices a picker offers, by kind: codes and the label each shows in the active language.
PICKER_CHOICES: dict[str, tuple[tuple[str, ...], Callable[[str], str]]] = {
    "channel": (tuple(c.value for c in Channel), channel_label),
    "category": (tuple(c.value for c in Category), category_label),
}


@cache
def synonyms(kind: str) -> dict[str, tuple[str, ...]]:
    """code -> everyday words, for one picker kind (``category``, ``channel``)."""
    path = resource_path("pickers/synonyms.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    table = data.get(kind, {})
    return {str(code): tuple(str(word) for word in words) for code, words in table.items()}


def picker_labels() -> list[str]:
    """Every label the pickers show in the active language."""
    return [label_for(code) for codes, label_for in PICKER_CHOICES.values() for code in codes]


def pinyin_table_path() -> Path:
    """The picker labels' pinyin keys in every language, written at build time beside the compiled
    catalogs (packaging/compile_catalogs.py): the desk need not load pypinyin's dictionaries (about
    60 MB) to match them."""
    return compiled_locale_dir() / "pinyin-keys.json"


def computed_pinyin_keys(text: str) -> tuple[str, str]:
    """(full pinyin without tones, initials) from pypinyin, e.g. 资费争议 -> ("zifeizhengyi", "zfzy")."""
    from pypinyin import Style, lazy_pinyin  # loaded on first use: its dictionaries are large

    syllables = [s for s in lazy_pinyin(text, style=Style.NORMAL, errors="ignore") if s.strip()]
    full = "".join(syllables).casefold()
    initials = "".join(s[0] for s in syllables if s).casefold()
    return full, initials


@cache
def shipped_pinyin_keys() -> dict[str, tuple[str, str]]:
    """label -> keys from the build's table; empty without one (a source tree not yet built)."""
    try:
        data = json.loads(pinyin_table_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {str(label): (str(full), str(initials)) for label, (full, initials) in data["keys"].items()}


@cache
def pinyin_keys(text: str) -> tuple[str, str]:
    """(full pinyin without tones, initials), e.g. 资费争议 -> ("zifeizhengyi", "zfzy"): from the
    shipped table for the pickers' labels, from pypinyin for any other text."""
    shipped = shipped_pinyin_keys().get(text)
    return shipped if shipped is not None else computed_pinyin_keys(text)


def write_pinyin_table(path: Path, languages: Iterable[str]) -> None:
    """Write the pinyin keys of every picker label in ``languages`` (build time: loads pypinyin)."""
    from desktop.i18n import current_language, set_language

    active = current_language()
    labels: set[str] = set()
    try:
        for language in languages:
            set_language(language)
            labels.update(picker_labels())
    finally:
        set_language(active)
    keys = {label: computed_pinyin_keys(label) for label in sorted(labels)}
    payload = {"pypinyin": version("pypinyin"), "keys": keys}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def warm_up() -> None:
    """Key the pickers' labels in the active language ahead of the first picker: from the shipped
    table, so pypinyin loads only for a label it lacks (e.g. in a source tree not yet built)."""
    for label in picker_labels():
        pinyin_keys(label)


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
