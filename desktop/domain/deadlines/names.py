"""Display names for festivals, weekdays and dates used in deadline traces.

Festival names are keyed by a stable code so the same day can be named in
Chinese or English at display time, whichever data source (the ``holidays``
package or an admin-imported schedule) said it was a holiday.
"""

from __future__ import annotations

from datetime import date, datetime

from desktop.i18n import N_, _

# Codes of the statutory festivals of the State Council holiday rules.
FESTIVAL_NAMES: dict[str, str] = {
    "new_year": N_("New Year's Day"),
    "spring_festival": N_("Spring Festival"),
    "qingming": N_("Qingming Festival"),
    "labour_day": N_("Labour Day"),
    "dragon_boat": N_("Dragon Boat Festival"),
    "mid_autumn": N_("Mid-Autumn Festival"),
    "national_day": N_("National Day"),
}

# Words that identify a festival in free text: the Chinese names a supervisor
# types into an imported schedule and the English labels of the holidays
# package. Longer, more specific words come first ("Chinese New Year" must win
# over "New Year").
_FESTIVAL_WORDS: tuple[tuple[str, str], ...] = (
    ("除夕", "spring_festival"),
    ("春节", "spring_festival"),
    ("chinese new year", "spring_festival"),
    ("spring festival", "spring_festival"),
    ("元旦", "new_year"),
    ("new year", "new_year"),
    ("清明", "qingming"),
    ("tomb-sweeping", "qingming"),
    ("qingming", "qingming"),
    ("劳动节", "labour_day"),
    ("五一", "labour_day"),
    ("labor day", "labour_day"),
    ("labour day", "labour_day"),
    ("端午", "dragon_boat"),
    ("dragon boat", "dragon_boat"),
    ("中秋", "mid_autumn"),
    ("mid-autumn", "mid_autumn"),
    ("国庆", "national_day"),
    ("national day", "national_day"),
)

_WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)


def festival_code(text: str) -> str | None:
    """The festival code named in ``text`` (Chinese or English), or None."""
    lowered = text.lower()
    for word, code in _FESTIVAL_WORDS:
        if word in lowered:
            return code
    return None


def festival_codes(text: str) -> list[str]:
    """Every festival named in ``text``, in order of appearance of the words list."""
    lowered = text.lower()
    found: list[str] = []
    for word, code in _FESTIVAL_WORDS:
        if word in lowered and code not in found:
            found.append(code)
    return found


def festival_name(code: str) -> str:
    """Translated festival name; an unknown code (a custom name) is shown as given."""
    msgid = FESTIVAL_NAMES.get(code)
    return _(msgid) if msgid else code


def weekday_name(day: date) -> str:
    return _(_WEEKDAYS[day.weekday()])


def format_day(day: date) -> str:
    """``2025-10-08 (Wednesday)`` / ``2025-10-08（周三）``."""
    return _("{date} ({weekday})").format(date=day.isoformat(), weekday=weekday_name(day))


def format_moment(moment: datetime) -> str:
    """A Beijing-time moment to the second, e.g. ``2025-10-08 09:30:00``."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")
