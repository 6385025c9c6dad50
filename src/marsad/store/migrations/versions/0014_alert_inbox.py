"""web desk: read state of alerts in the inbox, the user's last "what's new" visit

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-09

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import marsad.store.models.base

# revision identifiers, used by Alembic.
revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = marsad.store.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("alert_deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("read_at", UTC_DATETIME, nullable=True))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("desk_visited_at", UTC_DATETIME, nullable=True))
        batch_op.add_column(sa.Column("desk_since", UTC_DATETIME, nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("desk_since")
        batch_op.drop_column("desk_visited_at")
    with op.batch_alter_table("alert_deliveries", schema=None) as batch_op:
        batch_op.drop_column("read_at")
