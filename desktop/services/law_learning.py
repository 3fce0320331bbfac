"""Suggestions that learn from the site's own cases — counts only, never another customer's data.

When an agent cites an article, the complaint's telling words are stored (``case_terms``). For a
new note, earlier complaints sharing at least two of its rarer words are its similar cases; the
articles those cases cite, and how many cases cite each, go to the suggester as evidence ("cited in
37 similar cases at this site"). The work is bounded whatever the store's size: at most
:data:`MAX_TERMS` words, the :data:`POSTINGS_PER_TERM` most recent cases per word, one grouped
count. Plain SQL, so SQLite and PostgreSQL behave alike. A site can switch it off
(setting ``law_learning``).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import partial

from sqlalchemy import Connection, bindparam, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from desktop.law.suggest import Ref, SiteEvidence, query_words
from desktop.services.site import SiteSettingsService
from desktop.store.models import CaseTerm, Complaint, ComplaintCitation

MAX_TERMS = 8  # rarest words of the note that are looked up
POSTINGS_PER_TERM = 300  # most recent cited cases read per word
MAX_SIMILAR = 200
MAX_STORED_TERMS = 64  # words kept per cited complaint
TERM_LENGTH = 32


def complaint_terms(description: str, demand: str) -> list[str]:
    """The distinct telling words of a complaint, as stored for learning."""
    words = dict.fromkeys(w for w in query_words(f"{description}\n{demand}") if len(w) <= TERM_LENGTH)
    return list(words)[:MAX_STORED_TERMS]


def remember_cited_complaint(session: Session, complaint: Complaint) -> None:
    """Keep the words of a complaint that just got a citation (once; in the citing transaction)."""
    known = session.execute(select(CaseTerm.term).where(CaseTerm.complaint_id == complaint.id).limit(1)).first()
    if known is None:
        session.add_all(CaseTerm(complaint_id=complaint.id, term=term)
                        for term in complaint_terms(complaint.description, complaint.demand))


# Raw SQL through the connection: these run on every case opened, and building ORM statements
# would cost several times the database's own work. Both are plain SQL for SQLite and PostgreSQL.
_POSTINGS = text(
    "SELECT complaint_id FROM case_terms WHERE term = :term ORDER BY complaint_id DESC LIMIT :limit")
_CITED = text(
    "SELECT statute_key, article, count(DISTINCT complaint_id) FROM complaint_citations "
    "WHERE complaint_id IN :ids GROUP BY statute_key, article").bindparams(bindparam("ids", expanding=True))


class SiteLearning:
    def __init__(self, sessions: sessionmaker[Session], site: SiteSettingsService) -> None:
        self._sessions = sessions
        self._site = site

    def enabled(self) -> bool:
        return bool(self._site.get("law_learning"))

    def evidence(self, text: str, category: str | None, *, exclude_complaint_id: int | None = None) -> SiteEvidence:
        if not self.enabled():
            return SiteEvidence()
        terms = list(dict.fromkeys(query_words(text)))[:MAX_TERMS]
        with self._sessions() as session:
            connection = session.connection()
            similar = _similar_cases(connection, terms, exclude_complaint_id)
            cited: dict[Ref, int] = {}
            if similar:
                rows = connection.execute(_CITED, {"ids": similar})
                cited = {(key, int(article)): int(count) for key, article, count in rows}
        loader = partial(self._category_top, category, exclude_complaint_id) if category else None
        return SiteEvidence(similar_cited=cited, similar_cases=len(similar), category_top_loader=loader)

    def _category_top(self, category: str, exclude: int | None) -> list[tuple[Ref, int]]:
        """The category's most-cited articles at this site (asked only for notes that say too little)."""
        cases = func.count(func.distinct(ComplaintCitation.complaint_id))
        query = (select(ComplaintCitation.statute_key, ComplaintCitation.article, cases)
                 .join(Complaint, Complaint.id == ComplaintCitation.complaint_id)
                 .where(Complaint.category == category)
                 .group_by(ComplaintCitation.statute_key, ComplaintCitation.article)
                 .order_by(cases.desc()).limit(5))
        if exclude is not None:
            query = query.where(ComplaintCitation.complaint_id != exclude)
        with self._sessions() as session:
            return [((key, int(article)), int(count)) for key, article, count in session.execute(query)]


def _similar_cases(connection: Connection, terms: Sequence[str], exclude: int | None) -> list[int]:
    """Earlier cited complaints sharing the note's words, most alike first.

    Each word reads at most :data:`POSTINGS_PER_TERM` of its most recent cases; a word found in
    fewer cases says more (weight log(cap / found)), and a case must share two words at least.
    """
    postings = {term: connection.execute(_POSTINGS, {"term": term, "limit": POSTINGS_PER_TERM}).scalars().all()
                for term in terms}
    postings = {term: ids for term, ids in postings.items() if ids}
    shared: Counter[int] = Counter()
    weight: defaultdict[int, float] = defaultdict(float)
    for ids in postings.values():
        telling = math.log(1 + POSTINGS_PER_TERM / len(ids))
        for complaint_id in ids:
            shared[complaint_id] += 1
            weight[complaint_id] += telling
    needed = min(2, len(postings))
    alike = [complaint_id for complaint_id, count in shared.items() if count >= needed and complaint_id != exclude]
    alike.sort(key=lambda complaint_id: -weight[complaint_id])
    return alike[:MAX_SIMILAR]
