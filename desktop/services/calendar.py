"""The holiday calendar: bundled official years plus schedules an admin imports later."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from desktop.domain.deadlines import CalendarYear, WorkCalendar, parse_calendar_json, parse_calendar_year
from desktop.domain.work_limit import WorkDeadline
from desktop.services.permissions import guarded
from desktop.services.records import Actor
from desktop.store.models import CalendarYearRecord


class CalendarService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def imported_years(self) -> list[CalendarYear]:
        with self._sessions() as session:
            rows = session.execute(select(CalendarYearRecord).order_by(CalendarYearRecord.year)).scalars().all()
            return [parse_calendar_year(json.loads(row.data)) for row in rows]

    def load(self) -> WorkCalendar:
        return WorkCalendar.load(self.imported_years())

    @guarded("calendar.import")
    def import_year(self, actor: Actor, document: str | Mapping[str, Any]) -> CalendarYear:
        """Validate and store a newly published schedule; the caller then recomputes deadlines.

        Raises ``CalendarError`` (bad file) or ``PermissionDeniedError`` (not an admin).
        """
        deadline = WorkDeadline("calendar")  # a file someone brings: bounded work (WorkTimeoutError)
        year = (parse_calendar_json(document, deadline=deadline) if isinstance(document, str)
                else parse_calendar_year(document, deadline=deadline))
        with self._sessions.begin() as session:
            record = session.get(CalendarYearRecord, year.year)
            text = json.dumps(year.to_json(), ensure_ascii=False, sort_keys=True)
            if record is None:
                session.add(CalendarYearRecord(year=year.year, data=text, imported_by_id=actor.id,
                                               imported_at=datetime.now(UTC)))
            else:
                record.data = text
                record.imported_by_id = actor.id
                record.imported_at = datetime.now(UTC)
        return year
