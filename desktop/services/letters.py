"""Outcome letters of a case: content from the store, archived revisions, customer signatures."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from desktop.domain.deadlines import BEIJING
from desktop.i18n import _
from desktop.law import Citation
from desktop.law.numerals import article_label
from desktop.letters.content import LetterCitation, LetterContent, SignatureStrokes, strokes_from_json, strokes_to_json
from desktop.services.case_reads import CaseReads, read_connection
from desktop.services.case_rows import add_event, load_case
from desktop.services.citations import CitationService
from desktop.services.complaints import ComplaintService
from desktop.services.errors import ServiceError
from desktop.services.permissions import guarded
from desktop.services.records import Actor
from desktop.services.site import SiteSettingsService
from desktop.store.models import CustomerSignature, Letter

BRIEF_LIMIT = 300


@dataclass(frozen=True)
class LetterRecord:
    revision: int
    language: str
    sha256: str
    signed: bool
    signer: str | None
    created_at: datetime
    pdf: bytes


def _brief(text: str | None) -> str:
    text = (text or "").strip()
    return text if len(text) <= BRIEF_LIMIT else text[: BRIEF_LIMIT - 1] + "…"


def _letter_citation(citation: Citation, confirmed: bool) -> LetterCitation:
    label = citation.format().removeprefix(f"《{citation.statute_title}》") or article_label(citation.article)
    return LetterCitation(title=citation.statute_title, label=label, text=citation.text,
                          version_date=citation.version_date, verified=not citation.needs_confirmation,
                          confirmed_by_agent=confirmed)


class LetterService:
    def __init__(self, sessions: sessionmaker[Session], complaints: ComplaintService, citations: CitationService,
                 site: SiteSettingsService, actor: Actor) -> None:
        self._sessions = sessions
        # The letter names the agent who issues (and signs) it, who may not be the one assigned.
        self._actor = actor
        self._reads = CaseReads(actor)
        self._complaints = complaints
        self._citations = citations
        self._site = site

    @property
    def actor(self) -> Actor:
        return self._actor

    @guarded("case.read")
    def content(self, number: str, language: Literal["zh_CN", "en"] = "zh_CN",
                revision: int | None = None) -> LetterContent:
        """What the letter of this case says now (the next revision unless one is given)."""
        record = self._complaints.get(number)
        missing = [label for label, text in ((_("the findings (investigation notes)"), record.investigation_notes),
                                             (_("the resolution"), record.resolution)) if not (text or "").strip()]
        if missing:
            # The letter is the operator's written answer: it may not go out with an empty section.
            raise ServiceError(_("Before the outcome letter can be written, record {missing}.").format(
                missing=_(" and ").join(missing)))
        name = (self._actor.display_name or "").strip()
        if not name or name == self._actor.login:
            # The customer is told whom to call: a login such as “root” is no name.
            raise ServiceError(_("Your account has no name of its own (only the login “{login}”); a supervisor "
                                 "must set your display name before a letter can name you as the agent.")
                               .format(login=self._actor.login))
        cited = tuple(_letter_citation(c.citation, c.confirmed_by_agent) for c in self._citations.list(number))
        reply_moment = record.reply_at or datetime.now(UTC)
        return LetterContent(
            operator_name=str(self._site.get("operator_name")),
            site_name=str(self._site.get("site_name")),
            site_address=str(self._site.get("site_address")),
            complaint_number=record.number,
            complaint_uuid=record.uuid,
            customer_name=record.customer_name,
            received_at=record.received_at.astimezone(BEIJING),
            description_brief=_brief(record.description),
            demand_brief=_brief(record.demand),
            findings=(record.investigation_notes or "").strip(),
            resolution=(record.resolution or "").strip(),
            compensation=record.compensation,
            citations=cited,
            reply_due_date=record.reply_due_date,
            reply_date=reply_moment.astimezone(BEIJING).date(),
            agent_name=name,
            contact_phone=str(self._site.get("contact_phone") or "").strip(),
            language=language,
            customer_signature=self.customer_signature(number),
            revision=revision or self.next_revision(number),
        )

    @guarded("case.read")
    def next_revision(self, number: str) -> int:
        with self._sessions() as session:
            complaint = load_case(session, self._actor, number)
            latest = session.execute(select(func.max(Letter.revision)).where(Letter.complaint_id == complaint.id))
            return int(latest.scalar_one() or 0) + 1

    @guarded("case.letter")
    def archive(self, actor: Actor, number: str, revision: int, language: str, pdf: bytes,
                signer: str | None) -> LetterRecord:
        """Keep the exact bytes; a correction is a new revision, earlier ones are never replaced."""
        digest = hashlib.sha256(pdf).hexdigest()
        now = datetime.now(UTC)
        with self._sessions.begin() as session:
            complaint = load_case(session, actor, number)
            session.add(Letter(complaint_id=complaint.id, revision=revision, language=language, pdf=pdf,
                               sha256=digest, signed=signer is not None, signer=signer, created_by_id=actor.id,
                               created_at=now))
            add_event(session, complaint.id, actor, "letter", at=now,
                      changes={"letter_revision": [revision - 1 or None, revision]}, note=f"SHA-256 {digest}")
        return LetterRecord(revision, language, digest, signer is not None, signer, now, pdf)

    @guarded("case.read")
    def revisions(self, number: str) -> list[LetterRecord]:
        with self._sessions() as session:
            complaint_id = self._reads.case_id(read_connection(session), number)  # shown with every case
            rows = session.execute(select(Letter).where(Letter.complaint_id == complaint_id)
                                   .order_by(Letter.revision)).scalars()
            return [LetterRecord(r.revision, r.language, r.sha256, r.signed, r.signer, r.created_at, r.pdf)
                    for r in rows]

    @guarded("case.read")
    def latest(self, number: str) -> LetterRecord | None:
        revisions = self.revisions(number)
        return revisions[-1] if revisions else None

    @guarded("case.letter")
    def save_customer_signature(self, actor: Actor, number: str, strokes: SignatureStrokes) -> None:
        with self._sessions.begin() as session:
            complaint = load_case(session, actor, number)
            now = datetime.now(UTC)
            session.add(CustomerSignature(complaint_id=complaint.id, strokes=strokes_to_json(strokes),
                                          captured_by_id=actor.id, captured_at=now))
            add_event(session, complaint.id, actor, "signature", at=now, changes={})

    @guarded("case.read")
    def customer_signature(self, number: str) -> SignatureStrokes | None:
        with self._sessions() as session:
            complaint_id = self._reads.case_id(read_connection(session), number)  # shown with every case
            raw = session.execute(select(CustomerSignature.strokes)
                                  .where(CustomerSignature.complaint_id == complaint_id)
                                  .order_by(CustomerSignature.id.desc()).limit(1)).scalar_one_or_none()
        return strokes_from_json(raw) if raw else None
