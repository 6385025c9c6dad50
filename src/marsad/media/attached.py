"""The captured media of a document: its own capture when it is a medium (an ingested PDF, a
post's photo), and the media of a post captured beside it (their URLs are in the post's
`media` property), with the hash lists each is on. Alerts, referral packages and the document
page read them here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from marsad.store.models import Capture, Document, HashMatch, MediumHash

# A post lists its media once each; a bound keeps the statement small for a hostile page.
MAX_MEDIA_PER_DOCUMENT = 100


@dataclass(frozen=True)
class DocumentMedium:
    capture: Capture
    hashes: MediumHash
    matches: tuple[HashMatch, ...]


def media_urls(document: Document) -> list[str]:
    found = (document.properties or {}).get("media") or []
    urls = [url for url in found if isinstance(url, str)] if isinstance(found, list) else []
    return urls[:MAX_MEDIA_PER_DOCUMENT]


def media_of(session: Session, document: Document) -> list[DocumentMedium]:
    """The document's media that were captured, in capture order, with their matches."""
    urls = media_urls(document)
    wanted = Capture.id == document.capture_id
    if urls:
        wanted = or_(wanted, Capture.url.in_(urls))
    rows = session.execute(
        select(Capture, MediumHash)
        .join(MediumHash, MediumHash.capture_id == Capture.id)
        .where(wanted, Capture.error.is_(None))
        .order_by(Capture.id)
    ).all()
    matches = _matches_of(session, [capture.id for capture, _hashes in rows])
    return [
        DocumentMedium(capture, hashes, tuple(matches.get(capture.id, ())))
        for capture, hashes in rows
    ]


def _matches_of(session: Session, capture_ids: Sequence[int]) -> dict[int, list[HashMatch]]:
    if not capture_ids:
        return {}
    found: dict[int, list[HashMatch]] = {}
    query = (
        select(HashMatch)
        .options(joinedload(HashMatch.entry))
        .where(HashMatch.capture_id.in_(capture_ids))
        .order_by(HashMatch.id)
    )
    for match in session.scalars(query):
        found.setdefault(match.capture_id, []).append(match)
    return found


def documents_showing(session: Session, capture_ids: Sequence[int]) -> list[int]:
    """Ids of the documents whose media include these captures: each medium's own document
    and the posts that list its URL. (For re-checking alerts after a hash-list import.)"""
    if not capture_ids:
        return []
    own = set(session.scalars(select(Document.id).where(Document.capture_id.in_(capture_ids))))
    attached_to = session.scalars(
        select(Document.properties)
        .join(Capture, Capture.id == Document.capture_id)
        .where(Capture.id.in_(capture_ids))
    )
    post_urls = {str(p["attached_to"]) for p in attached_to if p and p.get("attached_to")}
    if post_urls:
        own.update(session.scalars(select(Document.id).where(Document.url.in_(post_urls))))
    return sorted(own)
