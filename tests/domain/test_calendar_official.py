"""The bundled calendar against the State Council schedules, written out by hand.

For each official year: the 放假 ranges (weekends inside included) and the
make-up working days (调休上班) as published in 国务院办公厅关于××年部分节假日安排的通知.
Every day of the year must then be a rest day exactly when it is in a range or
is a weekend day that is not a make-up working day.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from desktop.domain.deadlines import WorkCalendar

Range = tuple[str, str]

SCHEDULES: dict[int, tuple[list[Range], list[str]]] = {
    2020: (
        [
            ("2020-01-01", "2020-01-01"),
            ("2020-01-24", "2020-02-02"),  # 春节, extended to 02-02
            ("2020-04-04", "2020-04-06"),
            ("2020-05-01", "2020-05-05"),
            ("2020-06-25", "2020-06-27"),
            ("2020-10-01", "2020-10-08"),
        ],
        ["2020-01-19", "2020-04-26", "2020-05-09", "2020-06-28", "2020-09-27", "2020-10-10"],
    ),
    2021: (
        [
            ("2021-01-01", "2021-01-03"),
            ("2021-02-11", "2021-02-17"),
            ("2021-04-03", "2021-04-05"),
            ("2021-05-01", "2021-05-05"),
            ("2021-06-12", "2021-06-14"),
            ("2021-09-19", "2021-09-21"),
            ("2021-10-01", "2021-10-07"),
        ],
        [
            "2021-02-07",
            "2021-02-20",
            "2021-04-25",
            "2021-05-08",
            "2021-09-18",
            "2021-09-26",
            "2021-10-09",
        ],
    ),
    2022: (
        [
            ("2022-01-01", "2022-01-03"),
            ("2022-01-31", "2022-02-06"),
            ("2022-04-03", "2022-04-05"),
            ("2022-04-30", "2022-05-04"),
            ("2022-06-03", "2022-06-05"),
            ("2022-09-10", "2022-09-12"),
            ("2022-10-01", "2022-10-07"),
        ],
        [
            "2022-01-29",
            "2022-01-30",
            "2022-04-02",
            "2022-04-24",
            "2022-05-07",
            "2022-10-08",
            "2022-10-09",
        ],
    ),
    2023: (
        [
            ("2023-01-01", "2023-01-02"),
            ("2023-01-21", "2023-01-27"),
            ("2023-04-05", "2023-04-05"),
            ("2023-04-29", "2023-05-03"),
            ("2023-06-22", "2023-06-24"),
            ("2023-09-29", "2023-10-06"),
        ],
        [
            "2023-01-28",
            "2023-01-29",
            "2023-04-23",
            "2023-05-06",
            "2023-06-25",
            "2023-10-07",
            "2023-10-08",
        ],
    ),
    2024: (
        [
            ("2024-01-01", "2024-01-01"),
            ("2024-02-10", "2024-02-17"),
            ("2024-04-04", "2024-04-06"),
            ("2024-05-01", "2024-05-05"),
            ("2024-06-08", "2024-06-10"),
            ("2024-09-15", "2024-09-17"),
            ("2024-10-01", "2024-10-07"),
        ],
        [
            "2024-02-04",
            "2024-02-18",
            "2024-04-07",
            "2024-04-28",
            "2024-05-11",
            "2024-09-14",
            "2024-09-29",
            "2024-10-12",
        ],
    ),
    2025: (
        [
            ("2025-01-01", "2025-01-01"),
            ("2025-01-28", "2025-02-04"),
            ("2025-04-04", "2025-04-06"),
            ("2025-05-01", "2025-05-05"),
            ("2025-05-31", "2025-06-02"),
            ("2025-10-01", "2025-10-08"),
        ],
        ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
    ),
    2026: (
        [
            ("2026-01-01", "2026-01-03"),
            ("2026-02-15", "2026-02-23"),
            ("2026-04-04", "2026-04-06"),
            ("2026-05-01", "2026-05-05"),
            ("2026-06-19", "2026-06-21"),
            ("2026-09-25", "2026-09-27"),
            ("2026-10-01", "2026-10-07"),
        ],
        ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
    ),
}


def _expand(ranges: list[Range]) -> set[date]:
    days: set[date] = set()
    for first, last in ranges:
        day = date.fromisoformat(first)
        while day <= date.fromisoformat(last):
            days.add(day)
            day += timedelta(days=1)
    return days


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return WorkCalendar.load()


@pytest.mark.parametrize("year", sorted(SCHEDULES))
def test_every_day_matches_the_notice(calendar: WorkCalendar, year: int) -> None:
    ranges, workdays = SCHEDULES[year]
    rest = _expand(ranges)
    makeup = {date.fromisoformat(text) for text in workdays}
    assert all(day.weekday() >= 5 for day in makeup)
    assert calendar.year_status(year) == "official"
    wrong = []
    day = date(year, 1, 1)
    while day.year == year:
        expected = day in rest or (day.weekday() >= 5 and day not in makeup)
        if calendar.is_rest_day(day) != expected:
            wrong.append(day.isoformat())
        assert calendar.is_makeup_working_day(day) == (day in makeup)
        day += timedelta(days=1)
    assert wrong == []


def test_official_years_are_exactly_the_checked_ones(calendar: WorkCalendar) -> None:
    assert calendar.official_years == frozenset(SCHEDULES)
    assert calendar.year_status(2019) == "provisional"
    assert calendar.year_status(2027) == "provisional"


def test_provisional_year_still_has_weekends_and_festivals(calendar: WorkCalendar) -> None:
    # 2028-10-01 is a Sunday; the projection keeps National Day and weekends as rest days.
    assert calendar.is_rest_day(date(2028, 10, 2))
    assert calendar.is_rest_day(date(2028, 3, 18))  # a Saturday
    assert calendar.is_working_day(date(2028, 3, 21))
