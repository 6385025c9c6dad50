"""Referred content showing up again elsewhere: the same bytes, the same text, or a near-
duplicate (the `neardup` stage's group) captured at another URL after the referral."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.store.models import Capture, Document, ReferralCase


@dataclass(frozen=True)
class Reappearance:
    referred_url: str
    url: str
    capture_id: int
    document_id: int | None
    fetched_at: datetime
    how: str  # same bytes | same text | near-duplicate


def reappearances(session: Session, case: ReferralCase) -> list[Reappearance]:
    since = case.sent_at or case.created_at
    referred_urls = {item.url for item in case.items}
    found: dict[int, Reappearance] = {}
    for item in case.items:
        capture = session.get_one(Capture, item.capture_id)
        document = session.get(Document, item.document_id) if item.document_id else None
        same_bytes = select(Capture).where(
            Capture.sha256 == capture.sha256, Capture.error.is_(None), Capture.fetched_at > since
        )
        for other in session.scalars(same_bytes):
            if other.url not in referred_urls:
                found.setdefault(
                    other.id,
                    Reappearance(
                        item.url, other.url, other.id, None, other.fetched_at, "same bytes"
                    ),
                )
        if document is None:
            continue
        keys: list[tuple[str, Any, object]] = [
            ("same text", Document.content_hash, document.content_hash),
            ("near-duplicate", Document.cluster_id, document.cluster_id),
        ]
        for how, column, value in keys:
            if value is None:
                continue
            query = (
                select(Document, Capture)
                .join(Capture, Capture.id == Document.capture_id)
                .where(column == value, Document.id != document.id, Capture.fetched_at > since)
            )
            for other_document, other in session.execute(query):
                if other_document.url not in referred_urls and other.id not in found:
                    found[other.id] = Reappearance(
                        item.url,
                        other_document.url,
                        other.id,
                        other_document.id,
                        other.fetched_at,
                        how,
                    )
    return sorted(found.values(), key=lambda seen: (seen.fetched_at, seen.capture_id))
