"""The chain of custody: an append-only, hash-chained log of what happened to the evidence."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from marsad.store.models.base import Base, JSONType, utcnow


class CustodyEntry(Base):
    """One link of the custody chain. Never updated or deleted: `entry_hash` covers every field
    and the previous entry's hash, so an edited or removed row breaks the chain."""

    __tablename__ = "custody_log"

    # Assigned by the log (last seq + 1), not by the database: the chain needs no gaps.
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))  # collector | analyst:NAME | system
    action: Mapped[str] = mapped_column(String(40))  # captured | capture_failed | imported | ...
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("captures.id"), index=True)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # HMAC-SHA256 of entry_hash under the custody key, which lives outside the database: whoever
    # rewrites and re-chains rows with SHA-256 cannot make these (NULL on entries from before).
    entry_mac: Mapped[str | None] = mapped_column(String(64))
