"""Statute citations on a case, frozen at the pack version they were cited from."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from desktop.domain.codes import Status, status_label
from desktop.i18n import _
from desktop.law import Citation, Grade
from desktop.services.case_reads import CaseReads, StoredCitation, read_citations, read_connection
from desktop.services.case_rows import add_event, load_case
from desktop.services.errors import ServiceError
from desktop.services.law_learning import remember_cited_complaint
from desktop.services.permissions import guarded
from desktop.services.records import Actor
from desktop.store.models import ComplaintCitation

FINAL_STATUSES = frozenset({Status.CLOSED.value, Status.INVALID.value, Status.WITHDRAWN.value})


class CitationService:
    def __init__(self, sessions: sessionmaker[Session], pack_version: Callable[[], str], actor: Actor) -> None:
        self._sessions = sessions
        self._pack_version = pack_version  # asked only when citing: loading the pack is not start-up work
        self._actor = actor
        self._reads = CaseReads(actor)

    @property
    def actor(self) -> Actor:
        return self._actor

    @guarded("case.edit")
    def add(self, actor: Actor, number: str, citation: Citation, *, confirmed: bool = False) -> StoredCitation:
        """Attach a citation; secondary-grade text needs the agent's explicit confirmation."""
        if citation.needs_confirmation and not confirmed:
            raise ServiceError(_(
                "{citation} is known only from secondary sources; confirm its wording before citing it."
            ).format(citation=citation.format()))
        with self._sessions.begin() as session:
            complaint = load_case(session, actor, number)
            existing = session.execute(select(ComplaintCitation).where(
                ComplaintCitation.complaint_id == complaint.id,
                ComplaintCitation.statute_key == citation.statute_key,
                ComplaintCitation.article == citation.article,
                ComplaintCitation.paragraph.is_(None) if citation.paragraph is None
                else ComplaintCitation.paragraph == citation.paragraph,
                ComplaintCitation.item.is_(None) if citation.item is None
                else ComplaintCitation.item == citation.item,
            )).scalar_one_or_none()
            if existing is not None:
                return _stored(existing)
            row = ComplaintCitation(
                complaint_id=complaint.id, statute_key=citation.statute_key, statute_title=citation.statute_title,
                article=citation.article, paragraph=citation.paragraph, item=citation.item,
                pack_version=self._pack_version(), version_date=citation.version_date, text=citation.text,
                grade=citation.grade.value, confirmed_by_agent=confirmed, created_by_id=actor.id,
                created_at=datetime.now(UTC),
            )
            session.add(row)
            remember_cited_complaint(session, complaint)
            session.flush()
            add_event(session, complaint.id, actor, "citation", at=row.created_at,
                      changes={"citation": [None, citation.format()]},
                      note=_("Pack version {version}, text of {date}").format(
                          version=row.pack_version, date=citation.version_date))
            return _stored(row)

    @guarded("case.edit")
    def remove(self, actor: Actor, number: str, ref: str | int) -> StoredCitation:
        """Take a wrongly attached citation off an open case; ``ref`` is its id or its text as
        shown (e.g. 《电信条例》第三十一条). The history keeps what was removed, by whom."""
        with self._sessions.begin() as session:
            complaint = load_case(session, actor, number, for_update=True)
            if complaint.status in FINAL_STATUSES:
                raise ServiceError(_("{number} is {status}: its citations are part of the record and stay.").format(
                    number=number, status=status_label(Status(complaint.status))))
            rows = list(session.execute(select(ComplaintCitation).where(
                ComplaintCitation.complaint_id == complaint.id).order_by(ComplaintCitation.id)).scalars())
            wanted = "".join(str(ref).split())
            row = next((r for r in rows if str(r.id) == wanted or "".join(_stored(r).citation.format().split())
                        == wanted), None)
            if row is None:
                cited = "、".join(_stored(r).citation.format() for r in rows) or _("none")
                raise ServiceError(_("{number} has no citation “{ref}”. Cited: {cited}.").format(
                    number=number, ref=ref, cited=cited))
            removed = _stored(row)
            session.delete(row)
            add_event(session, complaint.id, actor, "citation", at=datetime.now(UTC),
                      changes={"citation": [removed.citation.format(), None]},
                      note=_("Citation removed"))
            return removed

    @guarded("case.read")
    def list(self, number: str) -> list[StoredCitation]:
        with self._sessions() as session:
            connection = read_connection(session)
            return read_citations(connection, self._reads.case_id(connection, number))


def _stored(row: ComplaintCitation) -> StoredCitation:
    citation = Citation(statute_key=row.statute_key, statute_title=row.statute_title, article=row.article,
                        paragraph=row.paragraph, item=row.item, version_date=row.version_date, text=row.text,
                        grade=Grade(row.grade))
    return StoredCitation(id=row.id, citation=citation, pack_version=row.pack_version,
                          confirmed_by_agent=row.confirmed_by_agent, created_at=row.created_at)
