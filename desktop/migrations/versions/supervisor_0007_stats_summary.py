"""per-day statistics summary kept by triggers

Revision ID: supervisor_0007
Revises: supervisor_0006
Create Date: 2026-11-28

A year of statistics at a million complaints reads ~47,000 summary rows instead of a million
complaints. The database maintains the summary itself (desktop/store/stats_summary.py), in the same
transaction as every change to a complaint; this revision fills it from the existing rows.

Measured with ``python -m desktop.services.stats_bench`` on a synthetic store of 1,000,000 complaints
received in 2025 (SQLite, this 2-core machine, shared with other work): the year's statistics 237 ms
(median of 5; a month 97 ms) instead of 4.3 s recounted from the complaints, with identical figures;
``stats recount --check`` 27 s. An earlier run of the same data measured this back-fill at 14 s once
at upgrade, and a create or a workflow step the same within noise (12.4 / 9.2 ms with the triggers,
14.2 / 10.1 ms without).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desktop.store.stats_summary import COUNTERS, OPEN_COUNTERS, recount_statements, trigger_statements

revision: str = "supervisor_0007"
down_revision: str | None = "supervisor_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _counter_columns(counters: Sequence[object]) -> list[sa.Column[object]]:
    columns = []
    for counter in counters:
        kind = sa.Float() if getattr(counter, "kind") == "float" else sa.BigInteger()
        columns.append(sa.Column(getattr(counter, "column"), kind, nullable=False, server_default="0"))
    return columns


def upgrade() -> None:
    op.create_table(
        "stats_daily",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("dim", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=24), nullable=False),
        *_counter_columns(COUNTERS),
        sa.PrimaryKeyConstraint("day", "dim", "key", name=op.f("pk_stats_daily")),
    )
    op.create_table(
        "stats_open_due",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("dim", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=24), nullable=False),
        sa.Column("due_day", sa.Date(), nullable=False),
        *_counter_columns(OPEN_COUNTERS),
        sa.PrimaryKeyConstraint("day", "dim", "key", "due_day", name=op.f("pk_stats_open_due")),
    )
    op.create_table(
        "phone_counts",
        sa.Column("phone", sa.String(length=24), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("phone", name=op.f("pk_phone_counts")),
    )
    op.create_index("ix_phone_counts_repeat", "phone_counts", ["phone"], unique=False,
                    sqlite_where=sa.text("n > 1"), postgresql_where=sa.text("n > 1"))
    dialect = op.get_bind().dialect.name
    for statement in recount_statements(dialect):
        op.execute(statement)
    for statement in trigger_statements(dialect):
        op.execute(statement)


def downgrade() -> None:
    from desktop.store.stats_summary import drop_trigger_statements

    for statement in drop_trigger_statements(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_index("ix_phone_counts_repeat", table_name="phone_counts")
    op.drop_table("phone_counts")
    op.drop_table("stats_open_due")
    op.drop_table("stats_daily")
