"""history hash chain and signed checkpoints

Revision ID: integrity_0006_chain
Revises: keys_0006_key_events
Create Date: 2026-11-28

Every history event gets ``chain_seq``, ``prev_hash`` and ``hash`` (desktop/store/chain.py);
existing events are chained in the order they were written (by id). ``chain_head`` names the
last entry; ``chain_checkpoints`` keeps heads signed with the site audit key (append-only).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desktop.store.chain import GENESIS_HASH, entry_hash
from desktop.store.types import UtcDateTime

revision: str = "integrity_0006_chain"
down_revision: str | None = "keys_0006_key_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 10_000
_MESSAGE = "complaint history is append-only"
_CHECKPOINT_MESSAGE = "audit checkpoints are append-only"

_events = sa.table(
    "complaint_events", sa.column("id", sa.Integer), sa.column("complaint_id", sa.Integer),
    sa.column("at", UtcDateTime), sa.column("actor_id", sa.Integer), sa.column("kind", sa.String),
    sa.column("action", sa.String), sa.column("from_status", sa.String), sa.column("to_status", sa.String),
    sa.column("changes", sa.Text), sa.column("note", sa.Text),
)
_complaints = sa.table("complaints", sa.column("id", sa.Integer), sa.column("uuid", sa.String))
_users = sa.table("users", sa.column("id", sa.Integer), sa.column("login", sa.String))


def upgrade() -> None:
    op.add_column("complaint_events", sa.Column("chain_seq", sa.BigInteger(), nullable=True))
    op.add_column("complaint_events", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("complaint_events", sa.Column("hash", sa.String(length=64), nullable=True))
    op.create_index("ix_complaint_events_chain_seq", "complaint_events", ["chain_seq"], unique=True)
    op.create_table(
        "chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chain_head")),
    )
    op.create_table(
        "chain_checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("signed_at", UtcDateTime(), nullable=False),
        sa.Column("signer", sa.String(length=64), nullable=False),
        sa.Column("certificate", sa.Text(), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chain_checkpoints")),
    )
    _append_only("chain_checkpoints", _CHECKPOINT_MESSAGE)
    seq, head = _backfill()
    op.execute(sa.text("INSERT INTO chain_head (id, seq, hash) VALUES (1, :seq, :hash)").bindparams(
        seq=seq, hash=head))


def _backfill() -> tuple[int, str]:
    """Chain the events written before this revision, oldest (lowest id) first."""
    bind = op.get_bind()
    dialect = bind.dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS complaint_events_no_update")
    elif dialect == "postgresql":
        op.execute("ALTER TABLE complaint_events DISABLE TRIGGER complaint_events_append_only")
    query = (
        sa.select(_events.c.id, _complaints.c.uuid, _events.c.at, _users.c.login, _events.c.kind,
                  _events.c.action, _events.c.from_status, _events.c.to_status, _events.c.changes, _events.c.note)
        .select_from(_events)
        .outerjoin(_complaints, _complaints.c.id == _events.c.complaint_id)
        .outerjoin(_users, _users.c.id == _events.c.actor_id)
        .order_by(_events.c.id)
        .limit(_BATCH)
    )
    update = sa.text("UPDATE complaint_events SET chain_seq = :s, prev_hash = :p, hash = :h WHERE id = :i")
    seq, prev, last_id = 0, GENESIS_HASH, 0
    while True:
        rows = bind.execute(query.where(_events.c.id > last_id)).all()
        if not rows:
            break
        params = []
        for row in rows:
            seq += 1
            digest = entry_hash("complaint_events", seq, prev, tuple(row[1:]))
            params.append({"s": seq, "p": prev, "h": digest, "i": row[0]})
            prev = digest
        bind.execute(update, params)
        last_id = rows[-1][0]
    if dialect == "sqlite":
        op.execute("CREATE TRIGGER complaint_events_no_update BEFORE UPDATE ON complaint_events "
                   f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END")
    elif dialect == "postgresql":
        op.execute("ALTER TABLE complaint_events ENABLE TRIGGER complaint_events_append_only")
    return seq, prev


def _append_only(table: str, message: str) -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{message}'); END")
    elif dialect == "postgresql":
        op.execute(f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
                   f"$$ BEGIN RAISE EXCEPTION '{message}'; END $$")
        op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS chain_checkpoints_append_only ON chain_checkpoints")
        op.execute("DROP FUNCTION IF EXISTS chain_checkpoints_append_only()")
    op.drop_table("chain_checkpoints")
    op.drop_table("chain_head")
    op.drop_index("ix_complaint_events_chain_seq", table_name="complaint_events")
    for column in ("hash", "prev_hash", "chain_seq"):
        op.drop_column("complaint_events", column)
