"""Referrals: captured content flagged to a platform, and the watch on whether it stays up."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marsad.store.models.base import Base, JSONType, utcnow

REFERRAL_STATUSES = (
    "draft",
    "sent",
    "acknowledged",
    "removed",
    "partially_removed",
    "still_online",
    "rejected",
)
LIVENESS_STATES = ("online", "removed", "changed", "unreachable")


class ReferralCase(Base):
    __tablename__ = "referral_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(40), index=True)  # key in data/referrals.yaml
    reason: Mapped[str] = mapped_column(String(60))  # policy key in data/referrals.yaml
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    created_by: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the referral went to the platform: removal time counts from here.
    sent_at: Mapped[datetime | None]
    # {"channel": "email"|"webhook"|"manual", "to": ..., "package_sha256": ...} per delivery
    deliveries: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)

    items: Mapped[list[ReferralItem]] = relationship(
        cascade="all, delete-orphan", order_by="ReferralItem.id"
    )


class ReferralItem(Base):
    """One referred URL, with the capture that is its evidence."""

    __tablename__ = "referral_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("referral_cases.id", ondelete="CASCADE"), index=True
    )
    capture_id: Mapped[int] = mapped_column(ForeignKey("captures.id"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    url: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default="online")  # latest liveness state
    removed_at: Mapped[datetime | None]  # the first check that found it removed
    last_checked_at: Mapped[datetime | None]


class LivenessCheck(Base):
    __tablename__ = "liveness_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("referral_items.id", ondelete="CASCADE"), index=True
    )
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[str] = mapped_column(String(20))
    http_status: Mapped[int | None]
    final_url: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="")
