"""How urgent a case is, for the queue and the case header (shown by colour AND icon/text)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from desktop.domain.deadlines import BEIJING
from desktop.i18n import N_, _, ngettext

DUE_SOON_DAYS = 3


class DeadlineState(StrEnum):
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    DONE = "done"  # no reply owed any more


_LABELS = {
    DeadlineState.ON_TIME: N_("On time"),
    DeadlineState.DUE_SOON: N_("Due soon"),
    DeadlineState.DUE_TODAY: N_("Due today"),
    DeadlineState.OVERDUE: N_("Overdue"),
    DeadlineState.DONE: N_("Done"),
}


def deadline_state(due_date: date, due_at: datetime, now: datetime, *, is_open: bool = True) -> DeadlineState:
    if not is_open:
        return DeadlineState.DONE
    if now >= due_at:
        return DeadlineState.OVERDUE
    today = now.astimezone(BEIJING).date()
    if due_date <= today:
        return DeadlineState.DUE_TODAY
    if (due_date - today).days <= DUE_SOON_DAYS:
        return DeadlineState.DUE_SOON
    return DeadlineState.ON_TIME


def state_label(state: DeadlineState) -> str:
    return _(_LABELS[state])


def time_left_text(due_at: datetime, now: datetime) -> str:
    """“还剩 3 天 4 小时” / “已超期 2 天”: what an agent reads at a glance."""
    seconds = int((due_at - now).total_seconds())
    overdue = seconds <= 0
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours = rest // 3600
    if days:
        span = ngettext("{days} day {hours} h", "{days} days {hours} h", days).format(days=days, hours=hours)
    else:
        minutes = (rest % 3600) // 60
        span = _("{hours} h {minutes} min").format(hours=hours, minutes=minutes)
    return (_("overdue by {span}") if overdue else _("{span} left")).format(span=span)
