"""Statutory deadline clock: rules, the mainland work calendar and the engine.

No Qt and no SQL: the service layer stores imported calendar years and site
settings and passes them in.
"""

from desktop.domain.deadlines.calendar_year import (
    CalendarError,
    CalendarYear,
    parse_calendar_json,
    parse_calendar_year,
)
from desktop.domain.deadlines.engine import BEIJING, Deadline, Due, DueDates, compute_deadline, start_key, to_beijing
from desktop.domain.deadlines.rules import (
    DEFAULT_RULES,
    DeadlineRule,
    LegalBasis,
    RuleConfigError,
    RuleKind,
    build_rules,
)
from desktop.domain.deadlines.work_calendar import WorkCalendar, YearStatus

__all__ = [
    "BEIJING",
    "DEFAULT_RULES",
    "CalendarError",
    "CalendarYear",
    "Deadline",
    "DeadlineRule",
    "Due",
    "DueDates",
    "LegalBasis",
    "RuleConfigError",
    "RuleKind",
    "WorkCalendar",
    "YearStatus",
    "build_rules",
    "compute_deadline",
    "parse_calendar_json",
    "parse_calendar_year",
    "start_key",
    "to_beijing",
]
