"""translation: source language and backend version on translations, the segment cache

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import marsad.store.models.base

# revision identifiers, used by Alembic.
revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "translation_cache",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("backend", sa.String(length=60), nullable=False),
        sa.Column("backend_version", sa.String(length=120), nullable=False),
        sa.Column("target_language", sa.String(length=16), nullable=False),
        sa.Column("translated", sa.Text(), nullable=False),
        sa.Column(
            "created_at", marsad.store.models.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("translations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_language", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("backend_version", sa.String(length=120), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("translations", schema=None) as batch_op:
        batch_op.drop_column("backend_version")
        batch_op.drop_column("source_language")
    op.drop_table("translation_cache")
