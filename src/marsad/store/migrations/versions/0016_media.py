"""media hashes, hash lists and their matches

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import marsad.store.models.base

# revision identifiers, used by Alembic.
revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "media_hashes",
        sa.Column("capture_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("md5", sa.String(length=32), nullable=False),
        sa.Column("pdq", sa.String(length=64), nullable=True),
        sa.Column("pdq_quality", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["capture_id"],
            ["captures.id"],
            name=op.f("fk_media_hashes_capture_id_captures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("capture_id", name=op.f("pk_media_hashes")),
    )
    with op.batch_alter_table("media_hashes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_media_hashes_md5"), ["md5"], unique=False)
        batch_op.create_index(batch_op.f("ix_media_hashes_sha256"), ["sha256"], unique=False)

    op.create_table(
        "hash_list_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_name", sa.String(length=200), nullable=False),
        sa.Column("algorithm", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column(
            "imported_at", marsad.store.models.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hash_list_entries")),
        sa.UniqueConstraint(
            "list_name",
            "algorithm",
            "value",
            name=op.f("uq_hash_list_entries_list_name_algorithm_value"),
        ),
    )
    with op.batch_alter_table("hash_list_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hash_list_entries_list_name"), ["list_name"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_hash_list_entries_value"), ["value"], unique=False)

    op.create_table(
        "hash_matches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("distance", sa.Integer(), nullable=False),
        sa.Column(
            "matched_at", marsad.store.models.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["capture_id"],
            ["captures.id"],
            name=op.f("fk_hash_matches_capture_id_captures"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["hash_list_entries.id"],
            name=op.f("fk_hash_matches_entry_id_hash_list_entries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hash_matches")),
        sa.UniqueConstraint(
            "capture_id", "entry_id", name=op.f("uq_hash_matches_capture_id_entry_id")
        ),
    )
    with op.batch_alter_table("hash_matches", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hash_matches_capture_id"), ["capture_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_hash_matches_entry_id"), ["entry_id"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("hash_matches")
    op.drop_table("hash_list_entries")
    op.drop_table("media_hashes")
