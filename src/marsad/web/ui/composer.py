"""The report composer: an analyst's drafts, and one draft's evidence picked from documents
and events, ordered, annotated and built into the footnoted report (HTML/PDF/DOCX/Markdown)
the CLI makes, downloaded from the page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from marsad.errors import MarsadError
from marsad.report.draft import evidence_of
from marsad.store.models import Document, Event, Report, ReportItem
from marsad.web.api.common import MAX_ID
from marsad.web.deps import Reader, ReportEditor, db
from marsad.web.drafts import (
    MEDIA_TYPES,
    ItemSpec,
    add_item,
    annotate_item,
    build_draft,
    create_draft,
    draft_of,
    drafts_of,
    item_of,
    items_of,
    move_item,
    remove_item,
    rename_draft,
)
from marsad.web.sessions import SignedIn
from marsad.web.ui.render import render

router = APIRouter(include_in_schema=False)
DraftId = Annotated[int, Path(ge=1, le=MAX_ID)]
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL
PICKED = 20  # documents and events offered to pick from
QUOTE_SHOWN = 400  # characters of a quote shown on the page


@dataclass(frozen=True)
class ShownItem:
    item: ReportItem
    document: Document | None
    event: Event | None

    @property
    def quote(self) -> str:
        if self.item.kind != "quote" or self.document is None:
            return ""
        passage = (self.document.text or "")[self.item.start or 0 : self.item.end or 0]
        return " ".join(passage.split())[:QUOTE_SHOWN]


def shown_items(session: Session, items: list[ReportItem]) -> list[ShownItem]:
    documents, events = evidence_of(session, items)
    return [
        ShownItem(item, documents.get(item.document_id or 0), events.get(item.event_id or 0))
        for item in items
    ]


def candidate_documents(session: Session, words: str) -> list[Document]:
    query = select(Document).order_by(Document.id.desc()).limit(PICKED)
    if words.strip():
        pattern = f"%{words.strip()}%"
        query = query.where(or_(Document.title.ilike(pattern), Document.url.ilike(pattern)))
    return list(session.scalars(query))


def _draft_page(
    request: Request, session: Session, report: Report, q: str = "",
    error: str | None = None, status: int = 200,
) -> Response:  # fmt: skip
    return render(
        request,
        "composer.html",
        status_code=status,
        report=report,
        items=shown_items(session, items_of(session, report)),
        q=q,
        documents=candidate_documents(session, q),
        events=list(session.scalars(select(Event).order_by(Event.id.desc()).limit(PICKED))),
        formats=list(MEDIA_TYPES),
        error=error,
    )


def _refused(
    request: Request, session: Session, signed: SignedIn, draft_id: int, error: MarsadError
) -> Response:
    """The draft as it was, with why the change was refused."""
    session.rollback()
    report = draft_of(session, signed.user, draft_id)
    return _draft_page(request, session, report, error=str(error), status=422)


@router.get("/drafts")
def drafts_page(
    request: Request, signed: SignedIn = Reader, session: Session = Depends(db)
) -> Response:
    return render(request, "drafts.html", drafts=drafts_of(session, signed.user))


@router.post("/drafts")
def new_draft(
    title: Annotated[str, Form(max_length=500, pattern=NO_NUL)],
    signed: SignedIn = ReportEditor,
    session: Session = Depends(db),
) -> Response:
    report = create_draft(session, signed.user, title)
    session.commit()
    return RedirectResponse(f"/drafts/{report.id}", status_code=303)


@router.get("/drafts/{draft_id}")
def draft_page(
    request: Request,
    draft_id: DraftId,
    q: Annotated[str, Query(max_length=200)] = "",
    signed: SignedIn = Reader,
    session: Session = Depends(db),
) -> Response:
    return _draft_page(request, session, draft_of(session, signed.user, draft_id), q)


@router.post("/drafts/{draft_id}/title")
def retitle(
    draft_id: DraftId, title: Annotated[str, Form(max_length=500, pattern=NO_NUL)],
    signed: SignedIn = ReportEditor, session: Session = Depends(db),
) -> Response:  # fmt: skip
    rename_draft(session, signed.user, draft_of(session, signed.user, draft_id), title)
    session.commit()
    return RedirectResponse(f"/drafts/{draft_id}", status_code=303)


@router.post("/drafts/{draft_id}/items")
def add(
    request: Request,
    draft_id: DraftId,
    kind: Annotated[str, Form(max_length=20)],
    document_id: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
    event_id: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
    words: Annotated[str, Form(max_length=2000, pattern=NO_NUL)] = "",
    signed: SignedIn = ReportEditor,
    session: Session = Depends(db),
) -> Response:
    report = draft_of(session, signed.user, draft_id)
    spec = ItemSpec(kind, document_id, event_id, words=words.strip() or None)
    try:
        item = add_item(session, signed.user, report, spec)
    except MarsadError as error:
        return _refused(request, session, signed, draft_id, error)
    session.commit()
    return RedirectResponse(f"/drafts/{draft_id}#item-{item.id}", status_code=303)


@router.post("/drafts/{draft_id}/items/{item_id}/note")
def annotate(
    draft_id: DraftId,
    item_id: ItemId,
    note: Annotated[str, Form(max_length=10_000, pattern=NO_NUL)] = "",
    signed: SignedIn = ReportEditor,
    session: Session = Depends(db),
) -> Response:
    report = draft_of(session, signed.user, draft_id)
    annotate_item(session, signed.user, item_of(session, report, item_id), note.strip())
    session.commit()
    return RedirectResponse(f"/drafts/{draft_id}#item-{item_id}", status_code=303)


@router.post("/drafts/{draft_id}/items/{item_id}/{action}")
def move_or_remove(
    draft_id: DraftId,
    item_id: ItemId,
    action: Annotated[str, Path(pattern="^(up|down|remove)$")],
    signed: SignedIn = ReportEditor,
    session: Session = Depends(db),
) -> Response:
    report = draft_of(session, signed.user, draft_id)
    if action == "remove":
        remove_item(session, signed.user, item_of(session, report, item_id))
    else:
        move_item(session, signed.user, report, item_id, -1 if action == "up" else 1)
    session.commit()
    return RedirectResponse(f"/drafts/{draft_id}#draft-items", status_code=303)


@router.post("/drafts/{draft_id}/build")
def build(
    request: Request,
    draft_id: DraftId,
    output_format: Annotated[str, Form(alias="format", pattern="^(html|pdf|docx|md)$")],
    signed: SignedIn = ReportEditor,
    session: Session = Depends(db),
) -> Response:
    report = draft_of(session, signed.user, draft_id)
    try:
        built = build_draft(session, signed.user, report, output_format)
    except MarsadError as error:
        return _refused(request, session, signed, draft_id, error)
    session.commit()
    return built.response()
