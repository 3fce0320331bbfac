"""Which days are statutory rest days (法定休假日) in mainland China.

Three sources, in order of precedence for a year:

1. schedules an admin imported (:class:`CalendarYear`) — official;
2. the ``holidays`` package's China data for the years listed in
   ``resources/calendar/official-years.json`` — official (checked day by day
   against the State Council notices by the tests);
3. for any other year, the ``holidays`` package's projection (statutory days
   plus weekend substitution) — provisional, because the real schedule with
   its make-up working days is only published late in the previous year.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Literal

from desktop.domain.deadlines.calendar_year import CalendarYear
from desktop.domain.deadlines.names import festival_codes, festival_name, weekday_name
from desktop.i18n import _
from desktop.paths import resource_path

YearStatus = Literal["official", "provisional"]
DayKind = Literal["holiday", "in_lieu", "workday"]

OFFICIAL_YEARS_RESOURCE = "calendar/official-years.json"
# A rest run longer than this is not a single holiday block (used only to name days).
_MAX_BLOCK = 16
_SUBSTITUTED = re.compile(r"substituted from (\d{2})/(\d{2})/(\d{4})")


@dataclass(frozen=True)
class _Day:
    kind: DayKind
    festival: str  # festival code, a custom name from an imported file, or ""


@dataclass(frozen=True)
class _YearData:
    rest: Mapping[date, _Day]
    workdays: Mapping[date, _Day]


def _china(years: Iterable[int]) -> Any:
    # Imported on first use: holidays.countries loads every country's module (0.1-0.4 s at start-up).
    from holidays.constants import PUBLIC
    from holidays.countries.china import China

    # holidays' constructor carries no annotations; its result is a dict-like of date -> label.
    return China(years=years, language="en_US", categories=(PUBLIC,))  # type: ignore[no-untyped-call]


def _majority(codes: Iterable[str]) -> str:
    counted = Counter(code for code in codes if code)
    return counted.most_common(1)[0][0] if counted else ""


@lru_cache(maxsize=1)
def _china_static_years() -> frozenset[int] | None:
    """Years for which the installed ``holidays`` has a State Council schedule, if it says."""
    data = getattr(_china(()), "special_public_holidays", None)
    return frozenset(data) if isinstance(data, dict) else None


@lru_cache(maxsize=256)
def _holidays_year(year: int) -> _YearData:
    """Rest and make-up working days of ``year`` as the holidays package has them."""
    china = _china((year,))
    labels = {day: str(label) for day, label in china.items() if day.year == year}
    rest: dict[date, tuple[DayKind, list[str]]] = {}
    swapped_from: dict[date, date] = {}  # make-up working day -> the rest day it pays for
    for day, label in labels.items():
        match = _SUBSTITUTED.search(label)
        if match:
            month, dom, from_year = (int(part) for part in match.groups())
            swapped_from[date(from_year, month, dom)] = day
            rest[day] = ("in_lieu", [])
        elif "substituted" in label.lower() or "(observed" in label.lower():
            rest[day] = ("in_lieu", festival_codes(label))
        else:
            rest[day] = ("holiday", festival_codes(label) or [label])

    def block_festival(day: date) -> str:
        # Name a day by the festival that dominates its run of consecutive rest days.
        codes: list[str] = []
        for step in (-1, 1):
            probe = day
            for _distance in range(_MAX_BLOCK):
                if probe in rest:
                    codes.extend(rest[probe][1])
                elif probe.weekday() < 5 or probe in china.weekend_workdays:
                    break
                probe += timedelta(days=step)
        return _majority(codes)

    days = {
        day: _Day(kind, codes[0] if len(codes) == 1 else block_festival(day))
        for day, (kind, codes) in rest.items()
    }
    workdays: dict[date, _Day] = {}
    for day in sorted(china.weekend_workdays):
        if day.year == year and day not in days:
            paid = swapped_from.get(day)
            workdays[day] = _Day("workday", days[paid].festival if paid in days else "")
    return _YearData(days, workdays)


def _imported_year(schedule: CalendarYear) -> _YearData:
    def festival(name: str) -> str:
        codes = festival_codes(name)
        return codes[0] if codes else name

    return _YearData(
        {day: _Day("holiday", festival(name)) for day, name in schedule.rest_days.items()},
        {day: _Day("workday", festival(name)) for day, name in schedule.working_days.items()},
    )


@lru_cache(maxsize=1)
def _official_years_from_resources() -> frozenset[int]:
    with resource_path(OFFICIAL_YEARS_RESOURCE).open(encoding="utf-8") as handle:
        data = json.load(handle)
    listed = frozenset(int(entry["year"]) for entry in data["years"])
    # A listed year counts only if the installed holidays release really carries
    # that year's notice; an older release would silently project it instead.
    known = _china_static_years()
    return listed if known is None else listed & known


class WorkCalendar:
    """Answers "is this a rest day?" for any date; build it with :meth:`load`."""

    def __init__(self, official_years: frozenset[int], imported: Mapping[int, CalendarYear]):
        self._official = official_years | frozenset(imported)
        self._imported = dict(imported)
        self._years: dict[int, _YearData] = {}

    @classmethod
    def load(cls, extra_years: Iterable[CalendarYear] = ()) -> WorkCalendar:
        """Bundled data plus imported years (which become official, overriding the bundle)."""
        imported = {schedule.year: schedule for schedule in extra_years}
        calendar = cls(_official_years_from_resources(), imported)
        today = date.today()
        for year in sorted(calendar._official | {today.year - 1, today.year, today.year + 1}):
            calendar._year(year)
        return calendar

    @property
    def official_years(self) -> frozenset[int]:
        return self._official

    def year_status(self, year: int) -> YearStatus:
        return "official" if year in self._official else "provisional"

    def _year(self, year: int) -> _YearData:
        data = self._years.get(year)
        if data is None:
            schedule = self._imported.get(year)
            data = _imported_year(schedule) if schedule else _holidays_year(year)
            self._years[year] = data
        return data

    def is_rest_day(self, day: date) -> bool:
        data = self._year(day.year)
        if day in data.rest:
            return True
        if day in data.workdays:
            return False
        return day.weekday() >= 5

    def is_working_day(self, day: date) -> bool:
        return not self.is_rest_day(day)

    def is_makeup_working_day(self, day: date) -> bool:
        """A Saturday or Sunday worked in exchange for a rest day (调休上班)."""
        return day in self._year(day.year).workdays

    def _block_festival(self, day: date) -> str:
        codes: list[str] = []
        for step in (-1, 1):
            probe = day + timedelta(days=step)
            for _distance in range(_MAX_BLOCK):
                if not self.is_rest_day(probe):
                    break
                entry = self._year(probe.year).rest.get(probe)
                if entry:
                    codes.append(entry.festival)
                probe += timedelta(days=step)
        return _majority(codes)

    def describe_day(self, day: date) -> str:
        """Why ``day`` is a rest day or an unusual working day; "" for an ordinary working day."""
        data = self._year(day.year)
        weekend = day.weekday() >= 5
        entry = data.rest.get(day)
        if entry is None and weekend and day not in data.workdays:
            festival = self._block_festival(day)
            if not festival:
                return weekday_name(day)
            entry = _Day("holiday", festival)
        if entry is not None:
            name = festival_name(entry.festival) if entry.festival else ""
            if weekend and name:
                return _("{weekday}, part of the {festival} holiday").format(
                    weekday=weekday_name(day), festival=name
                )
            if entry.kind == "in_lieu":
                if name:
                    return _("day off in lieu ({festival} holiday)").format(festival=name)
                return _("day off in lieu")
            return _("{festival} holiday").format(festival=name) if name else _("public holiday")
        workday = data.workdays.get(day)
        if workday is not None:
            if workday.festival:
                return _("make-up working day ({festival} holiday)").format(
                    festival=festival_name(workday.festival)
                )
            return _("make-up working day")
        return ""
