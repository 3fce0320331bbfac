"""Dates and times typed by people or read from files: Beijing local time or ISO 8601 with an offset.

Every parser here bounds the year (a complaint system has no business with year 1 or 9999, and
such values overflow deadline arithmetic) and says what it expected, in the user's language.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from desktop.domain.deadlines import BEIJING
from desktop.domain.validation import FieldError
from desktop.i18n import _

MIN_YEAR = 2000
MAX_YEAR = 2099

# 2026/11/22 9:30, 2026-11-22 09:30:05, 2026.11.22 — what spreadsheets and people type.
_LOOSE = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?$"
)


def _out_of_range(field: str, value: object) -> FieldError:
    return FieldError(field, _("“{value}” lies outside the years {first}–{last}.").format(
        value=value, first=MIN_YEAR, last=MAX_YEAR))


def parse_datetime(value: Any, field: str) -> datetime:
    """A datetime, an ISO 8601 string or a loose local form; without a zone it is Beijing time."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, datetime.min.time())
    elif isinstance(value, str) and value.strip():
        parsed = _parse_text(value.strip(), field)
    else:
        raise FieldError(field, _("Enter a date and time, e.g. 2026-11-22 09:30."))
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise _out_of_range(field, value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=BEIJING)
    return parsed


def parse_date(value: Any, field: str) -> date:
    """A calendar date: ``date``, ``2026-11-22`` or ``2026/11/22``."""
    if isinstance(value, datetime):
        result = value.astimezone(BEIJING).date() if value.tzinfo else value.date()
    elif isinstance(value, date):
        result = value
    elif isinstance(value, str) and value.strip():
        match = _LOOSE.match(value.strip())
        if not match or match.group(4) is not None:
            raise FieldError(field, _("“{value}” is not a date; use e.g. 2026-11-22.").format(value=value))
        try:
            result = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            raise FieldError(field, _("“{value}” is not a date; use e.g. 2026-11-22.").format(value=value)) from None
    else:
        raise FieldError(field, _("“{value}” is not a date; use e.g. 2026-11-22.").format(value=value))
    if not MIN_YEAR <= result.year <= MAX_YEAR:
        raise _out_of_range(field, value)
    return result


def _parse_text(text: str, field: str) -> datetime:
    problem = FieldError(
        field,
        _("“{value}” is not a date and time; use e.g. 2026-11-22 09:30 or 2026-11-22T09:30:00+08:00.").format(
            value=text),
    )
    match = _LOOSE.match(text)
    try:
        if match:
            year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
            return datetime(year, month, day, hour, minute, second)
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        raise problem from None
