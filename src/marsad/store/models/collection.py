"""What was collected: sources, immutable captures, documents, translations, stage runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql import text as sql_text

from marsad.store.models.base import Base, JSONType, utcnow

SOURCE_KINDS = ("files", "web", "feed", "telegram", "telegram-export", "warc")


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    locator: Mapped[str] = mapped_column(Text)
    language_hint: Mapped[str | None] = mapped_column(String(16))
    schedule: Mapped[str | None] = mapped_column(String(40))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Collector state: ETag, Last-Modified, pagination cursor, ...
    state: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    last_success_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def options(self) -> dict[str, Any]:
        """How it is collected, as added (scope, media, ignore_robots)."""
        return dict((self.state or {}).get("options") or {})


class Capture(Base):
    """One observation of bytes at a URL. Immutable: never updated or deleted by the pipeline.

    A failed capture (refused, too large, unreachable) is recorded too, with `error` set and
    no blob, so the attempt itself is evidence.
    """

    __tablename__ = "captures"
    __table_args__ = (Index("ix_captures_url_sha256", "url", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    url: Mapped[str] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
    http_status: Mapped[int | None]
    headers: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)
    content_type: Mapped[str | None] = mapped_column(String(200))
    size: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    blob_key: Mapped[str | None] = mapped_column(String(200))
    warc_record_id: Mapped[str | None] = mapped_column(String(100))
    # Where the WARC record is: file name under $MARSAD_HOME/warc/ and the byte offset of its
    # gzip member, so the raw record can be re-read, verified and served.
    warc_filename: Mapped[str | None] = mapped_column(String(200))
    warc_offset: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)

    source: Mapped[Source | None] = relationship()


class Document(Base):
    """The readable unit cut from a capture (a page; later, one Telegram post of a page)."""

    __tablename__ = "documents"
    # `part` names the piece of the capture ('' for the whole of it, a post id for a channel page).
    __table_args__ = (UniqueConstraint("capture_id", "part"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    capture_id: Mapped[int] = mapped_column(ForeignKey("captures.id"), index=True)
    part: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(Text)
    canonical_url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16), index=True)
    language_confidence: Mapped[float | None] = mapped_column(Float)
    # [{"start": int, "end": int, "language": str, "confidence": float}, ...]
    language_spans: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    language_hint: Mapped[str | None] = mapped_column(String(16))
    # Partial date: ISO string cut to its precision, see ARCHITECTURE.md.
    published: Mapped[str | None] = mapped_column(String(10))
    published_precision: Mapped[str | None] = mapped_column(String(8))
    published_certainty: Mapped[str | None] = mapped_column(String(8))
    published_expression: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    cluster_id: Mapped[int | None] = mapped_column(Integer, index=True)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    # What the source says about the item beyond its text: a Telegram post's author, views,
    # forwarded_from, media and links ({} for a plain page).
    properties: Mapped[dict[str, Any]] = mapped_column(
        JSONType, default=dict, server_default=sql_text("'{}'")
    )

    capture: Mapped[Capture] = relationship()


class Translation(Base):
    __tablename__ = "translations"
    __table_args__ = (UniqueConstraint("document_id", "target_language", "backend"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    target_language: Mapped[str] = mapped_column(String(16))
    backend: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)
    # Sentence alignment: [{"source": [start, end], "target": [start, end]}, ...]
    alignment: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The language translated from, and the backend's version (model, glossary) that produced
    # the text, so a newer model's output is told apart from an older one's.
    source_language: Mapped[str | None] = mapped_column(String(16))
    backend_version: Mapped[str | None] = mapped_column(String(120))


class StageRun(Base):
    """One run of one stage on one document: the pipeline's ledger (history, never updated)."""

    __tablename__ = "stage_runs"
    __table_args__ = (Index("ix_stage_runs_document_stage", "document_id", "stage"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(80))
    version: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16))  # ok | failed
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    duration_ms: Mapped[float] = mapped_column(Float, default=0.0)
    error: Mapped[str | None] = mapped_column(Text)


class DateMention(Base):
    """A date expression read in a document, as a partial date (see ARCHITECTURE.md)."""

    __tablename__ = "date_mentions"
    __table_args__ = (Index("ix_date_mentions_document_stage", "document_id", "stage"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(80))
    start: Mapped[int]
    end: Mapped[int]
    expression: Mapped[str] = mapped_column(Text)
    value: Mapped[str] = mapped_column(String(10), index=True)
    end_value: Mapped[str | None] = mapped_column(String(10))  # ranges
    precision: Mapped[str] = mapped_column(String(8))
    certainty: Mapped[str] = mapped_column(String(8))
    calendar: Mapped[str] = mapped_column(String(12))
    relative: Mapped[bool] = mapped_column(Boolean, default=False)
