"""Supervisor statistics: SQL aggregates over a range of Beijing receipt days (no Qt, one session per call).

Every figure is computed by the database (COUNT / SUM ... GROUP BY); Python only divides the sums
into rates and averages and, for long ranges, rolls at most a year of daily totals up into weeks.
Agents get the same figures restricted to the cases assigned to them; only supervisors see the
per-agent breakdown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, and_, case, func, or_, select, type_coerce
from sqlalchemy.orm import Session, sessionmaker

from desktop.domain.codes import Status
from desktop.domain.deadlines import BEIJING
from desktop.i18n import _
from desktop.services.permissions import allowed, case_scope, guarded
from desktop.services.records import Actor
from desktop.store.models import Complaint, PhoneCount, QaReview, StatsDaily, StatsOpenDue, User
from desktop.store.stats_summary import COUNTERS

WEEKLY_AFTER_DAYS = 62  # longer ranges are charted per week: 366 daily bars are unreadable
MAX_RANGE_DAYS = 3 * 366 + 1


class PeriodError(ValueError):
    """A date range the statistics cannot use; the message is for the user."""


@dataclass(frozen=True)
class Period:
    """Inclusive range of Beijing receipt days."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(_("The period ends ({end}) before it starts ({start}).").format(
                start=self.start.isoformat(), end=self.end.isoformat()))
        if self.days > MAX_RANGE_DAYS:
            raise PeriodError(_("Choose a period of at most three years."))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def bucket(self) -> str:
        """``day`` or ``week``: the step of the time breakdown."""
        return "week" if self.days > WEEKLY_AFTER_DAYS else "day"

    @classmethod
    def this_month(cls, today: date | None = None) -> Period:
        today = today or beijing_today()
        return cls(today.replace(day=1), today)

    @classmethod
    def last_month(cls, today: date | None = None) -> Period:
        first = (today or beijing_today()).replace(day=1)
        end = first - timedelta(days=1)
        return cls(end.replace(day=1), end)

    @classmethod
    def this_year(cls, today: date | None = None) -> Period:
        today = today or beijing_today()
        return cls(date(today.year, 1, 1), today)


def beijing_today() -> date:
    return datetime.now(UTC).astimezone(BEIJING).date()


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(_("“{value}” is not a date like 2024-03-31.").format(value=text)) from None


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


class _ReplyRates:
    """Rates derived from the reply and follow-up counts (shared by totals and breakdown rows)."""

    replied_on_time: int
    replied_late: int
    unanswered_late: int
    satisfaction_sum: int
    satisfaction_count: int

    @property
    def replied(self) -> int:
        return self.replied_on_time + self.replied_late

    @property
    def late(self) -> int:
        """Replied after the deadline, or still unanswered once it passed (desktop/domain/figures.py)."""
        return self.replied_late + self.unanswered_late

    @property
    def on_time_rate(self) -> float | None:
        """Share of the complaints owed a reply that were answered by their deadline; None when none was owed."""
        return _ratio(self.replied_on_time, self.replied_on_time + self.late)

    @property
    def satisfaction_average(self) -> float | None:
        return self.satisfaction_sum / self.satisfaction_count if self.satisfaction_count else None


@dataclass(frozen=True)
class Figures(_ReplyRates):
    """Counts shared by every breakdown row (a category, a channel, a day or week, an agent)."""

    key: str
    name: str | None
    received: int
    open: int
    overdue_open: int
    replied_on_time: int
    replied_late: int
    unanswered_late: int
    satisfaction_sum: int
    satisfaction_count: int

    def plus(self, other: Figures) -> Figures:
        return replace(self, received=self.received + other.received, open=self.open + other.open,
                       overdue_open=self.overdue_open + other.overdue_open,
                       replied_on_time=self.replied_on_time + other.replied_on_time,
                       replied_late=self.replied_late + other.replied_late,
                       unanswered_late=self.unanswered_late + other.unanswered_late,
                       satisfaction_sum=self.satisfaction_sum + other.satisfaction_sum,
                       satisfaction_count=self.satisfaction_count + other.satisfaction_count)

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "replied": self.replied, "late": self.late, "on_time_rate": self.on_time_rate,
                "satisfaction_average": self.satisfaction_average}


