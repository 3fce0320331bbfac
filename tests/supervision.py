"""Seats of a small site (two teams) and cases in a known state, shared by the supervisor-desk tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from desktop.domain.deadlines import BEIJING
from desktop.domain.workflow import Action
from desktop.services.app import AppServices
from tests.accounts import open_as

# login -> (role, display name, team)
PEOPLE = {
    "lead": ("lead1", "supervisor", "李组长", "一班"),
    "other_lead": ("lead2", "supervisor", "赵组长", "二班"),
    "wang": ("wang", "agent", "王芳", "一班"),
    "zhou": ("zhou", "agent", "周杰", "一班"),
    "sun": ("sun", "agent", "孙丽", "二班"),
}


@contextmanager
def team_seats(db_url: str, *names: str) -> Iterator[dict[str, AppServices]]:
    """Signed-in seats for ``names`` (keys of PEOPLE), closed afterwards."""
    opened = {}
    for name in names:
        login, role, display_name, team = PEOPLE[name]
        opened[name] = open_as(db_url, login, role=role, display_name=display_name, team=team)
    try:
        yield opened
    finally:
        for seat in opened.values():
            seat.close()


def closed_case(seat: AppServices, satisfaction: int = 5) -> str:
    """A complaint received today, answered, followed up with ``satisfaction`` and closed."""
    c, actor = seat.complaints, seat.actor
    number = c.create(actor, {
        "received_at": (datetime.now(BEIJING) - timedelta(hours=3)).isoformat(), "channel": "hotline",
        "category": "network", "customer_name": "李四", "phone": "13900000002", "description": "无信号",
        "demand": "修复"}).number
    for action in (Action.ACKNOWLEDGE, Action.INVESTIGATE):
        c.transition(actor, number, action)
    c.transition(actor, number, Action.REPLY, details={"resolution": "已修复基站", "reply_method": "phone"})
    c.transition(actor, number, Action.FOLLOW_UP, details={"satisfaction": satisfaction})
    c.transition(actor, number, Action.CLOSE)
    return number
