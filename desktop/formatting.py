"""Dates, times, numbers and money for the active language, through Babel (no Qt)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal

from desktop.domain.deadlines import BEIJING
from desktop.i18n import babel_locale


def fmt_date(value: date) -> str:
    return format_date(value, format="medium", locale=babel_locale())


def fmt_datetime(value: datetime) -> str:
    """Shown in Beijing time: the legal clock runs on it, whatever the PC's zone."""
    return format_datetime(value.astimezone(BEIJING), format="short", tzinfo=BEIJING, locale=babel_locale())


def fmt_money(amount: Decimal) -> str:
    return format_currency(amount, "CNY", locale=babel_locale())


def fmt_number(value: int | float | Decimal) -> str:
    return format_decimal(value, locale=babel_locale())
