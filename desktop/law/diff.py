"""What changed between two packs, for the supervisor's import screen."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.law.model import LawPack


@dataclass(frozen=True)
class ArticleChange:
    statute_key: str
    article: int
    old_text: str | None
    new_text: str | None


@dataclass
class PackDiff:
    old_version: str
    new_version: str
    added_statutes: list[str] = field(default_factory=list)
    removed_statutes: list[str] = field(default_factory=list)
    changed_metadata: list[str] = field(default_factory=list)
    added: list[ArticleChange] = field(default_factory=list)
    removed: list[ArticleChange] = field(default_factory=list)
    changed: list[ArticleChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.added_statutes or self.removed_statutes or self.changed_metadata
            or self.added or self.removed or self.changed
        )  # fmt: skip


def diff_packs(old: LawPack, new: LawPack) -> PackDiff:
    result = PackDiff(old.pack_version, new.pack_version)
    old_statutes = {s.key: s for s in old.statutes}
    new_statutes = {s.key: s for s in new.statutes}
    result.added_statutes = sorted(new_statutes.keys() - old_statutes.keys())
    result.removed_statutes = sorted(old_statutes.keys() - new_statutes.keys())
    for key in sorted(old_statutes.keys() & new_statutes.keys()):
        before, after = old_statutes[key], new_statutes[key]
        for name in ("title", "status", "grade", "version_date", "doc_number"):
            if getattr(before, name) != getattr(after, name):
                result.changed_metadata.append(f"{key}.{name}")
        old_articles = {a.number: a.text for a in before.articles}
        new_articles = {a.number: a.text for a in after.articles}
        for number in sorted(new_articles.keys() - old_articles.keys()):
            result.added.append(ArticleChange(key, number, None, new_articles[number]))
        for number in sorted(old_articles.keys() - new_articles.keys()):
            result.removed.append(ArticleChange(key, number, old_articles[number], None))
        for number in sorted(old_articles.keys() & new_articles.keys()):
            if old_articles[number] != new_articles[number]:
                result.changed.append(
                    ArticleChange(key, number, old_articles[number], new_articles[number])
                )
    for key in result.added_statutes:
        result.added.extend(
            ArticleChange(key, a.number, None, a.text) for a in new_statutes[key].articles
        )
    for key in result.removed_statutes:
        result.removed.extend(
            ArticleChange(key, a.number, a.text, None) for a in old_statutes[key].articles
        )
    return result
