"""The statute pack as immutable values: statutes, articles, guidance, typical cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from desktop.i18n import N_, _
from desktop.law.numerals import article_label


class Grade(StrEnum):
    VERIFIED = "verified"
    SECONDARY = "secondary"


class StatuteStatus(StrEnum):
    IN_FORCE = "in_force"
    AMENDED = "amended"
    REPEALED = "repealed"


_GRADE_LABELS = {
    Grade.VERIFIED: N_("Verified against the official text"),
    Grade.SECONDARY: N_("Secondary sources only, not checked against the official text"),
}
_STATUS_LABELS = {
    StatuteStatus.IN_FORCE: N_("In force"),
    StatuteStatus.AMENDED: N_("Amended"),
    StatuteStatus.REPEALED: N_("Repealed"),
}


def grade_label(grade: Grade) -> str:
    return _(_GRADE_LABELS[grade])


def status_label(status: StatuteStatus) -> str:
    return _(_STATUS_LABELS[status])


@dataclass(frozen=True)
class Guidance:
    """Hand-written help for one article; never part of the quoted text."""

    summary: str
    keywords: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    reply_phrasing: str | None = None


@dataclass(frozen=True)
class Item:
    """A 项 such as （四）; ``paragraph`` is the 1-based 款 it belongs to."""

    paragraph: int
    number: int
    text: str


@dataclass(frozen=True)
class Article:
    statute_key: str
    number: int
    text: str
    paragraphs: tuple[str, ...]
    items: tuple[Item, ...] = ()
    chapter: str = ""
    verbatim: bool = True
    guidance: Guidance | None = None

    @property
    def label(self) -> str:
        return article_label(self.number)

    def paragraph_text(self, paragraph: int) -> str:
        return self.paragraphs[paragraph - 1]

    def item(self, paragraph: int, number: int) -> Item:
        for item in self.items:
            if item.paragraph == paragraph and item.number == number:
                return item
        raise KeyError(f"{self.label} has no item {number} in paragraph {paragraph}")


@dataclass(frozen=True)
class StatuteDates:
    adopted: str
    effective: str
    revised: tuple[str, ...] = ()


@dataclass(frozen=True)
class Statute:
    key: str
    title: str
    short_names: tuple[str, ...]
    issuer: str
    doc_number: str
    doc_number_verified: bool
    dates: StatuteDates
    version_date: str
    status: StatuteStatus
    grade: Grade
    source: str
    notes: tuple[str, ...] = ()
    excerpt: bool = False
    articles: tuple[Article, ...] = ()
    appendix: str = ""
    _by_number: dict[int, Article] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_number.update({article.number: article for article in self.articles})

    @property
    def names(self) -> tuple[str, ...]:
        return (self.title, *self.short_names)

    @property
    def display_name(self) -> str:
        """The common short name agents use (电信条例), else the title."""
        return self.short_names[0] if self.short_names else self.title

    def article(self, number: int) -> Article:
        try:
            return self._by_number[number]
        except KeyError:
            raise KeyError(
                _("{statute} has no article {number} in this pack").format(
                    statute=self.title, number=article_label(number)
                )
            ) from None

    def has_article(self, number: int) -> bool:
        return number in self._by_number


@dataclass(frozen=True)
class CaseReference:
    statute_key: str
    article: int
    paragraph: int | None = None
    item: int | None = None


@dataclass(frozen=True)
class CaseExample:
    """A typical case (典型案例) written for training and for the browser."""

    key: str
    title: str
    category: str
    facts: str
    handling: str
    references: tuple[CaseReference, ...]


@dataclass(frozen=True)
class LawPack:
    format_version: int
    pack_version: str
    statutes: tuple[Statute, ...]
    cases: tuple[CaseExample, ...] = ()

    def find_statute(self, name: str) -> Statute:
        """Look a statute up by key, full title or short name (exact, then unique prefix)."""
        wanted = name.strip().strip("《》")
        for statute in self.statutes:
            if wanted == statute.key or wanted in statute.names:
                return statute
        matches = (
            [s for s in self.statutes if any(n.startswith(wanted) for n in s.names)]
            if wanted
            else []
        )
        if len(matches) == 1:
            return matches[0]
        raise KeyError(_("No statute called {name} in the law pack").format(name=name))

    def statute_by_key(self, key: str) -> Statute:
        for statute in self.statutes:
            if statute.key == key:
                return statute
        raise KeyError(_("No statute called {name} in the law pack").format(name=key))

    def all_articles(self) -> list[tuple[Statute, Article]]:
        return [(statute, article) for statute in self.statutes for article in statute.articles]
