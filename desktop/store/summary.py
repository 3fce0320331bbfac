"""The columns of a queue/history row, selected in ``ComplaintSummary`` field order."""

from __future__ import annotations

from itertools import starmap
from typing import Any

from sqlalchemy import Connection, Select, select

from desktop.services.records import ComplaintSummary
from desktop.store.models import Complaint, User

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
