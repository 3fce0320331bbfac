"""The queue: paged, filtered, searched and sorted in SQL so a million complaints never sit in memory.

Pages far from the start are read in reverse order (``offset`` counted from the end) when the
total is known, so "jump to the last row" costs as little as the first page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker

from desktop.domain.codes import Status
from desktop.domain.deadlines import BEIJING
from desktop.services.records import Actor, ComplaintSummary
from desktop.services.search import parse_search, search_condition
from desktop.store.models import Complaint, User


class QueueFilter(StrEnum):
    MINE = "mine"
    TEAM = "team"
    OPEN = "open"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    AWAITING_FOLLOW_UP = "awaiting_follow_up"
    INVALID = "invalid"
    ALL = "all"


SORTABLE: dict[str, InstrumentedAttribute[Any]] = {
    "number": Complaint.number,
    "received_at": Complaint.received_at,
    "customer_name": Complaint.customer_name,
    "phone": Complaint.phone,
    "category": Complaint.category,
    "status": Complaint.status,
    "agent": Complaint.assigned_agent_id,
    "reply_due_at": Complaint.reply_due_at,
}
DUE_SOON_DAYS = 3


@dataclass(frozen=True)
class QueueQuery:
    """Everything that decides which rows the queue shows, in which order (pure state)."""

    filter: QueueFilter = QueueFilter.OPEN
    sort: str = "reply_due_at"
    descending: bool = False
    search: str = ""

    def with_(self, **changes: Any) -> QueueQuery:
        return replace(self, **changes)


@dataclass(frozen=True)
class DueSummary:
    """The signed-in agent's own open cases that need attention (status bar, tray, title)."""

    due_today: int
    overdue: int

    @property
    def total(self) -> int:
        return self.due_today + self.overdue


_COLUMNS = (
    Complaint.id, Complaint.number, Complaint.received_at, Complaint.customer_name, Complaint.phone,
    Complaint.category, Complaint.channel, Complaint.status, User.display_name, Complaint.reply_due_date,
    Complaint.reply_due_at, Complaint.calendar_provisional,
)


def _summary(row: Any) -> ComplaintSummary:
    return ComplaintSummary(
        id=row[0], number=row[1], received_at=row[2], customer_name=row[3], phone=row[4], category=row[5],
        channel=row[6], status=row[7], agent_name=row[8], reply_due_date=row[9], reply_due_at=row[10],
        calendar_provisional=row[11],
    )


def beijing_day_start(now: datetime, days: int = 0) -> datetime:
    day = now.astimezone(BEIJING).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, tzinfo=BEIJING).astimezone(UTC)


