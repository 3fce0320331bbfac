"""queue sort indexes

One index per sortable queue column, so any sort of any saved filter reads its first (or,
backwards, its last) page by walking an index instead of sorting a million rows.

Revision ID: fe1635b53db0
Revises: 0002_append_only_history
Create Date: 2026-11-23 13:07:24.602566
"""
from collections.abc import Sequence

from alembic import op


revision: str = 'fe1635b53db0'
down_revision: str | None = '0002_append_only_history'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_INDEXES = (
    ("ix_complaints_received", ["received_at"]),
    ("ix_complaints_customer", ["customer_name"]),
    ("ix_complaints_category", ["category"]),
    ("ix_complaints_status", ["status"]),
    ("ix_complaints_agent", ["assigned_agent_id"]),
    ("ix_complaints_due", ["reply_due_at"]),
)


def upgrade() -> None:
    for name, columns in _INDEXES:
        op.create_index(name, "complaints", columns, unique=False)


def downgrade() -> None:
    for name, _columns in reversed(_INDEXES):
        op.drop_index(name, table_name="complaints")
