"""One year's published holiday schedule, as a supervisor imports it.

The State Council publishes each year's schedule (rest days and make-up working
days, 调休上班) late in the previous year. A newly published year is entered as
a small JSON file (format in ``resources/calendar/README.md``), checked here and
stored by the service layer; the deadline calendar then treats that year as
official. Every message names the entry and the date at fault, because the
person importing is a supervisor, not a programmer.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from desktop.domain.deadlines.names import format_day
from desktop.domain.work_limit import WorkDeadline
from desktop.i18n import _

FORMAT_NAME = "complaint-desk/calendar-year"
FORMAT_VERSION = 1
MIN_YEAR = 2000
MAX_YEAR = 2100
# The longest published run so far is the 2020 Spring Festival (10 days,
# extended); anything much longer is almost certainly a typo in a date.
MAX_RANGE_DAYS = 15

_KNOWN_KEYS = frozenset(
    {"format", "version", "year", "example", "source", "rest_days", "working_days"}
)


class CalendarError(ValueError):
    """A schedule that cannot be used; ``str(error)`` is the translated reason."""


@dataclass(frozen=True)
class CalendarYear:
    """Rest days and make-up working days of one year, each with its name.

    Weekends not listed are rest days; listed working days are Saturdays or
    Sundays worked in exchange for a rest day (调休上班).
    """

    year: int
    rest_days: Mapping[date, str] = field(hash=False)
    working_days: Mapping[date, str] = field(hash=False)
    source: str
    example: bool = False

    def to_json(self) -> dict[str, Any]:
        """The file form (runs of equally named rest days become ranges); parses back equal."""
        rest: list[dict[str, str]] = []
        for day in sorted(self.rest_days):
            name = self.rest_days[day]
            last = rest[-1] if rest else None
            if (
                last
                and last["name"] == name
                and date.fromisoformat(last["to"]) + timedelta(1) == day
            ):
                last["to"] = day.isoformat()
            else:
                rest.append({"name": name, "from": day.isoformat(), "to": day.isoformat()})
        for entry in rest:
            if entry["from"] == entry["to"]:
                entry["date"] = entry.pop("from")
                del entry["to"]
        result: dict[str, Any] = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "year": self.year,
            "source": self.source,
            "rest_days": rest,
            "working_days": [
                {"name": self.working_days[day], "date": day.isoformat()}
                for day in sorted(self.working_days)
            ],
        }
        if self.example:
            result["example"] = True
        return result


def parse_calendar_json(text: str, *, allow_example: bool = False,
                        deadline: WorkDeadline | None = None) -> CalendarYear:
    """Parse the JSON text of a schedule file."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CalendarError(
            _("The calendar file is not valid JSON (line {line}, column {column}).").format(
                line=error.lineno, column=error.colno
            )
        ) from error
    return parse_calendar_year(data, allow_example=allow_example, deadline=deadline)


def parse_calendar_year(data: Mapping[str, Any], *, allow_example: bool = False,
                        deadline: WorkDeadline | None = None) -> CalendarYear:
    """Validate a schedule (the decoded JSON object) and build a :class:`CalendarYear`.

    ``allow_example`` must be set to accept a file marked ``"example": true``:
    an example must never silently become an official schedule. ``deadline``: for a file
    someone brings (the bundled calendars are trusted), checked in every loop over its entries.
    """
    if not isinstance(data, Mapping):
        raise CalendarError(_("The calendar file must contain a JSON object."))
    unknown = sorted(set(data) - _KNOWN_KEYS)
    if unknown:
        raise CalendarError(
            _("Unknown field “{key}” in the calendar file; allowed fields: {allowed}.").format(
                key=unknown[0], allowed=", ".join(sorted(_KNOWN_KEYS))
            )
        )
    if "format" in data and data["format"] != FORMAT_NAME:
        raise CalendarError(_("“format” must be “{expected}”.").format(expected=FORMAT_NAME))
    if "version" in data and data["version"] != FORMAT_VERSION:
        raise CalendarError(
            _("This program reads calendar files of version {expected}, not {found}.").format(
                expected=FORMAT_VERSION, found=data["version"]
            )
        )
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not MIN_YEAR <= year <= MAX_YEAR:
        raise CalendarError(
            _("“year” must be a whole number between {low} and {high}.").format(
                low=MIN_YEAR, high=MAX_YEAR
            )
        )
    example = data.get("example", False)
    if not isinstance(example, bool):
        raise CalendarError(_("“example” must be true or false."))
    if example and not allow_example:
        raise CalendarError(
            _(
                "This file is marked as an example, not a published schedule, "
                "so it cannot be imported as the official calendar."
            )
        )
    source = data.get("source")
    if not isinstance(source, str) or not source.strip():
        raise CalendarError(
            _("“source” must give the title or text of the published State Council notice.")
        )
    rest_days = _parse_rest_days(data.get("rest_days"), year, deadline)
    working_days = _parse_working_days(data.get("working_days", []), year, deadline)
    for day in sorted(working_days):
        if day in rest_days:
            raise CalendarError(
                _("{date} is listed both as a rest day and as a make-up working day.").format(
                    date=day.isoformat()
                )
            )
    return CalendarYear(year, rest_days, working_days, source.strip(), example)


