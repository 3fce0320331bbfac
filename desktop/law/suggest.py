"""Ranking articles for a complaint note: evidence that generalises, each with a readable reason.

Four kinds of evidence are combined:

* **guidance keywords** found on word boundaries of the note (``desktop.law.keywords``);
* **lexical relevance** (BM25 via ``bm25s``) of the note's words against each article's text and
  guidance, so a note that shares no curated keyword still finds the articles it talks about;
* the complaint's **category** as a prior (the article's main subject first);
* the **site's own practice**: how many similar earlier complaints at this site cited the article
  (counts only, gathered by ``desktop.services.law_learning``; optional).

Precision rules kept as data (``resources/suggest/suggestion-rules.json``) keep articles where they
belong: an article about personal-information handling is not offered outside the privacy
category unless the note talks about personal information. A short or vague note is never left
empty: the category's most-cited articles at the site (or the pack's standard articles for it)
fill the list, labelled as such.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from desktop.domain.codes import category_label
from desktop.i18n import _
from desktop.law.keywords import GAP, Keyword, compile_keywords, match_keywords
from desktop.law.model import Article, Grade, LawPack, Statute
from desktop.law.segment import NUMBER_TOKEN, words
from desktop.paths import resource_path

Ref = tuple[str, int]  # statute key, article number

_MAIN_CATEGORY_BONUS = 1.5
_OTHER_CATEGORY_BONUS = 1.0
_OUTSIDE_CATEGORY_SIGNALS = 2
_OUTSIDE_CATEGORY_FACTOR = 0.8
_BM25_WEIGHT = 1.2  # the best lexical match adds this much; others in proportion
_BM25_ALONE_MIN = 0.45  # share of the best BM25 score an article needs to enter on relevance alone
_SITE_WEIGHT = 0.6  # per log2 of similar cited cases
_FALLBACK_SCORE = 0.01


@dataclass
class Suggestion:
    statute: Statute
    article: Article
    score: float
    reasons: list[str] = field(default_factory=list)
    highlights: list[tuple[int, int]] = field(default_factory=list)
    fallback: bool = False  # offered because the note gave too little to go on


@dataclass(frozen=True)
class SiteEvidence:
    """What this site's own cases say, as counts only (never another customer's data)."""

    similar_cited: Mapping[Ref, int] = field(default_factory=dict)  # similar earlier cases citing it
    similar_cases: int = 0  # how many similar earlier cases were found
    # The category's most-cited articles with their counts; asked only when a note says too little.
    category_top_loader: Callable[[], Sequence[tuple[Ref, int]]] | None = None

    def category_top(self) -> Sequence[tuple[Ref, int]]:
        return self.category_top_loader() if self.category_top_loader is not None else ()


@dataclass(frozen=True)
class SuggestionRules:
    personal_information_terms: tuple[str, ...]
    privacy_only: frozenset[Ref]
    requires_any: Mapping[Ref, tuple[str, ...]]

    @staticmethod
    def load() -> SuggestionRules:
        data = _rules_data()

        def ref(text: str) -> Ref:
            key, number = text.rsplit(" ", 1)
            return key, int(number)

        return SuggestionRules(
            personal_information_terms=tuple(data["personal_information_terms"]),
            privacy_only=frozenset(ref(r) for r in data["privacy_only"]),
            requires_any={ref(r): tuple(terms) for r, terms in data["requires_any"].items()},
        )


@cache
def _rules_data() -> dict[str, Any]:
    loaded = json.loads(resource_path("suggest/suggestion-rules.json").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


@cache
def stopwords() -> frozenset[str]:
    """Words too common in complaint notes to say anything about an article (kept as data)."""
    return frozenset(_rules_data()["stopwords"])


def query_words(text: str) -> list[str]:
    """The note's telling words: no numbers, no stopwords, no single characters."""
    common = stopwords()
    return [w for w in words(text) if w != NUMBER_TOKEN and w not in common and len(w) >= 2]


def grade_factor(statute: Statute) -> float:
    """Verified text outranks secondary material of equal relevance (search and suggestions alike)."""
    return 1.0 if statute.grade is Grade.VERIFIED else 0.8


