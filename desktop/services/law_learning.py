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

from collections import Counter
from collections.abc import Sequence

from sqlalchemy import func, select
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


class SiteLearning:
    def __init__(self, sessions: sessionmaker[Session], site: SiteSettingsService) -> None:
        self._sessions = sessions
        self._site = site

    def enabled(self) -> bool:
        return bool(self._site.get("law_learning"))

    def evidence(self, text: str, category: str | None, *, exclude_complaint_id: int | None = None) -> SiteEvidence:
        if not self.enabled():
            return SiteEvidence()
        terms = list(dict.fromkeys(query_words(text)))
        with self._sessions() as session:
            similar = self._similar_cases(session, terms, exclude_complaint_id)
            cited: dict[Ref, int] = {}
            if similar:
                rows = session.execute(
                    select(ComplaintCitation.statute_key, ComplaintCitation.article,
                           func.count(func.distinct(ComplaintCitation.complaint_id)))
                    .where(ComplaintCitation.complaint_id.in_(similar))
                    .group_by(ComplaintCitation.statute_key, ComplaintCitation.article))
                cited = {(key, int(article)): int(count) for key, article, count in rows}
            top = self._category_top(session, category, exclude_complaint_id) if category else ()
        return SiteEvidence(similar_cited=cited, similar_cases=len(similar), category_top=top)

    @staticmethod
    def _similar_cases(session: Session, terms: Sequence[str], exclude: int | None) -> list[int]:
        if not terms:
            return []
        # Rarer words say more: look up the least common ones (a bounded count each).
        frequency = {
            term: session.execute(select(func.count()).select_from(
                select(CaseTerm.complaint_id).where(CaseTerm.term == term).limit(POSTINGS_PER_TERM * 10)
                .subquery())).scalar_one()
            for term in terms[:MAX_TERMS * 2]
        }
        chosen = sorted((t for t, n in frequency.items() if n), key=lambda t: frequency[t])[:MAX_TERMS]
        shared: Counter[int] = Counter()
        for term in chosen:
            shared.update(session.execute(
                select(CaseTerm.complaint_id).where(CaseTerm.term == term)
                .order_by(CaseTerm.complaint_id.desc()).limit(POSTINGS_PER_TERM)).scalars())
        needed = min(2, len(chosen))
        return [complaint_id for complaint_id, count in shared.most_common(MAX_SIMILAR * 2)
                if count >= needed and complaint_id != exclude][:MAX_SIMILAR]

    @staticmethod
    def _category_top(session: Session, category: str, exclude: int | None) -> list[tuple[Ref, int]]:
        """The category's most-cited articles at this site (for notes that say too little)."""
        cases = func.count(func.distinct(ComplaintCitation.complaint_id))
        query = (select(ComplaintCitation.statute_key, ComplaintCitation.article, cases)
                 .join(Complaint, Complaint.id == ComplaintCitation.complaint_id)
                 .where(Complaint.category == category)
                 .group_by(ComplaintCitation.statute_key, ComplaintCitation.article)
                 .order_by(cases.desc()).limit(5))
        if exclude is not None:
            query = query.where(ComplaintCitation.complaint_id != exclude)
        return [((key, int(article)), int(count)) for key, article, count in session.execute(query)]