@dataclass(frozen=True)
class Totals(_ReplyRates):
    received: int
    valid: int
    invalid: int
    open: int
    overdue_open: int
    replied_on_time: int
    replied_late: int
    unanswered_late: int
    reply_days_sum: float
    repeat_numbers: int  # phone numbers with more than one complaint in the period
    repeat_complaints: int  # the complaints those numbers made
    appeals: int
    compensation: Decimal  # yuan
    compensation_cases: int
    satisfaction_sum: int
    satisfaction_count: int
    qa_average: float | None = None  # quality review score out of 100 (desktop/domain/figures.py)
    qa_reviews: int = 0

    @property
    def average_reply_days(self) -> float | None:
        return self.reply_days_sum / self.replied if self.replied else None

    @property
    def repeat_rate(self) -> float | None:
        return _ratio(self.repeat_complaints, self.received)

    @property
    def appeal_rate(self) -> float | None:
        return _ratio(self.appeals, self.received)

    def to_json(self) -> dict[str, Any]:
        payload = asdict(self)
        payload.update(compensation=str(self.compensation), replied=self.replied, late=self.late,
                       on_time_rate=self.on_time_rate, average_reply_days=self.average_reply_days,
                       satisfaction_average=self.satisfaction_average, repeat_rate=self.repeat_rate,
                       appeal_rate=self.appeal_rate)
        return payload


@dataclass(frozen=True)
class Statistics:
    period: Period
    scope: str  # "all" (supervisors) or "own" (an agent's assigned cases)
    computed_at: datetime
    totals: Totals
    by_category: list[Figures]
    by_channel: list[Figures]
    by_time: list[Figures]  # key = ISO date of the day, or of the Monday starting the week
    by_agent: list[Figures] | None  # None for agents: supervisors only

    @property
    def bucket(self) -> str:
        return self.period.bucket

    def to_json(self) -> dict[str, Any]:
        return {
            "period": {"from": self.period.start.isoformat(), "to": self.period.end.isoformat(),
                       "days": self.period.days, "bucket": self.bucket},
            "scope": self.scope,
            "computed_at": self.computed_at.isoformat(),
            "totals": self.totals.to_json(),
            "by_category": [row.to_json() for row in self.by_category],
            "by_channel": [row.to_json() for row in self.by_channel],
            "by_time": [row.to_json() for row in self.by_time],
            "by_agent": None if self.by_agent is None else [row.to_json() for row in self.by_agent],
        }


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    # COUNT ignores NULLs: a CASE without ELSE counts matching rows and gives 0 on no rows.
    return func.count(case((condition, 1)))


