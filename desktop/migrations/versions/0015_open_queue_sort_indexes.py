"""indexes that sort the open queue without sorting every open case

Revision ID: 0015_open_queue_sorts
Revises: integrity_0007_pg_roles
Create Date: 2026-11-29

The desk opens on the open queue. Sorted by anything but the due date, SQLite's planner (with
the statistics of a real store) found the open cases through ``ix_complaints_open_due`` and then
sorted all of them: 70-90 ms with 48,000 open cases in a 195,000-case store, growing with the
open count. Walking the plain sort index instead is no better for the received date, where the
oldest cases are the closed ones. An ``(is_open, column)`` index per sortable column serves the
filter and the order together, so the first page is read straight off the index.
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0015_open_queue_sorts"
down_revision: str | None = "integrity_0007_pg_roles"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_SORT_INDEXES: dict[str, tuple[str, ...]] = {
    "ix_complaints_open_number": ("is_open", "number"),
    "ix_complaints_open_received": ("is_open", "received_at"),
    "ix_complaints_open_customer": ("is_open", "customer_name"),
    "ix_complaints_open_phone": ("is_open", "phone", "received_at"),
    "ix_complaints_open_category": ("is_open", "category"),
    "ix_complaints_open_status": ("is_open", "status"),
    "ix_complaints_open_agent": ("is_open", "assigned_agent_id"),
}


def upgrade() -> None:
    for name, columns in OPEN_SORT_INDEXES.items():
        op.create_index(name, "complaints", list(columns))


def downgrade() -> None:
    for name in OPEN_SORT_INDEXES:
        op.drop_index(name, table_name="complaints")
