"""The review queue and the watched sources."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.link.review import check_kind
from marsad.store.models import Source
from marsad.web.actions import (
    confirm_name,
    create_source,
    reject_name,
    review_queue,
    set_source_enabled,
    source_or_error,
)
from marsad.web.api.common import MAX_ID, PagingParams, ShortText, page_of, paged
from marsad.web.api.schemas import (
    ConfirmIn,
    Page,
    RejectIn,
    ReviewItemOut,
    SourceIn,
    SourceOut,
    SourcePatch,
    VerdictOut,
)
from marsad.web.deps import Reader, Reviewer, SourceManager, db, web_state
from marsad.web.sessions import SignedIn

router = APIRouter()


def _skip(request: Request) -> frozenset[str]:
    return web_state(request).workspace.settings.normalize_skip


@router.get("/review", response_model=list[ReviewItemOut], tags=["review"])
def review_list(
    request: Request,
    kind: ShortText | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    _: SignedIn = Reader,
    session: Session = Depends(db),
) -> list[ReviewItemOut]:
    """New names waiting for a verdict, the most mentioned first."""
    names = review_queue(session, _skip(request)).queued(check_kind(kind) if kind else None, limit)
    return [
        ReviewItemOut(
            key=n.key,
            kind=n.kind,
            surface=n.surface,
            count=n.count,
            languages=list(n.languages),
            example=n.example,
        )
        for n in names
    ]


@router.post("/review/confirm", response_model=VerdictOut, tags=["review"])
def review_confirm(
    body: ConfirmIn, request: Request, signed: SignedIn = Reviewer, session: Session = Depends(db)
) -> VerdictOut:
    """Add the name to the knowledge base (a new entity, or an alias of `entity_id`)."""
    entity_id, _created = confirm_name(
        session, _skip(request), signed.user, body.surface, body.kind, body.name, body.entity_id
    )
    session.commit()
    return VerdictOut(
        surface=body.surface, verdict="confirmed", kinds=[body.kind], entity_id=entity_id
    )


@router.post("/review/reject", response_model=VerdictOut, tags=["review"])
def review_reject(
    body: RejectIn, request: Request, signed: SignedIn = Reviewer, session: Session = Depends(db)
) -> VerdictOut:
    kinds = reject_name(session, _skip(request), signed.user, body.surface, body.kind)
    session.commit()
    return VerdictOut(surface=body.surface, verdict="rejected", kinds=kinds)


@router.get("/sources", response_model=Page[SourceOut], tags=["sources"])
def list_sources(
    paging: PagingParams, _: SignedIn = Reader, session: Session = Depends(db)
) -> Page[SourceOut]:
    items, total = paged(session, select(Source).order_by(Source.name), paging)
    return page_of(SourceOut, items, total, paging)  # type: ignore[no-any-return]


@router.post("/sources", response_model=SourceOut, status_code=201, tags=["sources"])
def add_source(
    body: SourceIn,
    request: Request,
    signed: SignedIn = SourceManager,
    session: Session = Depends(db),
) -> SourceOut:
    """Network sources (web, feed, telegram), or file sources inside MARSAD_WEB_IMPORT_DIR."""
    source = create_source(
        session,
        web_state(request).workspace.settings,
        signed.user,
        body.kind,
        body.locator,
        body.name,
        body.every,
        body.language,
        body.scope,
        body.media,
    )
    session.commit()
    return SourceOut.model_validate(source)


@router.patch("/sources/{source_id}", response_model=SourceOut, tags=["sources"])
def change_source(
    source_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    body: SourcePatch,
    signed: SignedIn = SourceManager,
    session: Session = Depends(db),
) -> SourceOut:
    """Pause (enabled: false) or resume a source."""
    source = source_or_error(session, source_id)
    set_source_enabled(session, signed.user, source, body.enabled)
    session.commit()
    return SourceOut.model_validate(source)