class StatsService:
    def __init__(self, sessions: sessionmaker[Session], actor: Actor) -> None:
        self._sessions = sessions
        self._actor = actor

    @property
    def actor(self) -> Actor:
        return self._actor

    @guarded("stats.own")
    def compute(self, period: Period, *, now: datetime | None = None, from_summary: bool = True) -> Statistics:
        """All figures for complaints received (Beijing day) within ``period``.

        Agents get their own cases; supervisors their teams' (``stats.team``), admins every case.
        Site-wide figures come from the per-day summary the database keeps (``stats_daily``);
        ``from_summary=False`` recounts them from the complaints themselves (``stats recount --check``).
        Figures limited to some teams or one agent are counted from their cases.
        """
        now = now or datetime.now(UTC)
        period_end = datetime.combine(period.end + timedelta(days=1), datetime.min.time(), BEIJING)
        cutoff = min(now, period_end.astimezone(UTC))  # "late" is judged as of the period's end, or now
        own = not allowed(self._actor.role, "stats.team")
        scope: list[ColumnElement[bool]] = [Complaint.received_day.between(period.start, period.end)]
        team_scope = None if own else case_scope(self._actor)
        if own:
            scope.append(Complaint.assigned_agent_id == self._actor.id)
        elif team_scope is not None:
            scope.append(team_scope)
        if not own and team_scope is None and from_summary:
            return self._compute_from_summary(period, scope, now, cutoff)
        with self._sessions() as session:
            cube = self._cube(session, scope, now, cutoff)
            by_day = self._by_day(session, scope, now, cutoff)
            repeats = self._repeats(session, scope)
            qa = self._qa(session, scope)
            names = self._agent_names(session, {row.agent_id for row in cube}) if not own else {}
        return Statistics(
            period=period, scope="own" if own else "all", computed_at=now,
            totals=replace(_totals(cube, repeats), qa_average=qa[0], qa_reviews=qa[1]),
            by_category=_roll_up(cube, lambda row: row.category),
            by_channel=_roll_up(cube, lambda row: row.channel),
            by_time=_weekly(by_day) if period.bucket == "week" else by_day,
            by_agent=None if own else _roll_up(cube, lambda row: row.agent_id, names),
        )

    def _compute_from_summary(self, period: Period, scope: Sequence[ColumnElement[bool]], now: datetime,
                              cutoff: datetime) -> Statistics:
        with self._sessions() as session:
            groups, days = summary_figures(session, period.start, period.end, now, cutoff)
            repeats = summary_repeats(session, period.start, period.end)
            qa = self._qa(session, scope)
            names = self._agent_names(session, {row.agent_id for row in groups["agent"]})
        by_day = [replace(row.figures, key=row.category) for row in days]
        return Statistics(
            period=period, scope="all", computed_at=now,
            totals=replace(_totals(groups["category"], repeats), qa_average=qa[0], qa_reviews=qa[1]),
            by_category=_roll_up(groups["category"], lambda row: row.category),
            by_channel=_roll_up(groups["channel"], lambda row: row.channel),
            by_time=_weekly(by_day) if period.bucket == "week" else by_day,
            by_agent=_roll_up(groups["agent"], lambda row: row.agent_id, names),
        )

    # -- queries ---------------------------------------------------------------------------------
    @staticmethod
    def _figure_columns(now: datetime, cutoff: datetime) -> list[ColumnElement[Any]]:
        c = Complaint
        return [
            func.count().label("received"),
            _count_if(c.is_open.is_(True)).label("open"),
            _count_if(and_(c.is_open.is_(True), c.reply_due_at < now)).label("overdue_open"),
            _count_if(c.reply_at <= c.reply_due_at).label("replied_on_time"),
            _count_if(c.reply_at > c.reply_due_at).label("replied_late"),
            _count_if(and_(c.reply_at.is_(None), c.is_open.is_(True), c.reply_due_at < cutoff))
            .label("unanswered_late"),
            func.coalesce(func.sum(c.satisfaction), 0).label("satisfaction_sum"),
            func.count(c.satisfaction).label("satisfaction_count"),
        ]

    def _cube(self, session: Session, scope: Sequence[ColumnElement[bool]], now: datetime,
              cutoff: datetime) -> list[_CubeRow]:
        """One scan grouped by category × channel × agent (at most a few hundred groups).

        Every figure is a count or a sum, so totals and the three breakdowns are exact roll-ups of
        these groups: one pass over the period instead of four.
        """
        c = Complaint
        fen = type_coerce(c.compensation, BigInteger)  # the raw stored fen, not the yuan TypeDecorator
        query = (
            select(
                c.category, c.channel, c.assigned_agent_id.label("agent_id"), *self._figure_columns(now, cutoff),
                _count_if(c.validity == "valid").label("valid"),
                _count_if(c.validity == "invalid").label("invalid"),
                func.coalesce(func.sum(case((c.reply_at.is_not(None),
                                             _days_between(session, c.received_at, c.reply_at)))), 0)
                .label("reply_days_sum"),
                _count_if(or_(c.appeal_date.is_not(None), c.status == Status.APPEALED.value)).label("appeals"),
                func.coalesce(func.sum(fen), 0).label("compensation_fen"),
                _count_if(fen > 0).label("compensation_cases"),
            )
            .where(*scope)
            .group_by(c.category, c.channel, c.assigned_agent_id)
        )
        return [_CubeRow(category=row.category, channel=row.channel,
                         agent_id="" if row.agent_id is None else str(row.agent_id),
                         figures=_figures(row, "", None), valid=row.valid, invalid=row.invalid,
                         reply_days_sum=float(row.reply_days_sum), appeals=row.appeals,
                         compensation_fen=int(row.compensation_fen), compensation_cases=row.compensation_cases)
                for row in session.execute(query)]

    def _by_day(self, session: Session, scope: Sequence[ColumnElement[bool]], now: datetime,
                cutoff: datetime) -> list[Figures]:
        day = Complaint.received_day
        query = select(day.label("key"), *self._figure_columns(now, cutoff)).where(*scope).group_by(day).order_by(day)
        return [_figures(row, row.key.isoformat(), None) for row in session.execute(query)]

    @staticmethod
    def _agent_names(session: Session, ids: set[str]) -> dict[str, str]:
        wanted = [int(i) for i in ids if i]
        if not wanted:
            return {}
        rows = session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
        return {str(user_id): name for user_id, name in rows}

    @staticmethod
    def _qa(session: Session, scope: Sequence[ColumnElement[bool]]) -> tuple[float | None, int]:
        """Average quality review score of the scored reviews of the complaints in scope."""
        # Driven from the (small) reviews table: each review looks its complaint up by id.
        in_scope = select(Complaint.id).where(Complaint.id == QaReview.complaint_id, *scope).exists()
        query = select(func.avg(QaReview.score), func.count(QaReview.score)).where(
            QaReview.score.is_not(None), in_scope)
        average, count = session.execute(query).one()
        return (None if average is None else float(average)), int(count)

    @staticmethod
    def _repeats(session: Session, scope: Sequence[ColumnElement[bool]]) -> tuple[int, int]:
        per_phone = (select(func.count().label("n")).where(*scope).group_by(Complaint.phone)
                     .having(func.count() > 1).subquery())
        query = select(func.count(), func.coalesce(func.sum(per_phone.c.n), 0))
        numbers, complaints = session.execute(query).one()
        return int(numbers), int(complaints)


