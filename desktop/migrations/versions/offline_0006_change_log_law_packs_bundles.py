"""change log, shared law packs and review bundles (issue #9 part B)

Revision ID: offline_0006
Revises: integrity_0006_chain
Create Date: 2026-11-28

change_log tells other seats what changed (SQLite polling, PostgreSQL LISTEN/NOTIFY);
law_packs holds imported statute packs for every seat; review_bundles records offline review
bundles so each is applied once.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "offline_0006"
down_revision: str | None = "integrity_0006_chain"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_log",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=True),
        sa.Column("origin", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_change_log")),
    )
    op.create_index("ix_change_log_kind_seq", "change_log", ["kind", "seq"])
    op.create_table(
        "law_packs",
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("archive", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["imported_by_id"], ["users.id"], name=op.f("fk_law_packs_imported_by_id_users")),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_law_packs")),
    )
    op.create_table(
        "review_bundles",
        sa.Column("bundle_id", sa.String(length=36), nullable=False),
        sa.Column("exported_by_id", sa.Integer(), nullable=False),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_count", sa.Integer(), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["exported_by_id"], ["users.id"],
                                name=op.f("fk_review_bundles_exported_by_id_users")),
        sa.ForeignKeyConstraint(["imported_by_id"], ["users.id"],
                                name=op.f("fk_review_bundles_imported_by_id_users")),
        sa.PrimaryKeyConstraint("bundle_id", name=op.f("pk_review_bundles")),
    )


def downgrade() -> None:
    op.drop_table("review_bundles")
    op.drop_table("law_packs")
    op.drop_index("ix_change_log_kind_seq", table_name="change_log")
    op.drop_table("change_log")
