"""The columns of a queue/history row, selected in ``ComplaintSummary`` field order."""

from __future__ import annotations

from datetime import date, datetime
from itertools import starmap
from typing import Any, NamedTuple

from sqlalchemy import Connection, Select, select

from desktop.store.models import Complaint, User


class ComplaintSummary(NamedTuple):
    """One queue / history row (a named tuple: pages of them are built from SQL rows in C)."""

    id: int
    number: str
    received_at: datetime
    customer_name: str
    phone: str
    category: str
    channel: str
    status: str
    agent_name: str | None
    reply_due_date: date
    reply_due_at: datetime
    calendar_provisional: bool
    description: str = ""


SUMMARY_COLUMNS = (
    Complaint.id, Complaint.number, Complaint.received_at, Complaint.customer_name, Complaint.phone,
    Complaint.category, Complaint.channel, Complaint.status, User.display_name, Complaint.reply_due_date,
    Complaint.reply_due_at, Complaint.calendar_provisional,
)


def summary_select(*, with_description: bool = False) -> Select[Any]:
    columns = (*SUMMARY_COLUMNS, Complaint.description) if with_description else SUMMARY_COLUMNS
    return select(*columns).outerjoin(User, User.id == Complaint.assigned_agent_id)


def fetch_summaries(connection: Connection, statement: Select[Any]) -> list[ComplaintSummary]:
    """Rows become named tuples in C; no per-field Python code on pages of thousands."""
    return list(starmap(ComplaintSummary, connection.execute(statement).all()))