@dataclass(frozen=True)
class _CubeRow:
    category: str
    channel: str
    agent_id: str
    figures: Figures
    valid: int
    invalid: int
    reply_days_sum: float
    appeals: int
    compensation_fen: int
    compensation_cases: int


def _days_between(session: Session, start: Any, end: Any) -> ColumnElement[Any]:
    """Elapsed days between two UTC timestamps, in each backend's own date arithmetic."""
    if session.get_bind().dialect.name == "sqlite":
        return func.julianday(end) - func.julianday(start)
    return func.extract("epoch", end - start) / 86400.0


def _figures(row: Any, key: str, name: str | None) -> Figures:
    return Figures(key=key, name=name, received=row.received, open=row.open, overdue_open=row.overdue_open,
                   replied_on_time=row.replied_on_time, replied_late=row.replied_late,
                   unanswered_late=row.unanswered_late, satisfaction_sum=int(row.satisfaction_sum),
                   satisfaction_count=row.satisfaction_count)


def _roll_up(cube: list[_CubeRow], key: Callable[[_CubeRow], str],
             names: dict[str, str] | None = None) -> list[Figures]:
    """Sum the groups sharing a key; largest first (the order a supervisor reads them in)."""
    groups: dict[str, Figures] = {}
    for row in cube:
        k = key(row)
        groups[k] = groups[k].plus(row.figures) if k in groups else replace(row.figures, key=k)
    if names is not None:
        groups = {k: replace(f, name=names.get(k)) for k, f in groups.items()}
    return sorted(groups.values(), key=lambda row: (-row.received, row.key))