class QueueService:
    def __init__(self, sessions: sessionmaker[Session], actor: Actor) -> None:
        self._sessions = sessions
        self._actor = actor
        self._dialect = sessions.kw["bind"].dialect.name if sessions.kw.get("bind") is not None else "sqlite"

    @property
    def actor(self) -> Actor:
        return self._actor

    def _filter_condition(self, f: QueueFilter, now: datetime) -> ColumnElement[bool] | None:
        is_open = Complaint.is_open.is_(True)
        if f == QueueFilter.MINE:
            return and_(Complaint.assigned_agent_id == self._actor.id, is_open)
        if f == QueueFilter.TEAM:
            if self._actor.team is None:  # no team recorded: the team is the agent alone
                return and_(Complaint.assigned_agent_id == self._actor.id, is_open)
            team_ids = select(User.id).where(User.team == self._actor.team)
            return and_(Complaint.assigned_agent_id.in_(team_ids), is_open)
        if f == QueueFilter.OPEN:
            return is_open
        if f == QueueFilter.OVERDUE:
            return and_(is_open, Complaint.reply_due_at <= now)
        if f == QueueFilter.DUE_SOON:
            return and_(is_open, Complaint.reply_due_at > now,
                        Complaint.reply_due_at <= now + timedelta(days=DUE_SOON_DAYS))
        if f == QueueFilter.AWAITING_FOLLOW_UP:
            return Complaint.status == Status.REPLIED.value
        if f == QueueFilter.INVALID:
            return Complaint.status == Status.INVALID.value
        return None

    def _where(self, statement: Select[Any], query: QueueQuery, now: datetime) -> Select[Any]:
        for condition in (self._filter_condition(query.filter, now),
                          search_condition(parse_search(query.search), self._dialect)):
            if condition is not None:
                statement = statement.where(condition)
        return statement

    def fetch(self, query: QueueQuery, offset: int, limit: int, now: datetime | None = None,
              total: int | None = None) -> list[ComplaintSummary]:
        """Rows ``offset`` … ``offset + limit`` of the query; pass ``total`` to read far pages backwards."""
        now = now or datetime.now(UTC)
        descending = query.descending
        reverse = total is not None and offset > total // 2
        if reverse:
            assert total is not None
            end = min(offset + limit, total)
            offset, limit, descending = total - end, max(end - offset, 0), not descending
        column = SORTABLE[query.sort]
        order = (column.desc(), Complaint.id.desc()) if descending else (column.asc(), Complaint.id.asc())
        joined = cast("Select[Any]", select(*_COLUMNS).outerjoin(User, User.id == Complaint.assigned_agent_id))
        statement = self._where(joined, query, now).order_by(*order).offset(offset).limit(limit)
        with self._sessions() as session:
            rows = [_summary(r) for r in session.execute(statement).all()]
        return rows[::-1] if reverse else rows

    def count(self, query: QueueQuery, now: datetime | None = None) -> int:
        statement = self._where(select(func.count()).select_from(Complaint), query, now or datetime.now(UTC))
        with self._sessions() as session:
            return int(session.execute(statement).scalar_one())

    def counts(self, filters: Iterable[QueueFilter], search: str = "",
               now: datetime | None = None) -> dict[QueueFilter, int]:
        """Row counts per saved filter (the filter bar's badges), one session for all."""
        now = now or datetime.now(UTC)
        result: dict[QueueFilter, int] = {}
        with self._sessions() as session:
            for f in filters:
                statement = self._where(select(func.count()).select_from(Complaint),
                                        QueueQuery(filter=f, search=search), now)
                result[f] = int(session.execute(statement).scalar_one())
        return result

    def row_of(self, query: QueueQuery, number: str, now: datetime | None = None) -> int | None:
        """Position of complaint ``number`` in the query's order (to select a just-saved case)."""
        now = now or datetime.now(UTC)
        column = SORTABLE[query.sort]
        with self._sessions() as session:
            found = session.execute(self._where(select(Complaint.id, column), query, now)
                                    .where(Complaint.number == number)).first()
            if found is None or found[1] is None:
                return None
            row_id, value = found
            if query.descending:
                before = or_(column > value, and_(column == value, Complaint.id > row_id))
            else:
                before = or_(column < value, and_(column == value, Complaint.id < row_id))
            statement = self._where(select(func.count()).select_from(Complaint), query, now).where(before)
            return int(session.execute(statement).scalar_one())

    def due_summary(self, now: datetime | None = None) -> DueSummary:
        """Own open cases due today (Beijing date) and already overdue."""
        now = now or datetime.now(UTC)
        mine = and_(Complaint.assigned_agent_id == self._actor.id, Complaint.is_open.is_(True))
        tomorrow = beijing_day_start(now, 1)
        with self._sessions() as session:
            overdue = session.execute(select(func.count()).select_from(Complaint)
                                      .where(mine, Complaint.reply_due_at <= now)).scalar_one()
            due_today = session.execute(select(func.count()).select_from(Complaint).where(
                mine, Complaint.reply_due_at > now, Complaint.reply_due_at < tomorrow)).scalar_one()
        return DueSummary(due_today=int(due_today), overdue=int(overdue))
