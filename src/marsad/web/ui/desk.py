"""The "what's new" page: the first page after signing in."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from marsad.alert.inbox import inbox_counts
from marsad.store.models import utcnow
from marsad.web.deps import Reader, db
from marsad.web.desk import MAX_ITEMS, visit_window, whats_new
from marsad.web.sessions import SignedIn
from marsad.web.ui.render import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(_: SignedIn = Reader) -> Response:
    return RedirectResponse("/desk", status_code=303)


@router.get("/desk")
def desk_page(
    request: Request, signed: SignedIn = Reader, session: Session = Depends(db)
) -> Response:
    since = visit_window(signed.user, utcnow())
    news = whats_new(session, signed.user.id, since)
    _total, unread = inbox_counts(session, signed.user.id)
    session.commit()  # the visit, so the next one starts here
    return render(request, "desk.html", news=news, unread=unread, max_items=MAX_ITEMS)