def _totals(cube: list[_CubeRow], repeats: tuple[int, int]) -> Totals:
    figures = [row.figures for row in cube]
    fen = sum(row.compensation_fen for row in cube)
    return Totals(
        received=sum(f.received for f in figures), valid=sum(row.valid for row in cube),
        invalid=sum(row.invalid for row in cube), open=sum(f.open for f in figures),
        overdue_open=sum(f.overdue_open for f in figures),
        replied_on_time=sum(f.replied_on_time for f in figures),
        replied_late=sum(f.replied_late for f in figures),
        unanswered_late=sum(f.unanswered_late for f in figures),
        reply_days_sum=sum(row.reply_days_sum for row in cube),
        repeat_numbers=repeats[0], repeat_complaints=repeats[1], appeals=sum(row.appeals for row in cube),
        compensation=(Decimal(fen) / 100).quantize(Decimal("0.01")),
        compensation_cases=sum(row.compensation_cases for row in cube),
        satisfaction_sum=sum(f.satisfaction_sum for f in figures),
        satisfaction_count=sum(f.satisfaction_count for f in figures),
    )


def _weekly(days: list[Figures]) -> list[Figures]:
    """Roll daily totals (at most a few hundred rows, already aggregated) up into ISO weeks."""
    weeks: dict[str, Figures] = {}
    for day in days:
        start = date.fromisoformat(day.key)
        monday = (start - timedelta(days=start.weekday())).isoformat()
        weeks[monday] = weeks[monday].plus(day) if monday in weeks else replace(day, key=monday)
    return [weeks[key] for key in sorted(weeks)]


