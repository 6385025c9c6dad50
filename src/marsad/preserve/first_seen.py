"""When did Marsad first see this URL, or these exact bytes? Answered from the captures.

Only successful captures count: a failed attempt proves we looked, not what was there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from marsad.store.models import Capture


@dataclass(frozen=True)
class FirstSeen:
    at: datetime
    capture_id: int
    url: str
    captures: int  # how many successful captures share the key


def _first(session: Session, condition: object) -> FirstSeen | None:
    succeeded = Capture.error.is_(None)
    # The window counts every matching row before LIMIT keeps the first: one query, not two.
    found = session.execute(
        select(Capture.fetched_at, Capture.id, Capture.url, func.count().over())
        .where(condition, succeeded)  # type: ignore[arg-type]
        .order_by(Capture.fetched_at, Capture.id)
        .limit(1)
    ).first()
    if found is None:
        return None
    at, capture_id, url, count = found
    return FirstSeen(at=at, capture_id=capture_id, url=url, captures=int(count))


def first_seen_url(session: Session, url: str) -> FirstSeen | None:
    return _first(session, Capture.url == url)


def first_seen_sha256(session: Session, sha256: str) -> FirstSeen | None:
    return _first(session, Capture.sha256 == sha256.lower())
