"""The analysts' side: users, audit log, alert rules and deliveries, reports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import text as sql_text

from marsad.store.models.base import Base, JSONType, utcnow

USER_ROLES = ("admin", "analyst", "viewer")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)  # argon2
    role: Mapped[str] = mapped_column(String(20), default="analyst")
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The "what's new" page: when the user last opened it, and where the window it shows
    # starts (the visit before), so reloading within one sitting shows the same news.
    desk_visited_at: Mapped[datetime | None]
    desk_since: Mapped[datetime | None]


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(80))
    target_kind: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)


class AlertRule(Base):
    __tablename__ = "alert_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # {"entity": ..., "keyword": ..., "event_type": ..., "severity": ..., "language": ...}
    conditions: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    delivery: Mapped[str] = mapped_column(String(20), default="immediate")  # | hourly | daily
    channel: Mapped[str] = mapped_column(String(20), default="webhook")  # | email
    channel_config: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the last hourly/daily digest went out (None: never), so the next one is due after.
    last_digest_at: Mapped[datetime | None]


class AlertDelivery(Base):
    __tablename__ = "alert_deliveries"
    # An alert fires once per matching item, however often the pipeline re-runs.
    __table_args__ = (UniqueConstraint("rule_id", "item_kind", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("alert_rules.id", ondelete="CASCADE"))
    item_kind: Mapped[str] = mapped_column(String(40))
    item_id: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]
    # What matched and why, frozen when the alert fired: the message is built from it, so a
    # redelivery says what the first attempt said.
    payload: Mapped[dict[str, Any]] = mapped_column(
        JSONType, default=dict, server_default=sql_text("'{}'")
    )
    # Not retried before this time (backoff after a failed attempt).
    next_attempt_at: Mapped[datetime | None]
    # When the rule's owner read it in the web inbox (None: unread).
    read_at: Mapped[datetime | None]


class Report(Base):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown with [@doc:N] citations
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


DRAFT_ITEM_KINDS = ("document", "event", "quote")


class ReportItem(Base):
    """One piece of evidence in a report drafted in the web composer: a document, an event or
    a quoted passage (of a document, or the evidence of an event), in the analyst's order and
    with the analyst's note. The report's body is built from its items."""

    __tablename__ = "report_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(20))  # document | event | quote
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    # A quote's passage: character offsets into the document's text.
    start: Mapped[int | None]
    end: Mapped[int | None]
    note: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
