"""personal data access log (append-only)

Revision ID: privacy_0006_access_log
Revises: 0005_drop_day_category_index
Create Date: 2026-11-28

MIIT Order 24 art. 13 asks for a record of who handled personal information, when, where and
what: every reveal of a masked field, every export and bulk read lands here. Like the case
history, the database itself refuses to rewrite or delete an entry.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "privacy_0006_access_log"
down_revision: str | None = "0005_drop_day_category_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MESSAGE = "the personal data access log is append-only"


def upgrade() -> None:
    op.create_table(
        "personal_data_access",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"],
                                name=op.f("fk_personal_data_access_actor_id_users")),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"],
                                name=op.f("fk_personal_data_access_complaint_id_complaints")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_data_access")),
    )
    op.create_index("ix_personal_data_access_at", "personal_data_access", ["at"])
    op.create_index("ix_personal_data_access_complaint", "personal_data_access", ["complaint_id"])
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER personal_data_access_no_{verb.lower()} BEFORE {verb} ON personal_data_access "
                f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION personal_data_access_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{_MESSAGE}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER personal_data_access_append_only BEFORE UPDATE OR DELETE ON personal_data_access "
            "FOR EACH ROW EXECUTE FUNCTION personal_data_access_append_only()"
        )
        # TRUNCATE skips row triggers; refuse it too.
        op.execute(
            "CREATE TRIGGER personal_data_access_no_truncate BEFORE TRUNCATE ON personal_data_access "
            "FOR EACH STATEMENT EXECUTE FUNCTION personal_data_access_append_only()"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS personal_data_access_no_{verb}")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS personal_data_access_no_truncate ON personal_data_access")
        op.execute("DROP TRIGGER IF EXISTS personal_data_access_append_only ON personal_data_access")
        op.execute("DROP FUNCTION IF EXISTS personal_data_access_append_only()")
    op.drop_index("ix_personal_data_access_complaint", table_name="personal_data_access")
    op.drop_index("ix_personal_data_access_at", table_name="personal_data_access")
    op.drop_table("personal_data_access")
