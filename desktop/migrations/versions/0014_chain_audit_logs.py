"""the audit log, the personal-data access log and the key log join the history hash chain

Revision ID: 0014_chain_audit_logs
Revises: supervisor_0007
Create Date: 2026-11-29

Each gets ``chain_seq``/``prev_hash``/``hash`` like ``complaint_events`` (desktop/store/chain.py),
so editing, removing, inserting or reordering any of their rows breaks the chain and
``audit verify`` says where. The audit and key logs also become append-only in the database
(the access log already was). No rows are backfilled: the three tables are created by revisions
of the same release, before any store could hold rows in them.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_chain_audit_logs"
down_revision: str | None = "supervisor_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("audit_events", "personal_data_access", "key_events")
NEWLY_APPEND_ONLY = ("audit_events", "key_events")
_MESSAGE = "this log is append-only"


def upgrade() -> None:
    for table in TABLES:  # plain ADD COLUMN (no batch copy on SQLite): the tables keep their triggers
        op.add_column(table, sa.Column("chain_seq", sa.BigInteger(), nullable=True))
        op.add_column(table, sa.Column("prev_hash", sa.String(length=64), nullable=True))
        op.add_column(table, sa.Column("hash", sa.String(length=64), nullable=True))
        op.create_index(f"ix_{table}_chain_seq", table, ["chain_seq"], unique=True)
    dialect = op.get_bind().dialect.name
    for table in NEWLY_APPEND_ONLY:
        if dialect == "sqlite":
            for verb in ("UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                           f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END")
        elif dialect == "postgresql":
            op.execute(f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
                       f"$$ BEGIN RAISE EXCEPTION '{_MESSAGE}'; END $$")
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()")
            op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                       f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in NEWLY_APPEND_ONLY:
        if dialect == "sqlite":
            for verb in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
        elif dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")
    for table in TABLES:
        op.drop_index(f"ix_{table}_chain_seq", table_name=table)
        for column in ("hash", "prev_hash", "chain_seq"):
            op.drop_column(table, column)
