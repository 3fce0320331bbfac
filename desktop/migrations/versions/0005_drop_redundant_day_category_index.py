"""drop the day/category index the statistics index now covers

Revision ID: 0005_drop_day_category_index
Revises: 7f992cd3c989
Create Date: 2026-11-23

ix_complaints_stats begins with (received_day, category), so every query the old index served
(by month and category) uses the new one; keeping both only slows every save.
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0005_drop_day_category_index"
down_revision: str | None = "7f992cd3c989"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_complaints_day_category", table_name="complaints")


def downgrade() -> None:
    op.create_index("ix_complaints_day_category", "complaints", ["received_day", "category"])
