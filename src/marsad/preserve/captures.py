"""Recording captures: the bytes go to the blob store, the facts to an immutable Capture row,
and a Document row is opened for the pipeline.

Re-capturing identical bytes at the same URL records nothing new, so re-running an ingest is
idempotent; changed bytes are a new Capture (a new observation) and a new Document.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from marsad.collect.content import ImportedContent, RawContent
from marsad.collect.kinds import Collected
from marsad.errors import CaptureError, FetchError
from marsad.media.capture import MediaHasher
from marsad.preserve.blobs import BlobStore
from marsad.preserve.custody import CustodyLog
from marsad.preserve.posts import (
    apply_listing,
    new_feed_item_documents,
    new_post_documents,
    upgrade_feed_item,
    waiting_feed_item,
)
from marsad.preserve.seal import CustodySeal
from marsad.preserve.warc import CaptureFacts, WarcWriter
from marsad.store.models import Capture, Document, Source, clipped, utcnow

# Read for every capture: built once (assembling a statement costs more than running it).
SAME_CAPTURE = (
    select(Capture)
    .where(Capture.url == bindparam("url"), Capture.sha256 == bindparam("sha256"))
    .limit(1)
)


@dataclass(frozen=True)
class CaptureOutcome:
    capture: Capture
    document: Document | None
    is_new: bool
    posts: tuple[Document, ...] = ()  # new documents for the capture's posts
    # Documents of feed entries whose page this capture is: their stages must run again.
    upgraded: tuple[Document, ...] = ()

    @property
    def documents(self) -> tuple[Document, ...]:
        """Every new document opened for the pipeline: the whole capture's or its posts'."""
        return ((self.document,) if self.document is not None else ()) + self.posts

    @property
    def failed(self) -> bool:
        return self.capture.error is not None


def _error_text(error: CaptureError) -> str:
    return f"{error.__class__.__name__}: {error}"


class CaptureRecorder:
    """Records captures. Pass `warcs` (Workspace.warcs) so every capture also gets its WARC
    record; `actor` names who captured, for the custody log; `seal` (Workspace.custody_seal)
    anchors its entries outside the database."""

    def __init__(
        self,
        session: Session,
        blobs: BlobStore,
        warcs: WarcWriter | None = None,
        actor: str = "collector",
        seal: CustodySeal | None = None,
        media: MediaHasher | None = None,
    ) -> None:
        self.session = session
        self.media = media or MediaHasher()
        self.blobs = blobs
        self.warcs = warcs
        self.actor = actor
        self.custody = CustodyLog(session, seal)

    def record(
        self,
        raw: RawContent,
        source: Source | None,
        language_hint: str | None = None,
        whole_document: bool = True,
    ) -> CaptureOutcome:
        blob = self.blobs.put(raw.data)
        existing = self.session.scalars(
            SAME_CAPTURE, {"url": raw.url, "sha256": blob.sha256}
        ).first()
        if existing is not None:
            document = self.session.scalars(
                select(Document).where(Document.capture_id == existing.id, Document.part == "")
            ).first()
            return CaptureOutcome(existing, document, is_new=False)
        medium = self.media.hash(raw.data, raw.url)  # before the first write: may be slow
        capture = Capture(
            source=source,
            url=raw.url,
            fetched_at=raw.fetched_at,
            http_status=raw.http_status,
            headers=raw.headers,
            content_type=clipped(raw.content_type, Capture.content_type),  # whole in headers
            size=blob.size,
            sha256=blob.sha256,
            blob_key=blob.key,
        )
        self.session.add(capture)
        document = None
        if whole_document:
            document = Document(
                capture=capture,
                url=raw.url,
                first_seen_at=raw.fetched_at,
                language_hint=language_hint or (source.language_hint if source else None),
            )
            self.session.add(document)
        self.session.flush()
        self._preserve(raw, capture, source)
        if medium is not None:
            self.media.store(self.session, capture.id, medium)
        return CaptureOutcome(capture, document, is_new=True)

    def _preserve(self, raw: RawContent, capture: Capture, source: Source | None) -> None:
        """WARC record (written and fsynced before the caller commits) and custody entry."""
        action = "imported" if isinstance(raw, ImportedContent) else "captured"
        details: dict[str, str | int | None] = {
            "url": capture.url,
            "source": source.name if source else None,
        }
        if isinstance(raw, ImportedContent):
            details["imported_from"] = raw.origin
        if self.warcs is not None:
            facts = CaptureFacts(capture.id, source.name if source else None, action)
            location = self.warcs.write_capture(raw, facts)
            capture.warc_record_id = location.record_id
            capture.warc_filename = location.filename
            capture.warc_offset = location.offset
            details.update(warc_filename=location.filename, warc_offset=location.offset)
        # The entry's flush writes the WARC location with it.
        self.custody.append(action, self.actor, capture.id, capture.sha256, details)

    def record_collected(
        self, collected: Collected, source: Source | None, language_hint: str | None = None
    ) -> CaptureOutcome:
        """A capture with posts (a channel page, an export chunk) opens one document per new
        post instead of one for the whole capture; a feed, one per new entry; the page of a
        feed entry takes over the entry's document."""
        if collected.posts or collected.is_listing:
            return self._record_parts(collected, source, language_hint)
        listed = collected.listed
        waiting = None
        if listed is not None:
            waiting = waiting_feed_item(self.session, listed.item_url or collected.content.url)
        outcome = self.record(
            collected.content, source, language_hint, whole_document=waiting is None
        )
        if not outcome.is_new:
            return outcome
        if waiting is not None:
            upgrade_feed_item(waiting, outcome.capture)
            self.session.flush()
            return CaptureOutcome(outcome.capture, None, is_new=True, upgraded=(waiting,))
        if outcome.document is not None and listed is not None:
            apply_listing(outcome.document, listed)
        if outcome.document is not None and collected.attached_to is not None:
            outcome.document.properties = {"attached_to": collected.attached_to}
        if outcome.document is not None and collected.media:
            properties = dict(outcome.document.properties or {})
            outcome.document.properties = {**properties, "media": list(collected.media)}
        return outcome

    def _record_parts(
        self, collected: Collected, source: Source | None, language_hint: str | None
    ) -> CaptureOutcome:
        outcome = self.record(collected.content, source, language_hint, whole_document=False)
        if not outcome.is_new:
            return outcome
        hint = language_hint or (source.language_hint if source else None)
        seen_at = collected.content.fetched_at
        posts = new_post_documents(
            self.session, outcome.capture, collected.posts, hint, seen_at
        ) + new_feed_item_documents(self.session, outcome.capture, collected.items, hint, seen_at)
        self.session.flush()
        return CaptureOutcome(outcome.capture, None, is_new=True, posts=posts)

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
        self.custody.append(
            "capture_failed", self.actor, capture.id, None, {"url": url, "error": message}
        )
        return CaptureOutcome(capture, None, is_new=True)
