"""media keyframes: the PDQ hash of each keyframe of a captured video

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "media_keyframes",
        sa.Column("capture_id", sa.Integer(), nullable=False),
        sa.Column("frame_index", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.Column("pdq", sa.String(length=64), nullable=False),
        sa.Column("pdq_quality", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["capture_id"],
            ["captures.id"],
            name=op.f("fk_media_keyframes_capture_id_captures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("capture_id", "frame_index", name=op.f("pk_media_keyframes")),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("media_keyframes")
