"""Sign-ins to the web workbench: one row per live browser session (server-side, revocable)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from marsad.store.models.base import Base, utcnow


class WebSession(Base):
    """A signed-in browser. The cookie carries a random token; only its SHA-256 is stored, so
    a copy of the database does not let anyone sign in. Signing out deletes the row."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
