"""Compute a deadline from a rule, the moment of receipt and the work calendar.

Day periods follow 民法典 第二百零一条/第二百零三条: the day of receipt is not
counted, a last day falling on a statutory rest day moves to the first working
day after the rest days, and the last day ends at 24:00 Beijing time. Every
step is written to a translated trace so staff can see why a date was chosen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from desktop.domain.deadlines.names import format_day, format_moment
from desktop.domain.deadlines.rules import DeadlineRule, LegalBasis, RuleKind, unit_name
from desktop.domain.deadlines.work_calendar import WorkCalendar, YearStatus
from desktop.i18n import _, ngettext

BEIJING = ZoneInfo("Asia/Shanghai")
_ONE_DAY = timedelta(days=1)


def start_key(rule: DeadlineRule, start: datetime) -> date | datetime:
    """What a deadline under ``rule`` depends on besides the calendar (a memo key for bulk work):
    the Beijing day the clock started for day-counted rules, the moment itself for hour-counted ones."""
    if rule.kind is RuleKind.HOURS:
        return start
    return start.astimezone(BEIJING).date()


class Due(NamedTuple):
    """What is stored of a deadline: the last day, the moment it becomes late, the calendar state."""

    due_date: date
    due_at: datetime
    provisional: bool


class DueDates:
    """Deadlines for bulk work (imports, recomputes), computed once per (rule, :func:`start_key`).

    Rows received on the same day share a day-counted deadline; only what is stored is kept, not
    the translated trace each computation builds (that was most of a 100,000-row import's memory).
    """

    def __init__(self, rules: Mapping[str, DeadlineRule], compute: Callable[[str, datetime], Deadline]) -> None:
        self._rules = rules
        self._compute = compute
        self._memo: dict[tuple[str, date | datetime], Due] = {}

    def __call__(self, rule_code: str, start: datetime) -> Due:
        rule = self._rules[rule_code]
        key = (rule_code, start_key(rule, start))
        found = self._memo.get(key)
        if found is None:
            deadline = self._compute(rule_code, start)
            found = Due(deadline.due_date, deadline.due_at, deadline.calendar == "provisional")
            if rule.kind is not RuleKind.HOURS:  # an hour-counted deadline is its moment's alone
                self._memo[key] = found
        return found


@dataclass(frozen=True)
class Deadline:
    rule: str
    received_at: datetime  # always in Beijing time
    due_date: date  # the last day on which the action is on time
    due_at: datetime  # the moment it becomes late (Beijing time)
    calendar: YearStatus
    basis: tuple[LegalBasis, ...]
    trace: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "received_at": self.received_at.isoformat(),
            "due_date": self.due_date.isoformat(),
            "due_at": self.due_at.isoformat(),
            "calendar": self.calendar,
            "basis": [
                {"citation": item.citation, "verified": item.verified, "note": item.display_note()}
                for item in self.basis
            ],
            "trace": list(self.trace),
        }


def to_beijing(moment: datetime) -> datetime:
    """Naive datetimes are Beijing time; aware ones are converted."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=BEIJING)
    return moment.astimezone(BEIJING)


def compute_deadline(rule: DeadlineRule, received_at: datetime, calendar: WorkCalendar) -> Deadline:
    received = to_beijing(received_at)
    trace = [_received_line(received_at, received)]
    if rule.legal_max is not None and rule.amount < rule.legal_max:
        trace.append(
            _("Site setting: {amount} {unit} (the legal limit is {limit} {unit}).").format(
                amount=rule.amount, limit=rule.legal_max, unit=unit_name(rule.kind)
            )
        )
    if not rule.basis:
        trace.append(_("No statute sets this period; it is set by the site."))
    if rule.kind is RuleKind.HOURS:
        due_at = received + timedelta(hours=rule.amount)
        trace.append(
            ngettext(
                "Counted as {count} hour from the moment of receipt; rest days do not extend it.",
                "Counted as {count} hours from the moment of receipt; rest days do not extend it.",
                rule.amount,
            ).format(count=rule.amount)
        )
        trace.append(_("Late from {moment} Beijing time.").format(moment=format_moment(due_at)))
        # Hour periods never depend on the holiday schedule, so publishing a
        # schedule cannot change them: they are never provisional.
        return Deadline(
            rule.code, received, due_at.date(), due_at, "official", rule.basis, tuple(trace)
        )

    receipt_day = received.date()
    trace.append(
        _("The day of receipt is not counted; counting starts on {date}.").format(
            date=format_day(receipt_day + _ONE_DAY)
        )
    )
    if rule.kind is RuleKind.WORKING_DAYS:
        due_date = _count_working_days(rule.amount, receipt_day, calendar, trace)
    else:
        due_date = _count_calendar_days(rule.amount, receipt_day, calendar, trace)
    due_at = datetime.combine(due_date + _ONE_DAY, time(0), BEIJING)
    trace.append(
        _("Due date: {date}; on time until 24:00 that day.").format(date=format_day(due_date))
    )
    trace.append(_("Late from {moment} Beijing time.").format(moment=format_moment(due_at)))
    status: YearStatus = "official"
    for year in range(receipt_day.year, due_date.year + 1):
        if calendar.year_status(year) == "provisional":
            status = "provisional"
            trace.append(
                _(
                    "The {year} holiday schedule has not been officially confirmed; "
                    "this due date is provisional."
                ).format(year=year)
            )
    return Deadline(rule.code, received, due_date, due_at, status, rule.basis, tuple(trace))


def _received_line(original: datetime, received: datetime) -> str:
    moment = format_moment(received)
    if original.tzinfo is not None and original.utcoffset() != received.utcoffset():
        return _("Received {moment} Beijing time (entered as {original}).").format(
            moment=moment, original=original.isoformat()
        )
    return _("Received {moment} Beijing time.").format(moment=moment)


def _count_calendar_days(
    amount: int, receipt_day: date, calendar: WorkCalendar, trace: list[str]
) -> date:
    nominal = receipt_day + timedelta(days=amount)
    trace.append(
        ngettext(
            "Counting {count} day, the nominal last day is {date}.",
            "Counting {count} days, the nominal last day is {date}.",
            amount,
        ).format(count=amount, date=format_day(nominal))
    )
    if calendar.is_makeup_working_day(nominal):
        trace.append(
            _("{date} is a make-up working day, so the last day stays there.").format(
                date=format_day(nominal)
            )
        )
    due = nominal
    while calendar.is_rest_day(due):
        trace.append(
            _("Rolled forward because {date} is a rest day: {reason}.").format(
                date=due.isoformat(), reason=calendar.describe_day(due)
            )
        )
        due += _ONE_DAY
    if due != nominal:
        trace.append(
            _(
                "The last day becomes the first working day after the rest days, {date}, "
                "under Article 203 of the Civil Code."
            ).format(date=format_day(due))
        )
    return due


def _count_working_days(
    amount: int, receipt_day: date, calendar: WorkCalendar, trace: list[str]
) -> date:
    day = receipt_day
    counted = 0
    skipped = 0
    while counted < amount:
        day += _ONE_DAY
        if calendar.is_rest_day(day):
            skipped += 1
        else:
            counted += 1
    trace.append(
        ngettext(
            "Counting {count} working day after the day of receipt ({skipped} rest days skipped).",
            "Counting {count} working days after the day of receipt ({skipped} rest days skipped).",
            amount,
        ).format(count=amount, skipped=skipped)
    )
    return day
