"""Properties of the reply deadline over every receipt moment in 2020-2027."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.deadlines import BEIJING, DEFAULT_RULES, WorkCalendar, compute_deadline

CALENDAR = WorkCalendar.load()
REPLY = DEFAULT_RULES["reply"]

zones = st.sampled_from(
    [BEIJING, UTC, timezone(timedelta(hours=-10)), timezone(timedelta(hours=14))]
)
moments = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2027, 12, 31, 23, 59, 59), timezones=zones
)


@settings(max_examples=400, deadline=None)
@given(received=moments)
def test_reply_due_date_properties(received: datetime) -> None:
    deadline = compute_deadline(REPLY, received, CALENDAR)
    receipt_day = received.astimezone(BEIJING).date()
    earliest = receipt_day + timedelta(days=15)
    assert not CALENDAR.is_rest_day(deadline.due_date)
    assert deadline.due_date >= earliest
    if CALENDAR.is_working_day(earliest):
        assert deadline.due_date == earliest
    else:
        # Only rest days lie between the nominal last day and the due date.
        day = earliest
        while day < deadline.due_date:
            assert CALENDAR.is_rest_day(day)
            day += timedelta(days=1)
    assert deadline.due_at == datetime.combine(
        deadline.due_date + timedelta(days=1), time(0), BEIJING
    )
    assert deadline.due_at.isoformat().endswith("T00:00:00+08:00")
    assert deadline.received_at.utcoffset() == timedelta(hours=8)
    assert deadline.received_at == received


@settings(max_examples=200, deadline=None)
@given(first=moments, later_by=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40)))
def test_later_receipt_never_gives_earlier_due_date(first: datetime, later_by: timedelta) -> None:
    earlier = compute_deadline(REPLY, first, CALENDAR)
    later = compute_deadline(REPLY, first + later_by, CALENDAR)
    assert later.due_date >= earlier.due_date


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 12, 31)))
def test_regulator_due_date_is_the_tenth_working_day(day: date) -> None:
    deadline = compute_deadline(
        DEFAULT_RULES["regulator"], datetime.combine(day, time(12), BEIJING), CALENDAR
    )
    working = [
        day + timedelta(days=offset)
        for offset in range(1, (deadline.due_date - day).days + 1)
        if CALENDAR.is_working_day(day + timedelta(days=offset))
    ]
    assert len(working) == 10
    assert working[-1] == deadline.due_date


@pytest.mark.parametrize("code", ["repair_urban", "repair_rural", "acknowledge"])
@settings(max_examples=50, deadline=None)
@given(received=moments)
def test_hour_rules_add_exact_hours(code: str, received: datetime) -> None:
    rule = DEFAULT_RULES[code]
    deadline = compute_deadline(rule, received, CALENDAR)
    assert deadline.due_at - deadline.received_at == timedelta(hours=rule.amount)
    assert deadline.due_date == deadline.due_at.astimezone(BEIJING).date()
