"""PostgreSQL: only the admin group writes site settings and holiday calendars

Revision ID: 0018_admin_only_site
Revises: 0017_stats_triggers
Create Date: 2026-11-29

The permission table gives ``site.edit`` and ``calendar.import`` to admins only; the grants of
integrity_0007 still let ``complaint_desk_supervisor`` INSERT and UPDATE ``site_settings`` and
``calendar_years``, so a supervisor's own login could change them with plain SQL. The owner
moves those two grants to ``complaint_desk_admin`` (desktop/store/pg_roles.py: WRITES). Where the
group roles do not exist yet, ``complaint-desk db grant-setup`` creates them with these grants.
"""
from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

from desktop.store import pg_roles

revision: str = "0018_admin_only_site"
down_revision: str | None = "0017_stats_triggers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = "site_settings, calendar_years"


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql" or not pg_roles.groups_exist(connection):
        return
    connection.execute(text(f"REVOKE INSERT, UPDATE ON TABLE {TABLES} FROM {pg_roles.SUPERVISOR}"))
    connection.execute(text(f"GRANT INSERT, UPDATE ON TABLE {TABLES} TO {pg_roles.ADMIN}"))


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql" and pg_roles.groups_exist(connection):
        connection.execute(text(f"GRANT INSERT, UPDATE ON TABLE {TABLES} TO {pg_roles.SUPERVISOR}"))
