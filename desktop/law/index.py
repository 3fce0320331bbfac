"""Search and suggestions over a loaded pack.

The pack's articles go into an in-memory SQLite database at construction: a
plain table plus an FTS5 ``trigram`` index used for terms of three or more
characters. Terms of one or two characters cannot use the trigram index (on
SQLite 3.40 a short LIKE against it silently matches nothing), so they take a
substring scan over the article texts kept in memory. Scoring is done here so
both paths rank on one scale.
"""

from __future__ import annotations

import math
import re
import sqlite3
from dataclasses import dataclass, field
from functools import cached_property

from desktop.i18n import _
from desktop.law.keywords import compile_keywords
from desktop.law.model import Article, LawPack, Statute
from desktop.law.references import parse_reference
from desktop.law.suggest import SiteEvidence, Suggester, Suggestion, find_spans, grade_factor

_SPLIT = re.compile(r"[\s,，。、；;：:！!？?“”\"'（）()《》]+")
_REFERENCE_SCORE = 100.0
# Category rule: the first category listed is the article's main subject.
_MAIN_CATEGORY_BONUS = 1.5
_OTHER_CATEGORY_BONUS = 1.0
# An article outside the complaint's category needs two signals and then still ranks lower.
_OUTSIDE_CATEGORY_SIGNALS = 2
_OUTSIDE_CATEGORY_FACTOR = 0.8


@dataclass
class SearchHit:
    statute: Statute
    article: Article
    score: float
    reasons: list[str] = field(default_factory=list)
    highlights: list[tuple[int, int]] = field(default_factory=list)


class LawIndex:
    def __init__(self, pack: LawPack) -> None:
        self.pack = pack
        self._entries: list[tuple[Statute, Article]] = pack.all_articles()
        self._texts = [self._searchable(article) for _, article in self._entries]
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute("CREATE VIRTUAL TABLE article_fts USING fts5(body, tokenize='trigram')")
        self._db.executemany(
            "INSERT INTO article_fts(rowid, body) VALUES (?, ?)", list(enumerate(self._texts))
        )
        self._db.commit()
        self._keywords = compile_keywords(
            () if article.guidance is None else article.guidance.keywords
            for _, article in self._entries
        )

    @staticmethod
    def _searchable(article: Article) -> str:
        guidance = article.guidance
        extra = (
            "" if guidance is None else "\n" + guidance.summary + "\n" + " ".join(guidance.keywords)
        )
        return article.text + extra

    # -- term matching -------------------------------------------------------------------------

    def _rows_with(self, term: str) -> set[int]:
        if len(term) >= 3:
            phrase = '"' + term.replace('"', '""') + '"'
            return {
                row
                for (row,) in self._db.execute(
                    "SELECT rowid FROM article_fts WHERE article_fts MATCH ?", (phrase,)
                )
            }
        return {row for row, text in enumerate(self._texts) if term in text}

    def _term_scores(self, term: str, rows: set[int]) -> dict[int, float]:
        idf = math.log(1 + len(self._entries) / (1 + len(rows)))
        scores: dict[int, float] = {}
        for row in rows:
            article = self._entries[row][1]
            occurrences = article.text.count(term)
            keyword = article.guidance is not None and term in article.guidance.keywords
            # A curated keyword says the article is about the term; an occurrence only mentions it.
            weight = (1 + math.log(1 + occurrences)) / (1 + len(article.text) / 400) + (
                2.0 if keyword else 0.0
            )
            scores[row] = idf * weight
        return scores

    def _text_terms(self, text: str) -> list[str]:
        return [term for term in _SPLIT.split(text) if term]

    # -- public API ----------------------------------------------------------------------------

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Articles for a reference (电信条例 34), Chinese text or keywords; best first."""
        reference = parse_reference(query, self.pack)
        hits: dict[int, SearchHit] = {}
        rows_in_scope = [
            row for row, (statute, _a) in enumerate(self._entries)
            if reference.statute is None or statute.key == reference.statute.key
        ]  # fmt: skip
        if reference.article is not None:
            for row in rows_in_scope:
                statute, article = self._entries[row]
                if article.number == reference.article:
                    hits[row] = SearchHit(
                        statute, article, _REFERENCE_SCORE, [_("Article reference")]
                    )
        terms = self._text_terms(reference.rest)
        if reference.statute is not None and reference.article is None and not terms:
            return [
                SearchHit(self._entries[row][0], self._entries[row][1], 1.0, [_("Statute name")])
                for row in rows_in_scope[:limit]
            ]
        scope = set(rows_in_scope)
        matched_terms: dict[int, list[str]] = {}
        for term in terms:
            rows = self._rows_with(term) & scope
            for row, score in self._term_scores(term, rows).items():
                statute, article = self._entries[row]
                hit = hits.setdefault(row, SearchHit(statute, article, 0.0))
                hit.score += score
                matched_terms.setdefault(row, []).append(term)
        for row, found in matched_terms.items():
            hit = hits[row]
            # Articles holding every term of the query come before those holding some.
            hit.score *= len(found) / len(terms)
            hit.reasons.append(_("Matched terms: {terms}").format(terms="、".join(found)))
            hit.highlights = find_spans(hit.article.text, found)
        for row, hit in hits.items():
            if not hit.highlights and row not in matched_terms and terms:
                hit.highlights = find_spans(hit.article.text, terms)
        for hit in hits.values():
            hit.score *= grade_factor(hit.statute)
        order = {id(article): row for row, (_s, article) in enumerate(self._entries)}
        ranked = sorted(hits.values(), key=lambda h: (-h.score, order[id(h.article)]))
        return ranked[:limit]

    def suggest(self, text: str, category: str | None = None, limit: int = 5,
                site: SiteEvidence | None = None) -> list[Suggestion]:
        """Articles most likely to apply to a complaint, best first, with the reasons (see ``suggest.py``)."""
        return self._suggester.suggest(text, category, limit, site)

    def warm_up(self) -> None:
        """Build the suggestion model ahead of the first case (about 0.2 s; safe on a worker thread)."""
        self._suggester.warm_up()

    @property
    def suggestions_ready(self) -> bool:
        """Whether :meth:`suggest` answers without first building its model (and the segmenter)."""
        return "_suggester" in vars(self) and self._suggester.ready

    @cached_property
    def _suggester(self) -> Suggester:
        return Suggester(self.pack)
