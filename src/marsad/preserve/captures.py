"""Recording captures: the bytes go to the blob store, the facts to an immutable Capture row,
and a Document row is opened for the pipeline.

Re-capturing identical bytes at the same URL records nothing new, so re-running an ingest is
idempotent; changed bytes are a new Capture (a new observation) and a new Document.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.collect.content import RawContent
from marsad.errors import CaptureError, FetchError
from marsad.preserve.blobs import BlobStore
from marsad.store.models import Capture, Document, Source, utcnow


@dataclass(frozen=True)
class CaptureOutcome:
    capture: Capture
    document: Document | None
    is_new: bool

    @property
    def failed(self) -> bool:
        return self.capture.error is not None


def _error_text(error: CaptureError) -> str:
    return f"{error.__class__.__name__}: {error}"


class CaptureRecorder:
    def __init__(self, session: Session, blobs: BlobStore) -> None:
        self.session = session
        self.blobs = blobs

    def record(
        self, raw: RawContent, source: Source | None, language_hint: str | None = None
    ) -> CaptureOutcome:
        blob = self.blobs.put(raw.data)
        existing = self.session.scalars(
            select(Capture).where(Capture.url == raw.url, Capture.sha256 == blob.sha256).limit(1)
        ).first()
        if existing is not None:
            document = self.session.scalars(
                select(Document).where(Document.capture_id == existing.id, Document.part == "")
            ).first()
            return CaptureOutcome(existing, document, is_new=False)
        capture = Capture(
            source=source,
            url=raw.url,
            fetched_at=raw.fetched_at,
            http_status=raw.http_status,
            headers=raw.headers,
            content_type=raw.content_type,
            size=blob.size,
            sha256=blob.sha256,
            blob_key=blob.key,
        )
        document = Document(
            capture=capture,
            url=raw.url,
            first_seen_at=raw.fetched_at,
            language_hint=language_hint or (source.language_hint if source else None),
        )
        self.session.add_all([capture, document])
        self.session.flush()
        return CaptureOutcome(capture, document, is_new=True)

    def record_failure(
        self, url: str, error: CaptureError, source: Source | None
    ) -> CaptureOutcome:
        """Keep the failed attempt as evidence; an identical repeat of the last failure is not
        recorded twice."""
        message = _error_text(error)
        last = self.session.scalars(
            select(Capture).where(Capture.url == url).order_by(Capture.id.desc()).limit(1)
        ).first()
        if last is not None and last.error == message:
            return CaptureOutcome(last, None, is_new=False)
        capture = Capture(
            source=source,
            url=url,
            fetched_at=utcnow(),
            http_status=error.http_status if isinstance(error, FetchError) else None,
            error=message,
        )
        self.session.add(capture)
        self.session.flush()
        return CaptureOutcome(capture, None, is_new=True)
