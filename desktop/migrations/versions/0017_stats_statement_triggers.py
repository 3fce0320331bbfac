"""summary triggers that touch the summary only where a change moves it

Revision ID: 0017_stats_triggers
Revises: 0015_open_queue_sorts
Create Date: 2026-11-29

The per-day summary triggers of supervisor_0007 upserted every summary table for every updated
complaint, even when the change (a note, a description, a deadline of a case without a reply) left
every figure as it was. On PostgreSQL they were row triggers, so a statement that moved many
complaints upserted the same few summary rows once per complaint; PostgreSQL keeps each version of
a row updated in the running transaction, and each later upsert walked the longer chain. A deadline
recompute over 250,000 open cases of a 1M store took 234-252 s that way.

Now: on SQLite, one row trigger per summary table and event, whose UPDATE trigger fires only when
that table's contribution of the row differs between OLD and NEW; on PostgreSQL, statement triggers
with transition tables that add up a whole statement's changes per summary row and write each such
row once, skipping those whose change sums to zero. The figures are the same (the summary tests
compare them with a recount after random changes).
"""
from collections.abc import Sequence

from alembic import op

from desktop.store.stats_summary import drop_trigger_statements, trigger_statements

revision: str = "0017_stats_triggers"
down_revision: str | None = "0015_open_queue_sorts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in drop_trigger_statements(dialect) + trigger_statements(dialect):
        op.execute(statement)


def downgrade() -> None:
    # The triggers of supervisor_0007 are no longer in the code; these keep the same figures, so
    # a downgraded store keeps them rather than losing its summary upkeep.
    pass
