"""What the case view reads when a case is opened — the record, its history, its citations — as plain
Core rows on one connection.

Opening a case is the desk's most frequent read. Through the ORM it cost a session per part, the
complaint loaded three times and an identity-map object per row: 25 times the SQL's own time on
SQLite, and on PostgreSQL a pool ping, BEGIN and ROLLBACK per session. Here each part is one
indexed statement whose columns map one to one onto the record types, and ``CaseReads.case_file``
reads them all on one connection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, select
from sqlalchemy.orm import Session

from desktop.law import Citation, Grade
from desktop.services.errors import NotFoundError
from desktop.services.permissions import case_scope
from desktop.services.records import Actor, ComplaintRecord, EventRecord
from desktop.store.models import Complaint, ComplaintCitation, ComplaintEvent, ComplaintLink, User

# Record fields read straight from the complaint's columns of the same name.
_RECORD_COLUMNS = tuple(f.name for f in fields(ComplaintRecord)
                        if f.name not in ("assigned_agent_name", "linked_numbers"))
_RECORD_SELECT = (select(*(getattr(Complaint, name) for name in _RECORD_COLUMNS),
                         User.display_name.label("assigned_agent_name"))
                  .outerjoin(User, User.id == Complaint.assigned_agent_id))
_LINKS = (select(Complaint.number).join(ComplaintLink, ComplaintLink.linked_id == Complaint.id)
          .where(ComplaintLink.complaint_id == bindparam("complaint_id")).order_by(Complaint.number))
_EVENTS = (select(ComplaintEvent.id, ComplaintEvent.at, User.display_name, ComplaintEvent.kind,
                  ComplaintEvent.action, ComplaintEvent.from_status, ComplaintEvent.to_status,
                  ComplaintEvent.changes, ComplaintEvent.note)
           .join(User, User.id == ComplaintEvent.actor_id)
           .where(ComplaintEvent.complaint_id == bindparam("complaint_id"))
           .order_by(ComplaintEvent.at, ComplaintEvent.id))
_CITATIONS = (select(ComplaintCitation.id, ComplaintCitation.statute_key, ComplaintCitation.statute_title,
                     ComplaintCitation.article, ComplaintCitation.paragraph, ComplaintCitation.item,
                     ComplaintCitation.version_date, ComplaintCitation.text, ComplaintCitation.grade,
                     ComplaintCitation.pack_version, ComplaintCitation.confirmed_by_agent,
                     ComplaintCitation.created_at)
              .where(ComplaintCitation.complaint_id == bindparam("complaint_id"))
              .order_by(ComplaintCitation.id))


@dataclass(frozen=True)
class StoredCitation:
    id: int
    citation: Citation
    pack_version: str
    confirmed_by_agent: bool
    created_at: datetime


@dataclass(frozen=True)
class CaseFile:
    """Everything the case view shows from the store when a case is opened."""

    record: ComplaintRecord
    events: list[EventRecord]
    citations: list[StoredCitation]


class CaseReads:
    """The statements for one seat, built once: the case scope is the seat's, and executing the same
    statement object again skips SQLAlchemy's per-call cache-key and result-column matching (which
    cost more than the indexed lookups themselves)."""

    def __init__(self, actor: Actor) -> None:
        scope = case_scope(actor)
        self._hidden = scope is not None
        by_number = Complaint.number == bindparam("number")
        where = by_number if scope is None else and_(by_number, scope)
        self._record = _RECORD_SELECT.where(where)
        self._id = select(Complaint.id).where(where)

    def _not_found(self, number: str) -> NotFoundError:
        # Missing and out-of-scope cases get the same answer, so other teams' numbers cannot be probed.
        return NotFoundError(number, hidden=self._hidden)

    def record(self, connection: Connection, number: str) -> ComplaintRecord:
        """The case ``number`` as the seat may see it, or ``NotFoundError`` (two indexed statements)."""
        row = connection.execute(self._record, {"number": _normalized(number)}).first()
        if row is None:
            raise self._not_found(number)
        values = row._asdict()
        linked = connection.execute(_LINKS, {"complaint_id": values["id"]}).scalars().all()
        return ComplaintRecord(**values, linked_numbers=tuple(linked))

    def case_id(self, connection: Connection, number: str) -> int:
        """The id of case ``number`` within the seat's scope (index only), or ``NotFoundError``."""
        found = connection.execute(self._id, {"number": _normalized(number)}).scalar_one_or_none()
        if found is None:
            raise self._not_found(number)
        return int(found)

    def case_file(self, connection: Connection, number: str) -> CaseFile:
        """Record, history and citations of one case: four indexed statements on one connection."""
        record = self.record(connection, number)
        return CaseFile(record, read_events(connection, record.id), read_citations(connection, record.id))


def read_connection(session: Session) -> Connection:
    """The session's connection for these reads, without a transaction around them.

    A transaction would not make them one snapshot (PostgreSQL's READ COMMITTED takes one per
    statement; pysqlite starts none for a SELECT), but on PostgreSQL its BEGIN and ROLLBACK are two
    more round trips to the server than the four statements themselves. SQLite keeps the default:
    switching its isolation level costs a PRAGMA each way and saves nothing.
    """
    if session.get_bind().dialect.name == "postgresql":
        return session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    return session.connection()


def _normalized(number: str) -> str:
    return number.strip().upper()


def read_events(connection: Connection, complaint_id: int) -> list[EventRecord]:
    """The case's history, oldest first, with each actor's display name."""
    rows = connection.execute(_EVENTS, {"complaint_id": complaint_id}).all()
    decode = EventRecord.decode_changes
    return [EventRecord(id=row[0], at=row[1], actor_name=row[2], kind=row[3], action=row[4], from_status=row[5],
                        to_status=row[6], changes=decode(row[7]), note=row[8]) for row in rows]


def read_citations(connection: Connection, complaint_id: int) -> list[StoredCitation]:
    """The statute citations on the case, in the order they were attached."""
    rows = connection.execute(_CITATIONS, {"complaint_id": complaint_id}).all()
    return [_citation(tuple(row)) for row in rows]


def _citation(row: Sequence[Any]) -> StoredCitation:
    id_, key, title, article, paragraph, item, version_date, text, grade, pack_version, confirmed, created_at = row
    citation = Citation(statute_key=key, statute_title=title, article=article, paragraph=paragraph, item=item,
                        version_date=version_date, text=text, grade=Grade(grade))
    return StoredCitation(id=id_, citation=citation, pack_version=pack_version, confirmed_by_agent=confirmed,
                          created_at=created_at)
