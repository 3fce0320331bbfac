"""complaint history is append-only

Revision ID: 0002_append_only_history
Revises: 940e9c836ace
Create Date: 2026-11-23

The timeline is evidence (who changed what, when): the database itself refuses to
rewrite or delete an event, whatever program connects to it.
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0002_append_only_history"
down_revision: str | None = "940e9c836ace"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MESSAGE = "complaint history is append-only"


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER complaint_events_no_{verb.lower()} BEFORE {verb} ON complaint_events "
                f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION complaint_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{_MESSAGE}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER complaint_events_append_only BEFORE UPDATE OR DELETE ON complaint_events "
            "FOR EACH ROW EXECUTE FUNCTION complaint_events_append_only()"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS complaint_events_no_{verb}")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS complaint_events_append_only ON complaint_events")
        op.execute("DROP FUNCTION IF EXISTS complaint_events_append_only()")
