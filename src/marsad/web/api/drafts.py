"""Report drafts (the composer): documents, events and quotes picked into a report, ordered
and annotated, and built into the footnoted report the CLI makes (`marsad report build`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from fastapi.responses import Response
from sqlalchemy.orm import Session

from marsad.report.draft import draft_markdown
from marsad.store.models import Report
from marsad.web.api.common import MAX_ID, PagingParams, page_of, paged
from marsad.web.api.schemas import (
    DraftIn,
    DraftItemIn,
    DraftItemOut,
    DraftItemPatch,
    DraftOrderIn,
    DraftOut,
    Page,
    ReportOut,
)
from marsad.web.deps import Reader, ReportEditor, db
from marsad.web.drafts import (
    MEDIA_TYPES,
    ItemSpec,
    add_item,
    annotate_item,
    build_draft,
    create_draft,
    draft_of,
    drafts_query,
    item_of,
    items_of,
    remove_item,
    rename_draft,
    reorder,
)
from marsad.web.sessions import SignedIn

router = APIRouter(tags=["reports"])
DraftId = Annotated[int, Path(ge=1, le=MAX_ID)]
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]


def draft_out(session: Session, report: Report) -> DraftOut:
    items = items_of(session, report)
    return DraftOut(
        **ReportOut.model_validate(report).model_dump(),
        items=[DraftItemOut.model_validate(item) for item in items],
        markdown=draft_markdown(session, report, items),
    )


@router.get("/drafts", response_model=Page[ReportOut])
def list_drafts(
    paging: PagingParams, signed: SignedIn = Reader, session: Session = Depends(db)
) -> Page[ReportOut]:
    """The caller's report drafts, last changed first."""
    items, total = paged(session, drafts_query(signed.user), paging)
    return page_of(ReportOut, items, total, paging)  # type: ignore[no-any-return]


@router.post("/drafts", response_model=DraftOut, status_code=201)
def new_draft(
    body: DraftIn, signed: SignedIn = ReportEditor, session: Session = Depends(db)
) -> DraftOut:
    """Start an empty draft owned by the caller."""
    report = create_draft(session, signed.user, body.title)
    session.commit()
    return draft_out(session, report)


@router.get("/drafts/{draft_id}", response_model=DraftOut)
def get_draft(
    draft_id: DraftId, signed: SignedIn = Reader, session: Session = Depends(db)
) -> DraftOut:
    """One of the caller's drafts (any, for an admin): its items in order and its Markdown."""
    return draft_out(session, draft_of(session, signed.user, draft_id))


@router.patch("/drafts/{draft_id}", response_model=DraftOut)
def rename(
    draft_id: DraftId, body: DraftIn, signed: SignedIn = ReportEditor,
    session: Session = Depends(db),
) -> DraftOut:  # fmt: skip
    """Retitle the draft."""
    report = draft_of(session, signed.user, draft_id)
    rename_draft(session, signed.user, report, body.title)
    session.commit()
    return draft_out(session, report)


@router.post("/drafts/{draft_id}/items", response_model=DraftOut, status_code=201)
def add(
    draft_id: DraftId, body: DraftItemIn, signed: SignedIn = ReportEditor,
    session: Session = Depends(db),
) -> DraftOut:  # fmt: skip
    """Add a document, an event or a quote at the end of the draft."""
    report = draft_of(session, signed.user, draft_id)
    add_item(session, signed.user, report, ItemSpec(**body.model_dump()))
    session.commit()
    return draft_out(session, report)


@router.patch("/drafts/{draft_id}/items/{item_id}", response_model=DraftOut)
def annotate(
    draft_id: DraftId, item_id: ItemId, body: DraftItemPatch, signed: SignedIn = ReportEditor,
    session: Session = Depends(db),
) -> DraftOut:  # fmt: skip
    """Set the analyst's note printed above the item."""
    report = draft_of(session, signed.user, draft_id)
    annotate_item(session, signed.user, item_of(session, report, item_id), body.note)
    session.commit()
    return draft_out(session, report)


@router.delete("/drafts/{draft_id}/items/{item_id}", response_model=DraftOut)
def remove(
    draft_id: DraftId, item_id: ItemId, signed: SignedIn = ReportEditor,
    session: Session = Depends(db),
) -> DraftOut:  # fmt: skip
    """Take the item out of the draft."""
    report = draft_of(session, signed.user, draft_id)
    remove_item(session, signed.user, item_of(session, report, item_id))
    session.commit()
    return draft_out(session, report)


@router.put("/drafts/{draft_id}/order", response_model=DraftOut)
def order(
    draft_id: DraftId, body: DraftOrderIn, signed: SignedIn = ReportEditor,
    session: Session = Depends(db),
) -> DraftOut:  # fmt: skip
    """Put the items in this order (every item id once)."""
    report = draft_of(session, signed.user, draft_id)
    reorder(session, signed.user, report, body.item_ids)
    session.commit()
    return draft_out(session, report)


@router.post(
    "/drafts/{draft_id}/build/{output_format}",
    response_class=Response,
    responses={200: {"content": {media: {} for media in MEDIA_TYPES.values()},
                     "description": "The footnoted report, as an attachment."}},
)  # fmt: skip
def build(
    draft_id: DraftId,
    output_format: Annotated[str, Path(pattern="^(html|pdf|docx|md)$")],
    signed: SignedIn = ReportEditor,
    session: Session = Depends(db),
) -> Response:
    """Build the draft as `marsad report build` does (numbered footnotes citing the archived
    captures) and download it; the build is audited with its SHA-256."""
    report = draft_of(session, signed.user, draft_id)
    built = build_draft(session, signed.user, report, output_format)
    session.commit()
    return built.response()