def find_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """All occurrences of ``terms`` in ``text`` as merged (start, end) spans (for highlighting)."""
    spans: list[tuple[int, int]] = []
    for term in terms:
        start = text.find(term)
        while term and start >= 0:
            spans.append((start, start + len(term)))
            start = text.find(term, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


class Suggester:
    """Suggestions over the articles of a pack that carry guidance."""

    def __init__(self, pack: LawPack, rules: SuggestionRules | None = None) -> None:
        self._entries = [(s, a) for s, a in pack.all_articles() if a.guidance is not None]
        self._keywords: list[tuple[Keyword, ...]] = compile_keywords(
            a.guidance.keywords if a.guidance else () for _s, a in self._entries)
        self._rules = rules or SuggestionRules.load()
        self._row_of = {(s.key, a.number): row for row, (s, a) in enumerate(self._entries)}

    @cached_property
    def _bm25(self) -> Any:
        import bm25s  # numpy and scipy: loaded on first suggestion, not at start-up

        corpus = []
        for _statute, article in self._entries:
            guidance = article.guidance
            assert guidance is not None
            text = "\n".join((article.text, guidance.summary, " ".join(guidance.keywords),
                              guidance.reply_phrasing or ""))
            corpus.append(query_words(text) or ["∅"])
        retriever = bm25s.BM25()
        retriever.index(corpus, show_progress=False)
        return retriever

    def warm_up(self) -> None:
        """Build the ranking model now, so the first suggestion does not wait for it (safe on a worker)."""
        self._bm25  # noqa: B018 - the cached property is built for its side effect

    @property
    def ready(self) -> bool:
        return "_bm25" in vars(self)

    def _about_personal_information(self, text: str) -> bool:
        return any(term in text for term in self._rules.personal_information_terms)

    def _allowed(self, ref: Ref, text: str, category: str | None) -> bool:
        if ref in self._rules.privacy_only and category != "privacy" and not self._about_personal_information(text):
            return False
        required = self._rules.requires_any.get(ref)
        return not required or any(term in text for term in required)

    def suggest(self, text: str, category: str | None = None, limit: int = 5,
                site: SiteEvidence | None = None) -> list[Suggestion]:
        site = site or SiteEvidence()
        tokens = query_words(text)
        relevance = self._bm25.get_scores(tokens) if tokens else None
        best = float(relevance.max()) if relevance is not None and len(relevance) else 0.0
        results: list[Suggestion] = []
        for row, (statute, article) in enumerate(self._entries):
            guidance = article.guidance
            assert guidance is not None
            ref = (statute.key, article.number)
            if not self._allowed(ref, text, category):
                continue
            match = match_keywords(self._keywords[row], text)
            lexical = float(relevance[row]) / best if best > 0 and relevance is not None else 0.0
            cited = site.similar_cited.get(ref, 0)
            in_category = category is not None and category in guidance.categories
            main_category = in_category and guidance.categories[0] == category
            if category is not None and not in_category:
                # One loose word is not enough to bring in an article of another topic.
                if (match.signals < _OUTSIDE_CATEGORY_SIGNALS or match.longest < 3) and cited < 3:
                    continue
            elif not match.keywords and lexical < _BM25_ALONE_MIN and not cited and not (
                    main_category and guidance.reply_phrasing):
                continue
            score = match.weight + _BM25_WEIGHT * lexical
            reasons: list[str] = []
            if match.keywords:
                reasons.append(_("Matched terms: {terms}").format(terms="、".join(match.keywords)))
            if lexical >= _BM25_ALONE_MIN and not match.keywords:
                reasons.append(_("The note's words match this article's text"))
            if in_category and category is not None:
                score += _MAIN_CATEGORY_BONUS if main_category else _OTHER_CATEGORY_BONUS
                reasons.append(_("Category rule: {category}").format(category=category_label(category)))
            elif category is not None:
                score *= _OUTSIDE_CATEGORY_FACTOR
            if cited:
                score += _SITE_WEIGHT * cited.bit_length()
                reasons.append(_("Cited in {count} similar cases at this site").format(count=cited))
            if not match.keywords and lexical < _BM25_ALONE_MIN and not cited:
                score *= 0.5  # the category alone is a weak hint
            score *= grade_factor(statute)
            plain = [k for k in match.keywords if GAP not in k]
            results.append(Suggestion(statute, article, round(score, 3), reasons, find_spans(article.text, plain)))
        results.sort(key=lambda s: -s.score)  # stable: ties keep pack order
        results = results[:limit]
        if len(results) < limit and category is not None:
            results += self._fallback(category, site, limit - len(results), {id(r.article) for r in results}, text)
        return results

    def _fallback(self, category: str, site: SiteEvidence, wanted: int, taken: set[int],
                  text: str) -> list[Suggestion]:
        """The category's most-cited articles at the site, else the pack's standard ones for it."""
        offered: list[Suggestion] = []
        for ref, count in site.category_top():
            row = self._row_of.get(ref)
            if row is None or id(self._entries[row][1]) in taken or not self._allowed(ref, text, category):
                continue
            statute, article = self._entries[row]
            offered.append(Suggestion(statute, article, _FALLBACK_SCORE, [
                _("Most cited for {category} at this site ({count} cases)").format(
                    category=category_label(category), count=count)], fallback=True))
            taken.add(id(article))
        for statute, article in self._entries:
            guidance = article.guidance
            assert guidance is not None
            if (len(offered) >= wanted or id(article) in taken or not guidance.categories
                    or guidance.categories[0] != category
                    or not self._allowed((statute.key, article.number), text, category)):
                continue
            offered.append(Suggestion(statute, article, _FALLBACK_SCORE, [
                _("A standard article for {category}").format(category=category_label(category))], fallback=True))
            taken.add(id(article))
        return offered[:wanted]
