"""supervisor desk: approval record on each case and quality reviews

Revision ID: supervisor_0006
Revises: offline_0006
Create Date: 2026-11-28

A supervisor's approval is kept on the case with a fingerprint of the resolution and compensation
it covered: when either changes afterwards the approval no longer counts. Quality reviews (质检)
are one row per sampled closed case, scored against the site's checklist.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desktop.store.types import UtcDateTime

revision: str = "supervisor_0006"
down_revision: str | None = "offline_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN on both backends: a batch copy of ``complaints`` on SQLite would drop the
    # triggers other revisions keep on it (the search index's, for one).
    op.add_column("complaints", sa.Column("approved_at", UtcDateTime(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE complaints ADD COLUMN approved_by_id INTEGER REFERENCES users (id)")
    else:
        op.add_column("complaints", sa.Column("approved_by_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_complaints_approved_by_id_users", "complaints", "users",
                              ["approved_by_id"], ["id"])
    op.add_column("complaints", sa.Column("approval_basis", sa.String(length=64), nullable=True))
    op.create_table(
        "qa_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("reason", sa.String(length=24), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("items", sa.Text(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("sampled_at", UtcDateTime(), nullable=False),
        sa.Column("scored_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["agent_id"], ["users.id"], name=op.f("fk_qa_reviews_agent_id_users")),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"],
                                name=op.f("fk_qa_reviews_complaint_id_complaints")),
        sa.ForeignKeyConstraint(["reviewer_id"], ["users.id"], name=op.f("fk_qa_reviews_reviewer_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qa_reviews")),
        sa.UniqueConstraint("complaint_id", name=op.f("uq_qa_reviews_complaint_id")),
    )
    op.create_index("ix_qa_reviews_month_agent", "qa_reviews", ["month", "agent_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_qa_reviews_month_agent", table_name="qa_reviews")
    op.drop_table("qa_reviews")
    if op.get_bind().dialect.name == "sqlite":
        # The table copy drops the triggers on ``complaints``: keep their text and put them back.
        triggers = op.get_bind().exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'complaints'").scalars().all()
        with op.batch_alter_table("complaints", schema=None) as batch_op:
            batch_op.drop_column("approval_basis")
            batch_op.drop_column("approved_by_id")
            batch_op.drop_column("approved_at")
        for sql in triggers:
            op.execute(sql)
        return
    op.drop_constraint("fk_complaints_approved_by_id_users", "complaints", type_="foreignkey")
    for column in ("approval_basis", "approved_by_id", "approved_at"):
        op.drop_column("complaints", column)
