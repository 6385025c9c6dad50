"""link affiliations: entities named by adjectives of nationality, apart from mentions

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "affiliations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.String(length=200), nullable=False),
        sa.Column("stage", sa.String(length=80), nullable=False),
        sa.Column("surface", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("head_start", sa.Integer(), nullable=True),
        sa.Column("head_end", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_affiliations_document_stage", "affiliations", ["document_id", "stage"], unique=False
    )
    op.create_index("ix_affiliations_entity_id", "affiliations", ["entity_id"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_affiliations_entity_id", table_name="affiliations")
    op.drop_index("ix_affiliations_document_stage", table_name="affiliations")
    op.drop_table("affiliations")
