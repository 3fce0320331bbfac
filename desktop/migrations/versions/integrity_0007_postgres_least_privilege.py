"""PostgreSQL: row-level security and least-privilege group roles

Revision ID: integrity_0007_pg_roles
Revises: 0014_chain_audit_logs
Create Date: 2026-11-28

Runs only on PostgreSQL (desktop/store/pg_roles.py). The policies are created by the owner
running the migration; the group roles and grants too when that role may create roles, else
an administrator runs ``complaint-desk db grant-setup`` once.
"""
from collections.abc import Sequence

from alembic import op

from desktop.store import pg_roles

revision: str = "integrity_0007_pg_roles"
down_revision: str | None = "0014_chain_audit_logs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    pg_roles.install_policies(connection)
    if pg_roles.can_create_roles(connection):
        pg_roles.apply_grants(connection)


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        pg_roles.remove_policies(connection)
