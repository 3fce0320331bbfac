"""key_events: the audit of key, trust and law-pack changes (not tied to a complaint)

Revision ID: keys_0006_key_events
Revises: identity_0006_accounts
Create Date: 2026-11-28
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "keys_0006_key_events"
down_revision: str | None = "identity_0006_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "key_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_key_events_actor_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_events")),
    )


def downgrade() -> None:
    op.drop_table("key_events")
