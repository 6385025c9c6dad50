"""What happened: events coded from text, their actors and their evidence in documents.

An Event is the aggregate of its sources: each EventSource keeps what one document said (its
date, actors, place, severity, as coded), and the event's own columns are recomputed from them
whenever a source is added, removed or corrected (marsad.events.merge).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marsad.store.models.base import Base, JSONType, utcnow

EVENT_ROLES = ("actor", "target", "participant", "victim", "recipient")
# Where an event's date came from: the text, the document's publication date (a fallback,
# one step less certain), or an analyst's correction.
DATE_SOURCES = ("text", "published", "analyst")
MODALITIES = ("asserted", "hypothetical")


class Event(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column(String(60), index=True)  # taxonomy code
    date: Mapped[str | None] = mapped_column(String(10), index=True)
    date_precision: Mapped[str | None] = mapped_column(String(8))
    date_certainty: Mapped[str | None] = mapped_column(String(8))
    date_expression: Mapped[str | None] = mapped_column(Text)
    date_calendar: Mapped[str | None] = mapped_column(String(12))
    date_source: Mapped[str | None] = mapped_column(String(12))
    place_id: Mapped[str | None] = mapped_column(ForeignKey("entities.id"))
    summary: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    severity: Mapped[str | None] = mapped_column(String(30))  # threats only
    modality: Mapped[str | None] = mapped_column(String(20))
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
    """Evidence of an event in one document; a merged event has one row per report of it.

    `coded` holds what this report says: {"type", "actors": [{"entity_id", "surface",
    "role"}], "place_id", "severity", "modality", "trigger", "confidence", "language"}."""

    __tablename__ = "event_sources"
    __table_args__ = (Index("ix_event_sources_document_stage", "document_id", "stage"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(80))
    start: Mapped[int]
    end: Mapped[int]
    date: Mapped[str | None] = mapped_column(String(10))
    date_precision: Mapped[str | None] = mapped_column(String(8))
    date_certainty: Mapped[str | None] = mapped_column(String(8))
    date_expression: Mapped[str | None] = mapped_column(Text)
    date_calendar: Mapped[str | None] = mapped_column(String(12))
    date_source: Mapped[str | None] = mapped_column(String(12))
    coded: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)


class EventCorrection(Base):
    """An analyst's correction of a coded event, keyed by the evidence it was made on
    (document and span), so it is applied again whenever the stage re-codes that span."""

    __tablename__ = "event_corrections"
    __table_args__ = (Index("ix_event_corrections_span", "document_id", "start", "end"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    start: Mapped[int]
    end: Mapped[int]
    # type | date | add_actor | remove_actor | delete
    action: Mapped[str] = mapped_column(String(20))
    value: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    made_by: Mapped[str | None] = mapped_column(String(200))
    made_at: Mapped[datetime] = mapped_column(default=utcnow)
