"""Referred content showing up again elsewhere: the same bytes, the same text, or a near-
duplicate (the `neardup` stage's group) captured at another URL after the referral.

Asked both ways: from a case (`reappearances`: where did its items turn up since?) and from a
new document (`referred_content_in`: does it carry something already referred? — the alert
condition `reappeared`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.store.models import Capture, Document, ReferralCase, ReferralItem


@dataclass(frozen=True)
class Sign:
    """One way two captures carry the same content, and the value it compares."""

    how: str
    column: Any
    value_of: Callable[[Capture, Document | None], object]


SIGNS = (
    Sign("same bytes", Capture.sha256, lambda capture, _document: capture.sha256),
    Sign(
        "same text", Document.content_hash, lambda _c, document: document and document.content_hash
    ),
    Sign(
        "near-duplicate", Document.cluster_id, lambda _c, document: document and document.cluster_id
    ),
)


@dataclass(frozen=True)
class Reappearance:
    referred_url: str
    url: str
    capture_id: int
    fetched_at: datetime
    how: str  # same bytes | same text | near-duplicate


@dataclass(frozen=True)
class ReferredCopy:
    case_id: int
    referred_url: str
    how: str


def reappearances(session: Session, case: ReferralCase) -> list[Reappearance]:
    """Captures at other URLs, made after the referral, that carry one of its items."""
    since = case.sent_at or case.created_at
    referred_urls = {item.url for item in case.items}
    found: dict[int, Reappearance] = {}
    for item in case.items:
        capture = session.get_one(Capture, item.capture_id)
        document = session.get(Document, item.document_id) if item.document_id else None
        for sign in SIGNS:
            value = sign.value_of(capture, document)
            if value is None:
                continue
            query = (
                select(Capture, Document)
                .outerjoin(Document, Document.capture_id == Capture.id)
                .where(sign.column == value, Capture.error.is_(None), Capture.fetched_at > since)
            )
            for other, other_document in session.execute(query):
                url = other_document.url if other_document is not None else other.url
                if url not in referred_urls and other.id not in found:
                    found[other.id] = Reappearance(
                        item.url, url, other.id, other.fetched_at, sign.how
                    )
    return sorted(found.values(), key=lambda seen: (seen.fetched_at, seen.capture_id))


def referred_content_in(session: Session, document: Document) -> list[ReferredCopy]:
    """The referral items `document` carries at another URL, referred before it was seen."""
    capture = document.capture
    found: dict[tuple[int, str], ReferredCopy] = {}
    for sign in SIGNS:
        value = sign.value_of(capture, document)
        if value is None:
            continue
        query = (
            select(ReferralItem, ReferralCase)
            .join(ReferralCase, ReferralCase.id == ReferralItem.case_id)
            .join(Capture, Capture.id == ReferralItem.capture_id)
            .outerjoin(Document, Document.id == ReferralItem.document_id)
            .where(
                sign.column == value,
                ReferralItem.url != document.url,
                ReferralCase.created_at <= capture.fetched_at,
            )
            .order_by(ReferralCase.id, ReferralItem.id)  # an alert lists them the same each time
        )
        for item, case in session.execute(query):
            found.setdefault((case.id, item.url), ReferredCopy(case.id, item.url, sign.how))
    return list(found.values())
