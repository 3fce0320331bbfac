"""initial schema

Revision ID: 940e9c836ace
Revises:
Create Date: 2026-11-23 12:54:50.161813
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '940e9c836ace'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('number_sequences',
    sa.Column('day', sa.String(length=8), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_number_sequences'))
    )
    op.create_table('site_settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_site_settings'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('login', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('team', sa.String(length=64), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('login', name=op.f('uq_users_login'))
    )
    op.create_table('calendar_years',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_calendar_years_imported_by_id_users')),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_calendar_years'))
    )
    op.create_table('complaints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_day', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('customer_name', sa.String(length=64), nullable=False),
    sa.Column('phone', sa.String(length=24), nullable=False),
    sa.Column('contact_phone', sa.String(length=24), nullable=True),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('demand', sa.Text(), nullable=False),
    sa.Column('validity', sa.String(length=8), nullable=False),
    sa.Column('invalid_reason', sa.String(length=24), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('assigned_agent_id', sa.Integer(), nullable=True),
    sa.Column('investigation_notes', sa.Text(), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.Column('compensation', sa.BigInteger(), nullable=True),
    sa.Column('reply_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reply_method', sa.String(length=16), nullable=True),
    sa.Column('followup_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('satisfaction', sa.Integer(), nullable=True),
    sa.Column('followup_comment', sa.Text(), nullable=True),
    sa.Column('appeal_date', sa.Date(), nullable=True),
    sa.Column('appeal_reference', sa.String(length=64), nullable=True),
    sa.Column('clock_start_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reply_due_date', sa.Date(), nullable=False),
    sa.Column('reply_due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ack_due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline_rule', sa.String(length=24), nullable=False),
    sa.Column('calendar_provisional', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assigned_agent_id'], ['users.id'], name=op.f('fk_complaints_assigned_agent_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_complaints_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaints')),
    sa.UniqueConstraint('number', name=op.f('uq_complaints_number')),
    sa.UniqueConstraint('uuid', name=op.f('uq_complaints_uuid'))
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index('ix_complaints_agent_open_due', ['assigned_agent_id', 'is_open', 'reply_due_at'], unique=False)
        batch_op.create_index('ix_complaints_day_category', ['received_day', 'category'], unique=False)
        batch_op.create_index('ix_complaints_open_due', ['is_open', 'reply_due_at'], unique=False)
        batch_op.create_index('ix_complaints_phone_received', ['phone', 'received_at'], unique=False)
        batch_op.create_index('ix_complaints_provisional', ['calendar_provisional'], unique=False)
        batch_op.create_index('ix_complaints_status_due', ['status', 'reply_due_at'], unique=False)

    op.create_table('complaint_citations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('statute_key', sa.String(length=64), nullable=False),
    sa.Column('statute_title', sa.String(length=128), nullable=False),
    sa.Column('article', sa.Integer(), nullable=False),
    sa.Column('paragraph', sa.Integer(), nullable=True),
    sa.Column('item', sa.Integer(), nullable=True),
    sa.Column('pack_version', sa.String(length=32), nullable=False),
    sa.Column('version_date', sa.String(length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('grade', sa.String(length=16), nullable=False),
    sa.Column('confirmed_by_agent', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_complaint_citations_complaint_id_complaints')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_complaint_citations_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_citations')),
    sa.UniqueConstraint('complaint_id', 'statute_key', 'article', 'paragraph', 'item', name='uq_citation')
    )
    with op.batch_alter_table('complaint_citations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_citations_complaint_id'), ['complaint_id'], unique=False)

    op.create_table('complaint_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=True),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=True),
    sa.Column('changes', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_complaint_events_actor_id_users')),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_complaint_events_complaint_id_complaints')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_events'))
    )
    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_events_complaint_id'), ['complaint_id'], unique=False)

    op.create_table('complaint_links',
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('linked_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_complaint_links_complaint_id_complaints')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_complaint_links_created_by_id_users')),
    sa.ForeignKeyConstraint(['linked_id'], ['complaints.id'], name=op.f('fk_complaint_links_linked_id_complaints')),
    sa.PrimaryKeyConstraint('complaint_id', 'linked_id', name=op.f('pk_complaint_links'))
    )
    op.create_table('customer_signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('strokes', sa.Text(), nullable=False),
    sa.Column('captured_by_id', sa.Integer(), nullable=False),
    sa.Column('captured_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['captured_by_id'], ['users.id'], name=op.f('fk_customer_signatures_captured_by_id_users')),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_customer_signatures_complaint_id_complaints')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_signatures'))
    )
    with op.batch_alter_table('customer_signatures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_signatures_complaint_id'), ['complaint_id'], unique=False)

    op.create_table('letters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('signed', sa.Boolean(), nullable=False),
    sa.Column('signer', sa.String(length=200), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_letters_complaint_id_complaints')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_letters_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letters')),
    sa.UniqueConstraint('complaint_id', 'revision', name='uq_letter_revision')
    )
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letters_complaint_id'), ['complaint_id'], unique=False)

    _create_fulltext_index()


# Chinese full text on SQLite: FTS5 with the trigram tokenizer (matches any 3+ character
# substring). It is an external-content table kept in step by triggers, so the text is stored once.
_FTS_COLUMNS = "customer_name, description, demand, address"


def _create_fulltext_index() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        f"CREATE VIRTUAL TABLE complaints_fts USING fts5({_FTS_COLUMNS}, "
        "content='complaints', content_rowid='id', tokenize='trigram')"
    )
    op.execute(
        f"CREATE TRIGGER complaints_fts_ai AFTER INSERT ON complaints BEGIN "
        f"INSERT INTO complaints_fts(rowid, {_FTS_COLUMNS}) VALUES "
        "(new.id, new.customer_name, new.description, new.demand, new.address); END"
    )
    op.execute(
        f"CREATE TRIGGER complaints_fts_ad AFTER DELETE ON complaints BEGIN "
        f"INSERT INTO complaints_fts(complaints_fts, rowid, {_FTS_COLUMNS}) VALUES "
        "('delete', old.id, old.customer_name, old.description, old.demand, old.address); END"
    )
    op.execute(
        "CREATE TRIGGER complaints_fts_au AFTER UPDATE OF customer_name, description, demand, address "
        f"ON complaints BEGIN "
        f"INSERT INTO complaints_fts(complaints_fts, rowid, {_FTS_COLUMNS}) VALUES "
        "('delete', old.id, old.customer_name, old.description, old.demand, old.address); "
        f"INSERT INTO complaints_fts(rowid, {_FTS_COLUMNS}) VALUES "
        "(new.id, new.customer_name, new.description, new.demand, new.address); END"
    )


def _drop_fulltext_index() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("complaints_fts_ai", "complaints_fts_ad", "complaints_fts_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS complaints_fts")


def downgrade() -> None:
    _drop_fulltext_index()
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letters_complaint_id'))

    op.drop_table('letters')
    with op.batch_alter_table('customer_signatures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_signatures_complaint_id'))

    op.drop_table('customer_signatures')
    op.drop_table('complaint_links')
    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_events_complaint_id'))

    op.drop_table('complaint_events')
    with op.batch_alter_table('complaint_citations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_citations_complaint_id'))

    op.drop_table('complaint_citations')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_status_due')
        batch_op.drop_index('ix_complaints_provisional')
        batch_op.drop_index('ix_complaints_phone_received')
        batch_op.drop_index('ix_complaints_open_due')
        batch_op.drop_index('ix_complaints_day_category')
        batch_op.drop_index('ix_complaints_agent_open_due')

    op.drop_table('complaints')
    op.drop_table('calendar_years')
    op.drop_table('users')
    op.drop_table('site_settings')
    op.drop_table('number_sequences')
