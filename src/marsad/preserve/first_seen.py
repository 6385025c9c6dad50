"""When did Marsad first see this URL, or these exact bytes? Answered from the captures.

Only successful captures count: a failed attempt proves we looked, not what was there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, func, literal, select, union_all
from sqlalchemy.orm import Session

from marsad.store.models import Capture


@dataclass(frozen=True)
class FirstSeen:
    at: datetime
    capture_id: int
    url: str
    captures: int  # how many successful captures share the key


def _earliest(condition: object) -> Select[datetime, int, str, int]:
    """The earliest successful capture matching `condition`, with how many match: the window
    counts every matching row before LIMIT keeps the first (one query, not two)."""
    return (
        select(Capture.fetched_at, Capture.id, Capture.url, func.count().over())
        .where(condition, Capture.error.is_(None))  # type: ignore[arg-type]
        .order_by(Capture.fetched_at, Capture.id)
        .limit(1)
    )


def _seen(found: Any) -> FirstSeen | None:
    if found is None:
        return None
    at, capture_id, url, count = found
    return FirstSeen(at=at, capture_id=capture_id, url=url, captures=int(count))


URL: BindParameter[str] = bindparam("url")
SHA256: BindParameter[str] = bindparam("sha256")
# Built once per process, with the URL and digest as bound parameters (pages ask per request).
BY_URL = _earliest(Capture.url == URL)
BY_SHA256 = _earliest(Capture.sha256 == SHA256)
# Each part wrapped: SQLite allows ORDER BY and LIMIT in a compound's parts only in subqueries.
BY_BOTH = union_all(
    *(
        select(*part.c)
        for part in (
            BY_URL.add_columns(literal("url").label("key")).subquery(),
            BY_SHA256.add_columns(literal("sha256").label("key")).subquery(),
        )
    )
)


def first_seen_url(session: Session, url: str) -> FirstSeen | None:
    return _seen(session.execute(BY_URL, {"url": url}).first())


def first_seen_sha256(session: Session, sha256: str) -> FirstSeen | None:
    return _seen(session.execute(BY_SHA256, {"sha256": sha256.lower()}).first())


def first_seen_url_and_sha256(
    session: Session, url: str, sha256: str | None
) -> tuple[FirstSeen | None, FirstSeen | None]:
    """Both answers in one statement (a page showing both pays one round trip)."""
    if not sha256:
        return first_seen_url(session, url), None
    found = session.execute(BY_BOTH, {"url": url, "sha256": sha256.lower()})
    rows = {row[-1]: row[:-1] for row in found}
    return _seen(rows.get("url")), _seen(rows.get("sha256"))
