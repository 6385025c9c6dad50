"""events stage: per-source coded details and dates, event date source and modality,
analyst corrections

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import marsad.store.models.base

# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "event_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("value", JSON, nullable=False),
        sa.Column("made_by", sa.String(length=200), nullable=True),
        sa.Column("made_at", marsad.store.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("event_corrections", schema=None) as batch_op:
        batch_op.create_index(
            "ix_event_corrections_span", ["document_id", "start", "end"], unique=False
        )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("date_source", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("modality", sa.String(length=20), nullable=True))
    with op.batch_alter_table("event_sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("date", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("date_precision", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("date_certainty", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("date_expression", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("date_calendar", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("date_source", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("coded", JSON, nullable=False, server_default="{}"))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("event_sources", schema=None) as batch_op:
        for column in (
            "coded",
            "date_source",
            "date_calendar",
            "date_expression",
            "date_certainty",
            "date_precision",
            "date",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("modality")
        batch_op.drop_column("date_source")
    with op.batch_alter_table("event_corrections", schema=None) as batch_op:
        batch_op.drop_index("ix_event_corrections_span")
    op.drop_table("event_corrections")
