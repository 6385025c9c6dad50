"""What a footnote says about a cited source: title, URL, capture time, SHA-256, language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from marsad.errors import ReportError
from marsad.report.citations import CitationKey
from marsad.store.models import Capture, Document, Event, EventSource


@dataclass(frozen=True)
class CitedSource:
    number: int
    key: CitationKey
    title: str
    url: str | None
    captured_at: datetime | None
    sha256: str | None
    language: str | None

    def captured(self) -> str:
        if self.captured_at is None:
            return "capture time unknown"
        return self.captured_at.strftime("%Y-%m-%d %H:%M UTC")

    def facts(self) -> list[str]:
        """The footnote's facts after the title, in print order."""
        return [
            f"Captured {self.captured()}",
            f"SHA-256 {self.sha256 or 'unknown'}",
            f"language {self.language or 'unknown'}",
        ]


def _document_source(number: int, key: CitationKey, document: Document) -> CitedSource:
    capture = document.capture
    return CitedSource(
        number, key, document.title or document.url, document.url, capture.fetched_at,
        capture.sha256, document.language,
    )  # fmt: skip


def _capture_source(
    number: int, key: CitationKey, session: Session, capture: Capture
) -> CitedSource:
    document = session.scalars(
        select(Document).where(Document.capture_id == capture.id).order_by(Document.id)
    ).first()
    title = (document.title if document else None) or capture.url
    language = document.language if document else None
    return CitedSource(
        number, key, title, capture.url, capture.fetched_at, capture.sha256, language
    )


def _event_source(number: int, key: CitationKey, session: Session, event: Event) -> CitedSource:
    """An event's footnote points at the first document that reports it."""
    first = session.scalars(
        select(Document)
        .join(EventSource, EventSource.document_id == Document.id)
        .where(EventSource.event_id == event.id)
        .options(selectinload(Document.capture))
        .order_by(Document.first_seen_at, Document.id)
    ).first()
    title = f"Event {event.id}: {event.type}" + (f" — {event.summary}" if event.summary else "")
    if first is None:
        return CitedSource(number, key, title, None, None, None, event.language)
    capture = first.capture
    return CitedSource(
        number, key, f"{title} (reported in: {first.title or first.url})", first.url,
        capture.fetched_at, capture.sha256, event.language or first.language,
    )  # fmt: skip


def resolve_sources(session: Session, keys: Sequence[CitationKey]) -> list[CitedSource]:
    """One source per key, numbered 1.. in the given order; keys that name nothing in the
    store are an error naming every one of them."""
    sources: list[CitedSource] = []
    unknown: list[str] = []
    for number, key in enumerate(keys, start=1):
        if key.kind == "doc":
            document = session.get(Document, key.id)
            if document is not None:
                sources.append(_document_source(number, key, document))
                continue
        elif key.kind == "capture":
            capture = session.get(Capture, key.id)
            if capture is not None:
                sources.append(_capture_source(number, key, session, capture))
                continue
        elif key.kind == "event":
            event = session.get(Event, key.id)
            if event is not None:
                sources.append(_event_source(number, key, session, event))
                continue
        unknown.append(str(key))
    if unknown:
        raise ReportError(f"the report cites what the store does not have: {', '.join(unknown)}")
    return sources
