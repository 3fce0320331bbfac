"""Deadlines worked out by hand from the State Council holiday notices.

Each expected date was derived on paper: receipt day R (Beijing date), nominal
last day R + 15, then moved past rest days (放假 ranges and weekends that are
not 调休上班) to the first working day, per 民法典 第二百零一条/第二百零三条.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from desktop.domain.deadlines import (
    BEIJING,
    DEFAULT_RULES,
    WorkCalendar,
    build_rules,
    compute_deadline,
)

UTC = UTC


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return WorkCalendar.load()


def bj(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=BEIJING)


# (rule, received_at, expected due_date, expected calendar status, why)
REPLY_CASES = [
    # --- Spring Festival 2025: rest 01-28..02-04, make-up work 01-26 (Sun), 02-08 (Sat)
    (
        "reply",
        bj(2025, 1, 15, 9),
        date(2025, 2, 5),
        "official",
        "R+15 = 01-30 春节; rest until 02-04; first working day 02-05",
    ),
    (
        "reply",
        bj(2025, 1, 20, 9),
        date(2025, 2, 5),
        "official",
        "R+15 = 02-04, a day off in lieu; next day 02-05 works",
    ),
    (
        "reply",
        bj(2025, 1, 24, 9),
        date(2025, 2, 8),
        "official",
        "R+15 = 02-08, a make-up working Saturday: due date stays",
    ),
    (
        "reply",
        bj(2025, 1, 11, 9),
        date(2025, 1, 26),
        "official",
        "R+15 = 01-26, a make-up working Sunday: due date stays",
    ),
    # --- National Day + Mid-Autumn 2025: rest 10-01..10-08, make-up 09-28 (Sun), 10-11 (Sat)
    (
        "reply",
        bj(2025, 9, 16, 9),
        date(2025, 10, 9),
        "official",
        "R+15 = 10-01 国庆节; rest until 10-08",
    ),
    (
        "reply",
        bj(2025, 9, 23, 9),
        date(2025, 10, 9),
        "official",
        "R+15 = 10-08, last day off in lieu",
    ),
    (
        "reply",
        bj(2025, 9, 13, 9),
        date(2025, 9, 28),
        "official",
        "R+15 = 09-28, make-up working Sunday",
    ),
    (
        "reply",
        bj(2025, 9, 26, 9),
        date(2025, 10, 11),
        "official",
        "R+15 = 10-11, make-up working Saturday",
    ),
    # --- May Day 2025: rest 05-01..05-05, make-up 04-27 (Sun)
    (
        "reply",
        bj(2025, 4, 16, 9),
        date(2025, 5, 6),
        "official",
        "R+15 = 05-01 劳动节; rest until 05-05",
    ),
    (
        "reply",
        bj(2025, 4, 12, 9),
        date(2025, 4, 27),
        "official",
        "R+15 = 04-27, make-up working Sunday",
    ),
    # --- Dragon Boat 2025: rest 05-31 (Sat)..06-02
    (
        "reply",
        bj(2025, 5, 16, 9),
        date(2025, 6, 3),
        "official",
        "R+15 = 05-31 端午节 on a Saturday; 06-02 is the day in lieu",
    ),
    (
        "privacy",
        bj(2025, 5, 16, 9),
        date(2025, 6, 3),
        "official",
        "personal-information rule: 15 calendar days, same counting as reply",
    ),
    # --- Qingming 2025: rest 04-04..04-06
    (
        "reply",
        bj(2025, 3, 20, 9),
        date(2025, 4, 7),
        "official",
        "R+15 = 04-04 清明节; rest until Sunday 04-06",
    ),
    # --- Qingming 2024: rest 04-04..04-06, make-up 04-07 (Sun)
    (
        "reply",
        bj(2024, 3, 21, 9),
        date(2024, 4, 7),
        "official",
        "R+15 = 04-05 清明; 04-06 Sat rest; rolls onto make-up Sunday 04-07",
    ),
    # --- Mid-Autumn 2024: rest 09-15..09-17, make-up 09-14 (Sat)
    (
        "reply",
        bj(2024, 8, 31, 9),
        date(2024, 9, 18),
        "official",
        "R+15 = 09-15 (Sun) 中秋 holiday; rest until 09-17",
    ),
    (
        "reply",
        bj(2024, 8, 30, 9),
        date(2024, 9, 14),
        "official",
        "R+15 = 09-14, make-up working Saturday",
    ),
    # --- Labour Day 2024: rest 05-01..05-05, make-up 04-28 (Sun), 05-11 (Sat)
    (
        "reply",
        bj(2024, 4, 26, 9),
        date(2024, 5, 11),
        "official",
        "R+15 = 05-11, make-up working Saturday",
    ),
    # --- plain weeks of 2025
    (
        "reply",
        bj(2025, 3, 7, 9),
        date(2025, 3, 24),
        "official",
        "R+15 = 03-22 ordinary Saturday; 03-23 Sunday; Monday 03-24",
    ),
    (
        "reply",
        bj(2025, 3, 10, 9),
        date(2025, 3, 25),
        "official",
        "R+15 = 03-25 ordinary Tuesday: no roll",
    ),
    # --- New Year crossings
    (
        "reply",
        bj(2025, 12, 17, 9),
        date(2026, 1, 4),
        "official",
        "R+15 = 2026-01-01; rest 01-01..01-03; 01-04 (Sun) is a make-up working day",
    ),
    (
        "reply",
        bj(2022, 12, 16, 9),
        date(2023, 1, 3),
        "official",
        "R+15 = 2022-12-31 (Sat, 元旦 holiday 12-31..01-02); first working day 2023-01-03",
    ),
    # --- Spring Festival 2026: rest 02-15..02-23, make-up 02-14 (Sat), 02-28 (Sat)
    (
        "reply",
        bj(2026, 2, 1, 9),
        date(2026, 2, 24),
        "official",
        "R+15 = 02-16 除夕; rest until 02-23",
    ),
    (
        "reply",
        bj(2026, 1, 30, 9),
        date(2026, 2, 14),
        "official",
        "R+15 = 02-14, make-up working Saturday",
    ),
    # --- National Day 2026: rest 10-01..10-07, make-up 09-20 (Sun), 10-10 (Sat)
    (
        "reply",
        bj(2026, 9, 20, 9),
        date(2026, 10, 8),
        "official",
        "R+15 = 10-05 国庆节; rest until 10-07",
    ),
    # --- older official years
    (
        "reply",
        bj(2020, 1, 17, 9),
        date(2020, 2, 3),
        "official",
        "R+15 = 02-01 (Sat): planned make-up day cancelled by the 2020 extension, rest to 02-02",
    ),
    (
        "reply",
        bj(2023, 9, 20, 9),
        date(2023, 10, 7),
        "official",
        "R+15 = 10-05 in lieu (rest 09-29..10-06); 10-07 (Sat) is a make-up working day",
    ),
    (
        "reply",
        bj(2022, 3, 18, 9),
        date(2022, 4, 2),
        "official",
        "R+15 = 04-02, make-up working Saturday before 清明 2022",
    ),
    (
        "reply",
        bj(2021, 9, 4, 9),
        date(2021, 9, 22),
        "official",
        "R+15 = 09-19 (Sun) 中秋 2021 rest 09-19..09-21",
    ),
    (
        "reply",
        bj(2023, 6, 8, 9),
        date(2023, 6, 25),
        "official",
        "R+15 = 06-23 端午 2023 (rest 06-22..06-24); 06-25 (Sun) is a make-up working day",
    ),
    # --- time of day and zones: the receipt day is the Beijing date
    (
        "reply",
        datetime(2025, 9, 15, 17, 30, tzinfo=UTC),
        date(2025, 10, 9),
        "official",
        "17:30 UTC on 09-15 is 01:30 on 09-16 in Beijing: R = 09-16, as in case 5",
    ),
    (
        "reply",
        datetime(2025, 1, 23, 16, 0, tzinfo=UTC),
        date(2025, 2, 8),
        "official",
        "16:00 UTC = 00:00 Beijing on 01-24: R+15 = 02-08 make-up Saturday",
    ),
    (
        "reply",
        datetime(2025, 9, 15, 13, 0, tzinfo=ZoneInfo("America/New_York")),
        date(2025, 10, 9),
        "official",
        "13:00 EDT = 01:00 Beijing on 09-16",
    ),
    (
        "reply",
        bj(2025, 9, 16, 0, 0, 0),
        date(2025, 10, 9),
        "official",
        "exactly 00:00 Beijing belongs to 09-16",
    ),
    (
        "reply",
        bj(2025, 9, 15, 23, 59, 59),
        date(2025, 9, 30),
        "official",
        "23:59:59 still 09-15: R+15 = 09-30, an ordinary Tuesday",
    ),
    (
        "reply",
        datetime(2025, 9, 15, 23, 59, 59),
        date(2025, 9, 30),
        "official",
        "naive datetimes are Beijing time",
    ),
    # --- years without a confirmed schedule
    (
        "reply",
        bj(2028, 3, 6, 9),
        date(2028, 3, 21),
        "provisional",
        "2028 not published: R+15 = 03-21 ordinary Tuesday, marked provisional",
    ),
    (
        "reply",
        bj(2028, 3, 3, 9),
        date(2028, 3, 20),
        "provisional",
        "2028: R+15 = 03-18 Saturday; Monday 03-20",
    ),
    (
        "reply",
        bj(2026, 12, 20, 9),
        date(2027, 1, 4),
        "provisional",
        "crosses into 2027 (unpublished): R+15 = 2027-01-04 Monday",
    ),
    # --- regulator-transferred cases: 10 working days after the receipt day
    (
        "regulator",
        bj(2025, 9, 28, 10),
        date(2025, 10, 17),
        "official",
        "09-29, 09-30, [10-01..10-08 rest], 10-09, 10-10, 10-11 make-up Sat, 10-13..10-17 = 10",
    ),
    (
        "regulator",
        bj(2025, 1, 20, 10),
        date(2025, 2, 8),
        "official",
        "01-21..01-24 (4), 01-26 make-up Sun (5), 01-27 (6), [01-28..02-04 rest], "
        "02-05..02-07 (9), 02-08 make-up Sat (10)",
    ),
]


@pytest.mark.parametrize(("code", "received", "expected", "status", "why"), REPLY_CASES)
def test_hand_derived_day_deadlines(
    calendar: WorkCalendar, code: str, received: datetime, expected: date, status: str, why: str
) -> None:
    deadline = compute_deadline(DEFAULT_RULES[code], received, calendar)
    assert deadline.due_date == expected, why
    assert deadline.calendar == status, why
    assert deadline.due_at == datetime.combine(
        expected + timedelta(days=1), datetime.min.time(), BEIJING
    )
    assert (
        deadline.due_at.isoformat()
        == f"{(expected + timedelta(days=1)).isoformat()}T00:00:00+08:00"
    )


def test_table_is_large_enough() -> None:
    assert len(REPLY_CASES) >= 30


def test_regulator_rule_with_site_amount(calendar: WorkCalendar) -> None:
    rules = build_rules({"regulator": 5})
    # 04-29 (1), 04-30 (2), [05-01..05-05 rest], 05-06 (3), 05-07 (4), 05-08 (5)
    deadline = compute_deadline(rules["regulator"], bj(2025, 4, 28, 10), calendar)
    assert deadline.due_date == date(2025, 5, 8)


def test_site_may_shorten_reply(calendar: WorkCalendar) -> None:
    rules = build_rules({"reply": 10})
    # R = 09-21, R+10 = 10-01 国庆节 -> 10-09
    deadline = compute_deadline(rules["reply"], bj(2025, 9, 21, 10), calendar)
    assert deadline.due_date == date(2025, 10, 9)
    assert any("10" in line and "15" in line for line in deadline.trace)


@pytest.mark.parametrize(
    ("code", "received", "due_at"),
    [
        # 电信条例 第三十二条: hours, no rolling even across National Day
        ("repair_urban", bj(2025, 9, 30, 10), "2025-10-02T10:00:00+08:00"),
        ("repair_rural", bj(2025, 1, 27, 18, 30), "2025-01-30T18:30:00+08:00"),
        # 20:00 UTC on 12-31 is 04:00 on 2026-01-01 in Beijing; +24 h
        ("acknowledge", datetime(2025, 12, 31, 20, 0, tzinfo=UTC), "2026-01-02T04:00:00+08:00"),
    ],
)
def test_hour_rules(calendar: WorkCalendar, code: str, received: datetime, due_at: str) -> None:
    deadline = compute_deadline(DEFAULT_RULES[code], received, calendar)
    assert deadline.due_at.isoformat() == due_at
    assert deadline.due_date == date.fromisoformat(due_at[:10])
    assert deadline.calendar == "official"


def test_changed_hour_amount(calendar: WorkCalendar) -> None:
    rule = replace(DEFAULT_RULES["acknowledge"], amount=4)
    deadline = compute_deadline(rule, bj(2025, 10, 1, 22), calendar)
    assert deadline.due_at.isoformat() == "2025-10-02T02:00:00+08:00"