def _entries(value: object, key: str, deadline: WorkDeadline | None) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        raise CalendarError(_("“{key}” must be a list.").format(key=key))
    for number, entry in enumerate(value, start=1):
        if deadline is not None:
            deadline.check()
        if not isinstance(entry, Mapping):
            raise CalendarError(
                _("Entry {number} of “{key}” must be an object with a name and dates.").format(
                    number=number, key=key
                )
            )
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise CalendarError(
                _("Entry {number} of “{key}” has no name.").format(number=number, key=key)
            )
    return value


def _day(entry: Mapping[str, Any], name: str, number: int, key: str, year: int) -> date:
    raw = entry.get(name)
    try:
        if not isinstance(raw, str) or len(raw) != 10:
            raise ValueError(raw)
        day = date.fromisoformat(raw)
    except ValueError as error:
        raise CalendarError(
            _("Entry {number} of “{key}”: “{value}” is not a date written YYYY-MM-DD.").format(
                number=number, key=key, value=raw if raw is not None else ""
            )
        ) from error
    if day.year != year:
        raise CalendarError(
            _("Entry {number} of “{key}”: {date} is not in {year}.").format(
                number=number, key=key, date=day.isoformat(), year=year
            )
        )
    return day


def _parse_rest_days(value: object, year: int, deadline: WorkDeadline | None) -> dict[date, str]:
    entries = _entries(value, "rest_days", deadline)
    if not entries:
        raise CalendarError(_("“rest_days” is empty; a published schedule always lists holidays."))
    days: dict[date, str] = {}
    for number, entry in enumerate(entries, start=1):
        if deadline is not None:
            deadline.check()
        if "date" in entry:
            first = last = _day(entry, "date", number, "rest_days", year)
        else:
            first = _day(entry, "from", number, "rest_days", year)
            last = _day(entry, "to", number, "rest_days", year)
        if last < first:
            raise CalendarError(
                _(
                    "Entry {number} of “rest_days”: the end {end} is before the start {start}."
                ).format(number=number, end=last.isoformat(), start=first.isoformat())
            )
        length = (last - first).days + 1
        if length > MAX_RANGE_DAYS:
            raise CalendarError(
                _(
                    "Entry {number} of “rest_days” covers {days} days; no published holiday is "
                    "longer than {limit} days, so please check the dates."
                ).format(number=number, days=length, limit=MAX_RANGE_DAYS)
            )
        for offset in range(length):
            day = first + timedelta(days=offset)
            if day in days:
                raise CalendarError(
                    _("{date} is listed twice in “rest_days”.").format(date=day.isoformat())
                )
            days[day] = entry["name"].strip()
    return days


def _parse_working_days(value: object, year: int, deadline: WorkDeadline | None) -> dict[date, str]:
    days: dict[date, str] = {}
    for number, entry in enumerate(_entries(value, "working_days", deadline), start=1):
        if deadline is not None:
            deadline.check()
        day = _day(entry, "date", number, "working_days", year)
        if day.weekday() < 5:
            raise CalendarError(
                _(
                    "Entry {number} of “working_days”: {day} is already a working day; "
                    "a make-up working day is a Saturday or Sunday."
                ).format(number=number, day=format_day(day))
            )
        if day in days:
            raise CalendarError(
                _("{date} is listed twice in “working_days”.").format(date=day.isoformat())
            )
        days[day] = entry["name"].strip()
    return days
