"""words of cited complaints, for suggestions that learn from the site's own cases

Revision ID: 0012_law_case_terms
Revises: privacy_0006_access_log
Create Date: 2026-11-28

When an agent cites an article, the complaint's telling words are kept here (once per complaint);
a later note sharing several of them counts as a similar case, and its citations raise those
articles in the suggestions. Only counts ever leave this table.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_law_case_terms"
down_revision: str | None = "privacy_0006_access_log"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_terms",
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"],
                                name=op.f("fk_case_terms_complaint_id_complaints")),
        sa.PrimaryKeyConstraint("complaint_id", "term", name=op.f("pk_case_terms")),
    )
    op.create_index("ix_case_terms_term", "case_terms", ["term", "complaint_id"])


def downgrade() -> None:
    op.drop_index("ix_case_terms_term", table_name="case_terms")
    op.drop_table("case_terms")