def summary_figures(session: Session, start: date, end: date, now: datetime,
                    cutoff: datetime) -> tuple[dict[str, list[_CubeRow]], list[_CubeRow]]:
    """Per breakdown (category, channel, agent) and per day, the figures of [start, end] from the summary.

    "Overdue now" and "unanswered past the deadline" compare each open complaint's deadline with a
    moment. Whole due days at least two days before that moment's day are summed from
    ``stats_open_due`` (a deadline falls on its due day or at the midnight ending it, so they have all
    passed); the few open complaints due later are compared one by one through the open/due index.
    """
    d, o = StatsDaily, StatsOpenDue
    sums = [func.coalesce(func.sum(getattr(d, c.column)), 0).label(c.column) for c in COUNTERS]
    by_key = session.execute(select(d.dim, d.key, *sums).where(d.day.between(start, end))
                             .group_by(d.dim, d.key)).all()
    by_day = session.execute(select(d.day, *sums).where(d.day.between(start, end), d.dim == "category")
                             .group_by(d.day).order_by(d.day)).all()
    settled_now = now.astimezone(BEIJING).date() - timedelta(days=2)
    settled_cutoff = cutoff.astimezone(BEIJING).date() - timedelta(days=2)
    late = [func.coalesce(func.sum(case((o.due_day <= settled_now, o.open_n))), 0).label("overdue"),
            func.coalesce(func.sum(case((o.due_day <= settled_cutoff, o.unanswered_n))), 0).label("unanswered")]
    open_by_key = {(r.dim, r.key): (int(r.overdue), int(r.unanswered)) for r in session.execute(
        select(o.dim, o.key, *late).where(o.day.between(start, end)).group_by(o.dim, o.key))}
    open_by_day = {r.day: (int(r.overdue), int(r.unanswered)) for r in session.execute(
        select(o.day, *late).where(o.day.between(start, end), o.dim == "category").group_by(o.day))}
    extra: dict[tuple[str, str], list[int]] = {}
    extra_day: dict[date, list[int]] = {}
    for slot, moment, settled, unanswered_only in ((0, now, settled_now, False), (1, cutoff, settled_cutoff, True)):
        c = Complaint
        # Through the open/due index; the receipt days are filtered below (few rows), which keeps
        # the planner from walking a year of the statistics index instead.
        conditions = [c.is_open.is_(True), c.reply_due_at < moment, c.reply_due_date > settled,
                      c.reply_due_at >= datetime.combine(settled, datetime.min.time(), BEIJING).astimezone(UTC)]
        if unanswered_only:
            conditions.append(c.reply_at.is_(None))
        rows = session.execute(select(c.category, c.channel, c.assigned_agent_id, c.received_day,
                                      func.count().label("n")).where(*conditions)
                               .group_by(c.category, c.channel, c.assigned_agent_id, c.received_day)).all()
        for row in rows:
            if not start <= row.received_day <= end:
                continue
            agent = "" if row.assigned_agent_id is None else str(row.assigned_agent_id)
            for key in (("category", row.category), ("channel", row.channel), ("agent", agent)):
                extra.setdefault(key, [0, 0])[slot] += row.n
            extra_day.setdefault(row.received_day, [0, 0])[slot] += row.n

    def cube_row(row: Any, dim: str, key: str, late_counts: tuple[int, int], more: list[int]) -> _CubeRow:
        figures = Figures(key="", name=None, received=int(row.received), open=int(row.open),
                          overdue_open=late_counts[0] + more[0], replied_on_time=int(row.replied_on_time),
                          replied_late=int(row.replied_late), unanswered_late=late_counts[1] + more[1],
                          satisfaction_sum=int(row.satisfaction_sum), satisfaction_count=int(row.satisfaction_count))
        return _CubeRow(category=key if dim in ("category", "day") else "", channel=key if dim == "channel" else "",
                        agent_id=key if dim == "agent" else "", figures=figures, valid=int(row.valid),
                        invalid=int(row.invalid), reply_days_sum=float(row.reply_days_sum), appeals=int(row.appeals),
                        compensation_fen=int(row.compensation_fen), compensation_cases=int(row.compensation_cases))

    groups: dict[str, list[_CubeRow]] = {"category": [], "channel": [], "agent": []}
    for row in by_key:
        if row.received or row.open:  # rows emptied by later changes are kept in the table, not shown
            groups[row.dim].append(cube_row(row, row.dim, row.key, open_by_key.get((row.dim, row.key), (0, 0)),
                                            extra.get((row.dim, row.key), [0, 0])))
    days = [cube_row(row, "day", row.day.isoformat(), open_by_day.get(row.day, (0, 0)),
                     extra_day.get(row.day, [0, 0])) for row in by_day if row.received]
    return groups, days


def summary_repeats(session: Session, start: date, end: date) -> tuple[int, int]:
    """Phone numbers with more than one complaint received in [start, end], and those complaints.

    Only numbers that ever complained more than once (``phone_counts``, kept by the triggers) are
    looked at, each through the (phone, received_at) index.
    """
    first = datetime.combine(start, datetime.min.time(), BEIJING).astimezone(UTC)
    after = datetime.combine(end + timedelta(days=1), datetime.min.time(), BEIJING).astimezone(UTC)
    c = Complaint
    # Grouped, not a per-number count in the select list: PostgreSQL pulled that subquery up and
    # ran its count twice (the filter and the sum), 0.6 s at 1M rows.
    per_phone = (select(func.count().label("k"))
                 .where(c.phone.in_(select(PhoneCount.phone).where(PhoneCount.n > 1)),
                        c.received_at >= first, c.received_at < after)
                 .group_by(c.phone).having(func.count() > 1).subquery())
    numbers, complaints = session.execute(
        select(func.count(), func.coalesce(func.sum(per_phone.c.k), 0))).one()
    return int(numbers), int(complaints)
