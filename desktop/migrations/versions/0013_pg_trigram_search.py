"""trigram indexes for Chinese substring search on PostgreSQL

Revision ID: 0013_pg_trigram_search
Revises: 0012_law_case_terms
Create Date: 2026-11-28

SQLite answers the queue's text search from its FTS5 trigram table (migration 0001); PostgreSQL
had only ``ILIKE '%…%'`` over the table, 0.5–0.75 s a query at 200k rows. pg_trgm's GIN operator
class serves ``ILIKE`` for terms of three or more characters (CJK included on a UTF-8 database
whose locale classes Chinese characters as letters, as C.UTF-8 and zh_CN.UTF-8 do). One index per
searched column, so a BitmapOr over them keeps the search's exact meaning. Nothing on SQLite.
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0013_pg_trigram_search"
down_revision: str | None = "0012_law_case_terms"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEARCHED_COLUMNS = ("customer_name", "description", "demand", "address")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in SEARCHED_COLUMNS:
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_complaints_trgm_{column} ON complaints "
                   f"USING gin ({column} gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in SEARCHED_COLUMNS:
        op.execute(f"DROP INDEX IF EXISTS ix_complaints_trgm_{column}")
