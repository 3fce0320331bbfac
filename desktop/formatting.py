"""Dates, times, numbers and money for the active language, through Babel (no Qt)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal

from desktop.domain.deadlines import BEIJING
from desktop.i18n import _, babel_locale


def fmt_date(value: date) -> str:
    return format_date(value, format="medium", locale=babel_locale())


def fmt_datetime(value: datetime) -> str:
    """Shown in Beijing time: the legal clock runs on it, whatever the PC's zone."""
    return format_datetime(value.astimezone(BEIJING), format="short", tzinfo=BEIJING, locale=babel_locale())


def fmt_money(amount: Decimal) -> str:
    return format_currency(amount, "CNY", locale=babel_locale())


def fmt_number(value: int | float | Decimal) -> str:
    return format_decimal(value, locale=babel_locale())


def to_beijing(value: datetime) -> datetime:
    """An aware moment in Beijing time; a naive one is taken as UTC (how the store keeps them)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(BEIJING)


def fmt_beijing(value: datetime | str | None, *, seconds: bool = False) -> str:
    """“2026-06-25 20:29（北京时间）” for people (CLI text, dialogs); JSON keeps ISO 8601 with offset.
    An ISO string (e.g. a signature's time) is read first; text that is no time comes back as is."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return value
    else:
        parsed = value
    moment = to_beijing(parsed).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
    return _("{moment} (Beijing time)").format(moment=moment)
