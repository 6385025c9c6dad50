"""What's new for the caller since their last visit (or since a given time)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from marsad.web.api.schemas import (
    DayCountOut,
    DeskOut,
    DocumentOut,
    EventOut,
    NewDocumentOut,
    NewEventOut,
    WatchedOut,
)
from marsad.web.deps import Reader, db
from marsad.web.desk import default_since, whats_new
from marsad.web.sessions import SignedIn

router = APIRouter(tags=["desk"])


@router.get("/desk", response_model=DeskOut)
def desk(
    since: datetime | None = None, signed: SignedIn = Reader, session: Session = Depends(db)
) -> DeskOut:
    """First appearances of texts naming the entities the caller's alert rules watch (with
    their members; every text when they watch none) and new events they take part in,
    threats first, since `since` (default: where the caller's last visit of the page began),
    with counts by day. Reading it here does not count as a visit."""
    start = default_since(signed.user) if since is None else since
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    news = whats_new(session, signed.user.id, start)
    return DeskOut(
        since=news.since,
        watched=[WatchedOut(id=i, name=n) for i, n in sorted(news.watched.items())],
        documents=[
            NewDocumentOut(
                document=DocumentOut.model_validate(d.document),
                source=d.source,
                quote=d.quote,
                names=list(d.names),
                copies=d.copies,
            )
            for d in news.documents
        ],
        events=[
            NewEventOut(
                event=EventOut.model_validate(e.event),
                actors=list(e.actors),
                quote=e.quote,
                document_id=e.document_id,
                source=e.source,
            )
            for e in news.events
        ],
        by_day=[DayCountOut(day=d, documents=n, events=m) for d, n, m in news.by_day],
    )
