"""Documents and captures (with downloads of the raw bytes and the WARC record)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.store.models import Capture, Document, Mention
from marsad.web.api.common import (
    MAX_ID,
    DatabaseId,
    PagingParams,
    PartialDate,
    ShortText,
    page_of,
    paged,
)
from marsad.web.api.schemas import (
    CaptureOut,
    DocumentDetail,
    DocumentOut,
    EventRef,
    FirstSeenOut,
    MentionOut,
    Page,
    TranslationOut,
)
from marsad.web.audit import record
from marsad.web.deps import Reader, db, web_state
from marsad.web.evidence import raw_bytes, warc_record_bytes
from marsad.web.queries import NotFound, document_view
from marsad.web.sessions import SignedIn

router = APIRouter(tags=["documents"])
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/documents", response_model=Page[DocumentOut])
def list_documents(
    paging: PagingParams,
    language: ShortText | None = None,
    source_id: DatabaseId | None = None,
    entity_id: ShortText | None = None,
    published_from: PartialDate | None = None,
    published_to: PartialDate | None = None,
    _: SignedIn = Reader,
    session: Session = Depends(db),
) -> Page[DocumentOut]:
    """Documents, newest first, filtered by language, source, entity mentioned, publication date."""
    query = select(Document).order_by(Document.first_seen_at.desc(), Document.id.desc())
    if language:
        query = query.where(Document.language == language)
    if source_id is not None:
        query = query.where(
            Document.capture_id.in_(select(Capture.id).where(Capture.source_id == source_id))
        )
    if entity_id:
        query = query.where(
            Document.id.in_(select(Mention.document_id).where(Mention.entity_id == entity_id))
        )
    if published_from:
        query = query.where(Document.published >= published_from)
    if published_to:
        query = query.where(Document.published <= published_to + "~")
    items, total = paged(session, query, paging)
    return page_of(DocumentOut, items, total, paging)  # type: ignore[no-any-return]


@router.get("/documents/{document_id}", response_model=DocumentDetail)
def get_document(
    document_id: IdPath, _: SignedIn = Reader, session: Session = Depends(db)
) -> DocumentDetail:
    """A document with its text, language spans, mentions, translations, events and capture."""
    view = document_view(session, document_id)
    document = view.document
    return DocumentDetail(
        **DocumentOut.model_validate(document).model_dump(),
        text=document.text,
        language_spans=document.language_spans or [],
        properties=document.properties or {},
        capture=CaptureOut.model_validate(view.capture),
        mentions=[MentionOut.model_validate(m) for m in view.mentions],
        translations=[TranslationOut.model_validate(t) for t in view.translations],
        events=[
            EventRef(event_id=event.id, type=event.type, start=source.start, end=source.end)
            for source, event in view.event_sources
        ],
        url_first_seen=FirstSeenOut.model_validate(view.url_first_seen)
        if view.url_first_seen
        else None,
        content_first_seen=FirstSeenOut.model_validate(view.content_first_seen)
        if view.content_first_seen
        else None,
    )


@router.get("/captures", response_model=Page[CaptureOut])
def list_captures(
    paging: PagingParams,
    source_id: DatabaseId | None = None,
    failed: Annotated[bool | None, Query()] = None,
    _: SignedIn = Reader,
    session: Session = Depends(db),
) -> Page[CaptureOut]:
    query = select(Capture).order_by(Capture.fetched_at.desc(), Capture.id.desc())
    if source_id is not None:
        query = query.where(Capture.source_id == source_id)
    if failed is not None:
        query = query.where(Capture.error.is_not(None) if failed else Capture.error.is_(None))
    items, total = paged(session, query, paging)
    return page_of(CaptureOut, items, total, paging)  # type: ignore[no-any-return]


def capture_or_404(session: Session, capture_id: int) -> Capture:
    capture = session.get(Capture, capture_id)
    if capture is None:
        raise NotFound(f"no capture {capture_id}")
    return capture


@router.get("/captures/{capture_id}", response_model=CaptureOut)
def get_capture(
    capture_id: IdPath, _: SignedIn = Reader, session: Session = Depends(db)
) -> CaptureOut:
    return CaptureOut.model_validate(capture_or_404(session, capture_id))


def _attachment(data: bytes, media_type: str, filename: str) -> Response:
    # Never rendered by the browser: a captured page may hold hostile script.
    return Response(
        data,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox; default-src 'none'",
        },
    )


@router.get(
    "/captures/{capture_id}/raw",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def download_raw(
    capture_id: IdPath, request: Request, signed: SignedIn = Reader, session: Session = Depends(db)
) -> Response:
    """The captured bytes, exactly as fetched (as an attachment)."""
    capture = capture_or_404(session, capture_id)
    data = raw_bytes(web_state(request).workspace.blobs, capture)
    record(session, signed.user, "capture.download_raw", "capture", capture.id)
    session.commit()
    return _attachment(
        data, "application/octet-stream", f"capture-{capture.id}-{capture.sha256}.bin"
    )


@router.get(
    "/captures/{capture_id}/warc",
    response_class=Response,
    responses={200: {"content": {"application/warc": {}}}},
)
def download_warc(
    capture_id: IdPath, request: Request, signed: SignedIn = Reader, session: Session = Depends(db)
) -> Response:
    """The capture's WARC record as a one-record .warc.gz."""
    capture = capture_or_404(session, capture_id)
    data = warc_record_bytes(web_state(request).workspace.settings.warc_dir, capture)
    record(session, signed.user, "capture.download_warc", "capture", capture.id)
    session.commit()
    return _attachment(data, "application/warc", f"capture-{capture.id}.warc.gz")
