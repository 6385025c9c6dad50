"""Who and what is named: entities (FtM-compatible ids), aliases, mentions, relations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marsad.store.models.base import Base, JSONType, utcnow

ENTITY_KINDS = ("person", "organization", "place", "facility", "media_outlet", "country")


class Entity(Base):
    __tablename__ = "entities"

    # FollowTheMoney-style string id (e.g. "marsad-org-nujaba" or an OpenSanctions id).
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    # [{"authority": "US State Department", "list": "FTO", "date": "2019-03-05"}, ...]
    designations: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    properties: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    aliases: Mapped[list[Alias]] = relationship(back_populates="entity", cascade="all")


class Alias(Base):
    __tablename__ = "aliases"
    __table_args__ = (UniqueConstraint("entity_id", "name", "language"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(Text)
    normalized: Mapped[str] = mapped_column(Text, index=True)
    language: Mapped[str | None] = mapped_column(String(16))
    script: Mapped[str | None] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(String(20), default="kb")  # kb | import | analyst | variant

    entity: Mapped[Entity] = relationship(back_populates="aliases")


class Mention(Base):
    __tablename__ = "mentions"
    __table_args__ = (Index("ix_mentions_document_stage", "document_id", "stage"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    entity_id: Mapped[str | None] = mapped_column(ForeignKey("entities.id"), index=True)
    stage: Mapped[str] = mapped_column(String(80))
    surface: Mapped[str] = mapped_column(Text)
    start: Mapped[int]
    end: Mapped[int]
    method: Mapped[str] = mapped_column(String(40))
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    verdict: Mapped[str | None] = mapped_column(String(20))  # analyst: confirmed | rejected
    # A name not in the KB (method "candidate", no entity): the kind it looks like.
    candidate_kind: Mapped[str | None] = mapped_column(String(40))

    entity: Mapped[Entity | None] = relationship()


class Affiliation(Base):
    """An entity named by an adjective as what a noun belongs to ("Iranian-backed militias",
    الفصائل العراقية): kept apart from mentions, so it never reads as the country named."""

    __tablename__ = "affiliations"
    __table_args__ = (Index("ix_affiliations_document_stage", "document_id", "stage"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"), index=True)
    stage: Mapped[str] = mapped_column(String(80))
    surface: Mapped[str] = mapped_column(Text)  # the adjective as written
    start: Mapped[int]
    end: Mapped[int]
    # The noun it qualifies (militias, الفصائل), when one stands beside it.
    head_start: Mapped[int | None]
    head_end: Mapped[int | None]

    entity: Mapped[Entity] = relationship()


class Relation(Base):
    __tablename__ = "relations"
    __table_args__ = (Index("ix_relations_document_stage", "document_id", "stage"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[str] = mapped_column(ForeignKey("entities.id"), index=True)
    predicate: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str] = mapped_column(ForeignKey("entities.id"), index=True)
    valid_date: Mapped[str | None] = mapped_column(String(10))
    # Relations from the KB have no document; relations read in text carry their evidence.
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    stage: Mapped[str | None] = mapped_column(String(80))
    evidence_start: Mapped[int | None]
    evidence_end: Mapped[int | None]

    subject: Mapped[Entity] = relationship(foreign_keys=[subject_id])
    object: Mapped[Entity] = relationship(foreign_keys=[object_id])


class ReviewVerdict(Base):
    """An analyst's verdict on a new name, by normalised surface and kind: it outlives the
    candidate mentions, which the link stage rewrites on every run."""

    __tablename__ = "review_verdicts"
    __table_args__ = (UniqueConstraint("key", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(400))
    kind: Mapped[str] = mapped_column(String(40))
    surface: Mapped[str] = mapped_column(Text)
    verdict: Mapped[str] = mapped_column(String(20))  # confirmed | rejected
    entity_id: Mapped[str | None] = mapped_column(ForeignKey("entities.id", ondelete="SET NULL"))
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
