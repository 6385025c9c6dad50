"""What happened: events coded from text, their actors and their evidence in documents."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marsad.store.models.base import Base, utcnow

EVENT_ROLES = ("actor", "target", "participant", "victim", "recipient")


class Event(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column(String(60), index=True)  # taxonomy code
    date: Mapped[str | None] = mapped_column(String(10), index=True)
    date_precision: Mapped[str | None] = mapped_column(String(8))
    date_certainty: Mapped[str | None] = mapped_column(String(8))
    date_expression: Mapped[str | None] = mapped_column(Text)
    date_calendar: Mapped[str | None] = mapped_column(String(12))
    place_id: Mapped[str | None] = mapped_column(ForeignKey("entities.id"))
    summary: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    severity: Mapped[str | None] = mapped_column(String(30))  # threats only
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actors: Mapped[list[EventActor]] = relationship(cascade="all, delete-orphan")
    sources: Mapped[list[EventSource]] = relationship(cascade="all, delete-orphan")


class EventActor(Base):
    __tablename__ = "event_actors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    entity_id: Mapped[str | None] = mapped_column(ForeignKey("entities.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    # Unlinked actors ("US forces in Iraq") keep the words of the text.
    surface: Mapped[str | None] = mapped_column(Text)


class EventSource(Base):
    """Evidence of an event in one document; a merged event has one row per reporting document."""

    __tablename__ = "event_sources"
    __table_args__ = (Index("ix_event_sources_document_stage", "document_id", "stage"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(80))
    start: Mapped[int]
    end: Mapped[int]
