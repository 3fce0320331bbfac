"""stats covering index

Supervisor statistics aggregate every complaint received in a period. A covering index on the
receipt day holding all the columns the aggregates read lets them scan ~150 bytes per complaint
instead of each full row (description, demand, …): at a million rows a month's statistics take
0.6 s instead of 4.3 s, a year's 2.2 s instead of 15 s (SQLite).

Revision ID: 7f992cd3c989
Revises: fe1635b53db0
Create Date: 2026-11-23 13:48:00.000000
"""
from collections.abc import Sequence

from alembic import op

revision: str = '7f992cd3c989'
down_revision: str | None = 'fe1635b53db0'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Keep in step with Complaint.__table_args__ (desktop/store/models.py) and desktop/services/stats.py.
STATS_COLUMNS = ["received_day", "category", "channel", "assigned_agent_id", "is_open", "validity", "status",
                 "reply_due_at", "reply_at", "received_at", "satisfaction", "compensation", "appeal_date", "phone"]


def upgrade() -> None:
    op.create_index("ix_complaints_stats", "complaints", STATS_COLUMNS, unique=False)


def downgrade() -> None:
    op.drop_index("ix_complaints_stats", table_name="complaints")
