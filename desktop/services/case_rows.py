"""Row-level helpers every case service shares: find a complaint by number, append to its history."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, cast, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from desktop.services.errors import NotFoundError, StoreBusyError
from desktop.services.permissions import case_scope
from desktop.services.records import Actor
from desktop.store.chain import queue_row
from desktop.store.chained import EVENTS, event_content
from desktop.store.models import Complaint

LOCK_ATTEMPTS = 3


def highest_serials(session: Session, days: Iterable[str] | None = None) -> dict[str, int]:
    """The highest stored serial of each day (``YYYYMMDD``) of ``days``, or of every day.

    A day counter can be behind the numbers stored (a store restored, or filled by an older tool):
    whatever hands out numbers continues after these. Serials past 9999 are longer, so the
    highest is found numerically, not by sorting the text.
    """
    serial = func.max(cast(func.substr(Complaint.number, 13), Integer))
    if days is None:
        day = func.substr(Complaint.number, 4, 8)
        rows = session.execute(select(day, serial).where(Complaint.number.like("TS-%")).group_by(day))
        return {str(d): int(n) for d, n in rows if n is not None}
    found = {}
    for day_key in days:  # each day a range of the number index
        stored = session.execute(select(serial).where(Complaint.number >= f"TS-{day_key}-",
                                                      Complaint.number < f"TS-{day_key}.")).scalar_one()
        if stored is not None:
            found[day_key] = int(stored)
    return found


def _load(session: Session, number: str, scope: ColumnElement[bool] | None, for_update: bool) -> Complaint | None:
    query = select(Complaint).where(Complaint.number == number.strip().upper())
    if scope is not None:
        query = query.where(scope)
    if for_update:
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update()
        else:
            lock_for_write(session)
    return session.execute(query).scalar_one_or_none()


def load_complaint(session: Session, number: str, *, for_update: bool = False) -> Complaint:
    """The complaint numbered ``number`` (case and spaces forgiven), or ``NotFoundError``."""
    row = _load(session, number, None, for_update)
    if row is None:
        raise NotFoundError(number)
    return row


def load_case(session: Session, actor: Actor, number: str, *, for_update: bool = False) -> Complaint:
    """Like ``load_complaint``, but a case outside ``actor``'s scope is "not found or not permitted".

    Missing and out-of-scope cases get the same answer, so case numbers of other teams cannot be probed.
    """
    scope = case_scope(actor)
    if scope is None:
        return load_complaint(session, number, for_update=for_update)
    row = _load(session, number, scope, for_update)
    if row is None:
        raise NotFoundError(number, hidden=True)
    return row


def lock_for_write(session: Session) -> None:
    """SQLite: take the write lock before reading what will be updated (``BEGIN IMMEDIATE``).

    Without it two processes read the same version, both try to write, and the loser's UPDATE matches
    no row (SQLAlchemy's ``StaleDataError``); with it the second waits (busy timeout) and then reads the
    first one's result, so a version check gives the usual conflict message instead.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.dbapi_connection
    if raw is None or raw.in_transaction:
        return
    for attempt in range(LOCK_ATTEMPTS):
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")  # waits up to the busy timeout (5 s) per attempt
            return
        except OperationalError as error:
            if "locked" not in str(error.orig) or attempt == LOCK_ATTEMPTS - 1:
                raise StoreBusyError() from error


def add_event(session: Session, complaint_id: int, actor: Actor, kind: str, *, changes: dict[str, Any],
              note: str | None = None, action: str | None = None, from_status: str | None = None,
              to_status: str | None = None, at: datetime | None = None) -> None:
    """Append one entry to the case's history, chained, when the transaction commits.

    The database refuses edits to earlier entries; the hash chain shows any that got through.
    """
    row = {"complaint_id": complaint_id, "at": at or datetime.now(UTC), "actor_id": actor.id, "kind": kind,
           "action": action, "from_status": from_status, "to_status": to_status,
           "changes": json.dumps(changes, ensure_ascii=False), "note": note}

    def content(bound: Session) -> Sequence[Any]:
        case_uuid = bound.execute(select(Complaint.uuid).where(Complaint.id == complaint_id)).scalar_one()
        return event_content(case_uuid, actor.login, row)

    queue_row(session, EVENTS, row, content)
