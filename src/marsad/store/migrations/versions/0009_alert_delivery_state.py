"""alerts: frozen payload and backoff time on deliveries, last digest time on rules

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import marsad.store.models.base

# revision identifiers, used by Alembic.
revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = marsad.store.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("alert_rules", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_digest_at", UTC_DATETIME, nullable=True))
    with op.batch_alter_table("alert_deliveries", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "payload",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                server_default=sa.text("'{}'"),
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("next_attempt_at", UTC_DATETIME, nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("alert_deliveries", schema=None) as batch_op:
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("payload")
    with op.batch_alter_table("alert_rules", schema=None) as batch_op:
        batch_op.drop_column("last_digest_at")
