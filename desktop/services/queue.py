"""The queue: paged, filtered, searched and sorted in SQL so a million complaints never sit in memory.

Pages far from the start are read in reverse order (``offset`` counted from the end) when the
total is known, so "jump to the last row" costs as little as the first page.

Text search on SQLite picks its plan from how common the words are (one cheap full-text count):

* rare words: the trigram index gives the matching ids, which are then filtered and sorted;
* common words (and one- or two-character words, which the trigram index cannot answer): walk
  the filter's rows in the requested order through the sort index and test each row's text,
  stopping as soon as the page is full. With one row in ten matching, a page of 200 is found
  after about 2,000 rows instead of sorting 100,000 matches. The walk reads at most a bounded
  number of rows; when that budget is spent first, the complete plan runs instead, so results
  are always complete and in order — only the time differs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, text
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker

from desktop.domain.codes import Status
from desktop.domain.deadlines import BEIJING
from desktop.services.approvals import awaiting_approval_condition
from desktop.services.permissions import case_scope, case_scope_parts, guarded
from desktop.services.records import Actor, ComplaintSummary
from desktop.services.search import (
    ParsedSearch,
    SearchKind,
    fts_query,
    like_condition,
    parse_search,
    search_condition,
    walk_agrees_with_index,
)
from desktop.store.models import Complaint, User
from desktop.store.summary import fetch_summaries, summary_select


class QueueFilter(StrEnum):
    MINE = "mine"
    TEAM = "team"
    OPEN = "open"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    AWAITING_FOLLOW_UP = "awaiting_follow_up"
    INVALID = "invalid"
    AWAITING_MY_APPROVAL = "awaiting_my_approval"
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
# Index ix_complaints_phone_received orders by (phone, received_at): sorting by phone uses it whole.
_TIE_BREAKERS: dict[str, tuple[InstrumentedAttribute[Any], ...]] = {"phone": (Complaint.received_at,)}
DUE_SOON_DAYS = 3

# The sort-index walk for text search reads at most this many rows (about 2.5 µs each on SQLite)
# before giving way to the complete plan; it scales with how deep the requested page lies.
WALK_MIN_ROWS = 20_000
WALK_MAX_ROWS = 50_000
WALK_ROWS_PER_MATCH = 40
# Above this many full-text matches a filtered count walks the filter's covering index instead of
# reading each matching row (measured on 1M rows: 25,992 of 109,857 open → 55 ms instead of 270).
COVERING_COUNT_FROM = 20_000


@dataclass(frozen=True)
class QueueQuery:
    """Everything that decides which rows the queue shows, in which order (pure state)."""

    filter: QueueFilter = QueueFilter.OPEN
    sort: str = "reply_due_at"
    descending: bool = False
    search: str = ""
    agent_id: int | None = None  # only this agent's cases (the team board's double-click)

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


def beijing_day_start(now: datetime, days: int = 0) -> datetime:
    day = now.astimezone(BEIJING).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, tzinfo=BEIJING).astimezone(UTC)


# Filters whose condition depends on the current time cannot reuse a built statement.
_CLOCK_FILTERS = frozenset({QueueFilter.OVERDUE, QueueFilter.DUE_SOON})
_STATEMENT_CACHE_SIZE = 256


class QueueService:
    def __init__(self, sessions: sessionmaker[Session], actor: Actor) -> None:
        self._sessions = sessions
        self._actor = actor
        self._dialect = sessions.kw["bind"].dialect.name if sessions.kw.get("bind") is not None else "sqlite"
        # Which plan the last text search on SQLite took ("walk", "index" or "scan"): for the
        # benchmark, logs and tests; never used to decide anything.
        self.last_text_plan = ""
        # Built statements of the plain (no search, clock-free) queries: paging through the queue
        # re-runs the same few shapes, and building a Select costs more than SQLite's own work.
        self._statements: dict[tuple[Any, ...], Select[Any]] = {}
        self._scope = case_scope(actor)  # the cases this seat may see (None: all)
        self._count_scope = case_scope(actor, indexed=True)  # the same cases, in index-friendly terms
        self._count_parts = case_scope_parts(actor)  # the same cases as two disjoint halves

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
        if f == QueueFilter.AWAITING_MY_APPROVAL:
            return awaiting_approval_condition(self._actor)
        return None

    def _where(self, statement: Select[Any], query: QueueQuery, now: datetime, *,
               parsed: ParsedSearch | None = None, drive_from_filter: bool = False,
               counting: bool = False, scope_part: ColumnElement[bool] | None = None) -> Select[Any]:
        parsed = parsed if parsed is not None else parse_search(query.search)
        scope = scope_part if scope_part is not None else self._count_scope if counting else self._scope
        if query.agent_id is not None:
            statement = statement.where(Complaint.assigned_agent_id == query.agent_id)
        for condition in (scope, self._filter_condition(query.filter, now),
                          search_condition(parsed, self._dialect, drive_from_filter=drive_from_filter)):
            if condition is not None:
                statement = statement.where(condition)
        return statement

    def _order(self, query: QueueQuery, descending: bool) -> tuple[Any, ...]:
        # Each sort key ends in the columns of the index that serves it (rowid last), so SQLite
        # walks that index instead of sorting; complaints about one number read oldest first.
        columns = [SORTABLE[query.sort], *_TIE_BREAKERS.get(query.sort, ()), Complaint.id]
        return tuple(c.desc() if descending else c.asc() for c in columns)

    def _plain_statement(self, query: QueueQuery, parsed: ParsedSearch, now: datetime, descending: bool,
                         offset: int, limit: int) -> Select[Any]:
        cacheable = parsed.kind == SearchKind.NONE and query.filter not in _CLOCK_FILTERS
        key = (query.filter, query.sort, descending, offset, limit, query.agent_id)
        statement = self._statements.get(key) if cacheable else None
        if statement is None:
            statement = self._where(summary_select(), query, now, parsed=parsed).order_by(
                *self._order(query, descending)).offset(offset).limit(limit)
            if cacheable:
                if len(self._statements) >= _STATEMENT_CACHE_SIZE:
                    self._statements.clear()
                self._statements[key] = statement
        return statement

    @guarded("case.read")
    def page_statement(self, query: QueueQuery, offset: int = 0, limit: int = 200,
                       now: datetime | None = None) -> Select[Any]:
        """The SQL a page of ``query`` runs (for plan checks and benchmarks).

        Text search on SQLite has no single statement: it picks its plan per query at run time.
        """
        parsed = parse_search(query.search)
        if self._dialect == "sqlite" and parsed.kind == SearchKind.TEXT:
            raise ValueError("text search on SQLite chooses its statement while it runs")
        return self._plain_statement(query, parsed, now or datetime.now(UTC), query.descending, offset, limit)

    @guarded("case.read")
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
        parsed = parse_search(query.search)
        with self._sessions() as session:
            if self._dialect == "sqlite" and parsed.kind == SearchKind.TEXT:
                rows = self._fetch_text(session, query, parsed, now, offset, limit, descending)
            else:
                rows = fetch_summaries(session.connection(),
                                       self._plain_statement(query, parsed, now, descending, offset, limit))
        return rows[::-1] if reverse else rows

    # -- text search on SQLite -----------------------------------------------------------------
    def _fetch_text(self, session: Session, query: QueueQuery, parsed: ParsedSearch, now: datetime,
                    offset: int, limit: int, descending: bool) -> list[ComplaintSummary]:
        if limit <= 0:
            return []
        needed = offset + limit
        budget = min(max(needed * WALK_ROWS_PER_MATCH, WALK_MIN_ROWS), WALK_MAX_ROWS)
        if parsed.long_terms and not self._walk_pays(session, parsed, needed, budget):
            return self._fetch_complete(session, query, parsed, now, offset, limit, descending)
        ids = self._walk(session, query, parsed, now, descending, needed, budget)
        if ids is None:  # the budget ran out before the page was full
            return self._fetch_complete(session, query, parsed, now, offset, limit, descending)
        self.last_text_plan = "walk"
        page = ids[offset:needed]
        if not page:
            return []
        statement = summary_select().where(Complaint.id.in_(page))
        by_id = {row.id: row for row in fetch_summaries(session.connection(), statement)}
        return [by_id[i] for i in page if i in by_id]

    def _walk_pays(self, session: Session, parsed: ParsedSearch, needed: int, budget: int) -> bool:
        """Whether the sort-index walk is expected to fill ``needed`` rows within half its budget."""
        if not walk_agrees_with_index(parsed):
            return False
        matches = _fts_count(session, parsed)
        if matches == 0:
            return False  # the index answers "nothing" at once
        rows = int(session.execute(select(func.max(Complaint.id))).scalar_one() or 0)
        # Rows read ≈ needed ÷ (matches ÷ rows), assuming the words are spread evenly over the filter.
        return needed * rows <= matches * budget // 2

    def _walk(self, session: Session, query: QueueQuery, parsed: ParsedSearch, now: datetime,
              descending: bool, needed: int, budget: int) -> list[int] | None:
        """Ids of the first ``needed`` matches in order, or ``None`` if ``budget`` rows did not do."""
        hit = like_condition(parsed)
        assert hit is not None
        # SQLite tests each row (in C) and hands back only (id, hit): no text crosses into Python.
        statement = self._where(cast("Select[Any]", select(Complaint.id, hit)), query, now,
                                parsed=ParsedSearch(SearchKind.NONE)).order_by(
            *self._order(query, descending)).limit(budget)
        found: list[int] = []
        read = 0
        result = session.connection().execute(statement)  # streamed: stop reading once the page is full
        try:
            for batch in result.partitions(256):
                for row in batch:
                    if row[1]:
                        found.append(row[0])
                        if len(found) >= needed:
                            return found
                read += len(batch)
        finally:
            result.close()
        return found if read < budget else None  # fewer rows than the budget: the filter is exhausted

    def _fetch_complete(self, session: Session, query: QueueQuery, parsed: ParsedSearch, now: datetime,
                        offset: int, limit: int, descending: bool) -> list[ComplaintSummary]:
        joined = summary_select()
        self.last_text_plan = "index" if parsed.long_terms else "scan"
        if parsed.long_terms:
            statement = self._where(joined, query, now, parsed=parsed)
        else:
            # Short words only: collect the matching ids in table order (one sequential pass) and
            # sort those, rather than walk the sort index over every row in random order (3× slower).
            inner = self._where(select(Complaint.id), query, now, parsed=ParsedSearch(SearchKind.NONE))
            condition = like_condition(parsed)
            assert condition is not None
            statement = joined.where(Complaint.id.in_(inner.where(condition)))
        statement = statement.order_by(*self._order(query, descending)).offset(offset).limit(limit)
        return fetch_summaries(session.connection(), statement)

    def _count(self, session: Session, query: QueueQuery, now: datetime) -> int:
        parsed = parse_search(query.search)
        drive_from_filter = False
        if self._dialect == "sqlite" and parsed.kind == SearchKind.TEXT and parsed.long_terms:
            matches = _fts_count(session, parsed)
            if matches == 0:
                return 0
            if not parsed.short_terms:
                if query.filter == QueueFilter.ALL and self._scope is None:
                    return matches  # the doclist alone answers: no table row is read
                drive_from_filter = matches >= COVERING_COUNT_FROM
        if parsed.kind == SearchKind.NONE:
            return int(session.execute(self._plain_count(query, now)).scalar_one())
        statement = self._where(select(func.count()).select_from(Complaint), query, now, parsed=parsed,
                                drive_from_filter=drive_from_filter, counting=True)
        return int(session.execute(statement).scalar_one())

    def _plain_count(self, query: QueueQuery, now: datetime) -> Select[Any]:
        if self._count_parts is None:
            return self._where(select(func.count()).select_from(Complaint), query, now, counting=True)
        # A team's overdue cases at 1M rows: 0.26 s with the scope OR-ed into one count (SQLite
        # reads each overdue row to test its owner), milliseconds as two counts the agent indexes
        # answer alone.
        halves = [self._where(select(func.count()).select_from(Complaint), query, now, scope_part=part)
                  .scalar_subquery() for part in self._count_parts]
        return select(halves[0] + halves[1])

    @guarded("case.read")
    def count_statement(self, query: QueueQuery, now: datetime | None = None) -> Select[Any]:
        """The SQL counting ``query`` without a search (for plan checks)."""
        return self._plain_count(query, now or datetime.now(UTC))

    @guarded("case.read")
    def count(self, query: QueueQuery, now: datetime | None = None) -> int:
        with self._sessions() as session:
            return self._count(session, query, now or datetime.now(UTC))

    @guarded("case.read")
    def counts(self, filters: Iterable[QueueFilter], search: str = "",
               now: datetime | None = None) -> dict[QueueFilter, int]:
        """Row counts per saved filter (the filter bar's badges), one session for all."""
        now = now or datetime.now(UTC)
        with self._sessions() as session:
            return {f: self._count(session, QueueQuery(filter=f, search=search), now) for f in filters}

    @guarded("case.read")
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

    @guarded("case.read")
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


def _fts_count(session: Session, parsed: ParsedSearch) -> int:
    """Rows whose text holds every long term: read from the trigram doclists alone (milliseconds)."""
    statement = select(func.count()).select_from(text("complaints_fts")).where(
        text("complaints_fts MATCH :fts_query").bindparams(fts_query=fts_query(parsed)))
    return int(session.execute(statement).scalar_one())
