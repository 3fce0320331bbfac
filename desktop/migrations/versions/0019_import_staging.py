"""import journal and staging: large imports commit in short batches, all or nothing

Revision ID: 0019_import_staging
Revises: 0018_admin_only_site
Create Date: 2026-11-29

A 100,000-row import used to commit in one transaction and hold SQLite's write lock for ~25 s,
so every other seat's save waited or failed. Now the checked rows are staged in ``import_staging``
in short transactions and then published into ``complaints`` in short batches; ``imports`` is
the journal that says how far an import got, so a crash while staging is discarded and a crash
while publishing is rolled forward (desktop/services/transfer.py).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desktop.store import pg_roles

revision: str = "0019_import_staging"
down_revision: str | None = "0018_admin_only_site"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("published", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_imports_actor_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imports")),
    )
    op.create_index(op.f("ix_imports_state"), "imports", ["state"])
    op.create_table(
        "import_staging",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=24), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], name=op.f("fk_import_staging_import_id_imports")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_staging")),
        sa.UniqueConstraint("number", name=op.f("uq_import_staging_number")),
    )
    op.create_index("ix_import_staging_import_position", "import_staging", ["import_id", "position"], unique=True)
    connection = op.get_bind()
    # Least privilege (integrity_0007): every table is granted explicitly, the new ones included.
    if connection.dialect.name == "postgresql" and pg_roles.can_create_roles(connection):
        pg_roles.apply_grants(connection)


def downgrade() -> None:
    op.drop_index("ix_import_staging_import_position", table_name="import_staging")
    op.drop_table("import_staging")
    op.drop_index(op.f("ix_imports_state"), table_name="imports")
    op.drop_table("imports")
