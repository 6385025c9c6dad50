"""The captures behind what a report cites: its evidence, e.g. to package as a WACZ."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.report.citations import cited_keys
from marsad.store.models import Document, EventSource


def event_capture_ids(session: Session, event_id: int) -> list[int]:
    """Captures of the documents reporting an event, in capture order."""
    return list(
        session.scalars(
            select(Document.capture_id)
            .join(EventSource, EventSource.document_id == Document.id)
            .where(EventSource.event_id == event_id)
            .distinct()
            .order_by(Document.capture_id)
        )
    )


def cited_capture_ids(session: Session, markdown: str) -> list[int]:
    """Every capture a report's citations rest on, in order of first citation; citations of
    things the store does not have are left out (the report build names them)."""
    found: list[int] = []
    for key in cited_keys(markdown):
        if key.kind == "capture":
            ids = [key.id]
        elif key.kind == "doc":
            document = session.get(Document, key.id)
            ids = [document.capture_id] if document else []
        else:
            ids = event_capture_ids(session, key.id)
        found.extend(capture_id for capture_id in ids if capture_id not in found)
    return found
