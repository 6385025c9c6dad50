"""Working pages: the review queue (new names, coded events), sources, users, the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.collect.registry import installed_collectors
from marsad.collect.source_setup import captures_per_source
from marsad.errors import MarsadError
from marsad.events.corrections import correct_event, correction_value
from marsad.events.taxonomy import default_taxonomy
from marsad.store.models import AuditLog, User
from marsad.store.models.workbench import USER_ROLES
from marsad.web.actions import (
    add_user,
    confirm_name,
    create_source,
    reject_name,
    review_queue,
    set_source_enabled,
    source_or_error,
    sources_by_name,
)
from marsad.web.api.common import MAX_ID, PagingParams
from marsad.web.deps import AuditReader, Reader, Reviewer, SourceManager, UserManager, db, web_state
from marsad.web.sessions import SignedIn
from marsad.web.source_policy import web_source_kinds
from marsad.web.ui.render import render, render_error

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=400)]


def _skip(request: Request) -> frozenset[str]:
    return web_state(request).workspace.settings.normalize_skip


@router.get("/review")
def review_page(request: Request, _: SignedIn = Reader, session: Session = Depends(db)) -> Response:
    return render(
        request, "review.html", names=review_queue(session, _skip(request)).queued(limit=100)
    )


def _verdict(request: Request, surface: str, outcome: str, error: str | None = None) -> Response:
    if request.headers.get("HX-Request"):
        return render(request, "_verdict.html", surface=surface, outcome=outcome, error=error)
    return RedirectResponse("/review", status_code=303)


@router.post("/review/confirm")
def review_confirm(
    request: Request,
    surface: Text,
    kind: Text,
    name: Text = "",
    signed: SignedIn = Reviewer,
    session: Session = Depends(db),
) -> Response:
    try:
        entity_id, _created = confirm_name(
            session, _skip(request), signed.user, surface, kind, name.strip() or None, None
        )
    except MarsadError as error:
        session.rollback()
        return _verdict(request, surface, "error", str(error))
    session.commit()
    return _verdict(request, surface, f"confirmed as {entity_id}")


@router.post("/review/reject")
def review_reject(
    request: Request,
    surface: Text,
    kind: Text = "",
    signed: SignedIn = Reviewer,
    session: Session = Depends(db),
) -> Response:
    try:
        kinds = reject_name(session, _skip(request), signed.user, surface, kind or None)
    except MarsadError as error:
        session.rollback()
        return _verdict(request, surface, "error", str(error))
    session.commit()
    return _verdict(request, surface, f"rejected as {' and '.join(kinds)}")


def _sources_page(
    request: Request, session: Session, error: str | None = None, status: int = 200
) -> Response:
    counts = captures_per_source(session)
    return render(
        request,
        "sources.html",
        status_code=status,
        sources=sources_by_name(session),
        counts=counts,
        kinds=web_source_kinds(
            web_state(request).workspace.settings, sorted(installed_collectors())
        ),
        error=error,
    )


@router.get("/sources")
def sources_page(
    request: Request, _: SignedIn = Reader, session: Session = Depends(db)
) -> Response:
    return _sources_page(request, session)


@router.post("/sources")
def sources_add(
    request: Request,
    kind: Text,
    locator: Annotated[str, Form(max_length=2000)],
    name: Text,
    every: Text = "1h",
    language: Text = "",
    scope: Text = "",
    media: Text = "",
    signed: SignedIn = SourceManager,
    session: Session = Depends(db),
) -> Response:
    try:
        settings = web_state(request).workspace.settings
        create_source(
            session,
            settings,
            signed.user,
            kind,
            locator,
            name,
            every,
            language.strip() or None,
            scope,
            media == "on",
        )
    except MarsadError as error:
        session.rollback()
        return _sources_page(request, session, str(error), 422)
    session.commit()
    return RedirectResponse("/sources", status_code=303)


@router.post("/sources/{source_id}/{action}")
def sources_toggle(
    source_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    action: Annotated[str, Path(pattern="^(pause|resume)$")],
    signed: SignedIn = SourceManager,
    session: Session = Depends(db),
) -> Response:
    set_source_enabled(
        session, signed.user, source_or_error(session, source_id), action == "resume"
    )
    session.commit()
    return RedirectResponse("/sources", status_code=303)


@router.get("/audit")
def audit_page(
    request: Request,
    paging: PagingParams,
    _: SignedIn = AuditReader,
    session: Session = Depends(db),
) -> Response:
    rows = session.execute(
        select(AuditLog, User.username)
        .outerjoin(User, User.id == AuditLog.user_id)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(paging.limit)
        .offset(paging.offset)
    )
    return render(request, "audit.html", rows=list(rows), paging=paging)


@router.get("/users")
def users_page(
    request: Request,
    _: SignedIn = UserManager,
    session: Session = Depends(db),
) -> Response:
    users = list(session.scalars(select(User).order_by(User.username)))
    return render(request, "users.html", users=users, roles=USER_ROLES, created=None, error=None)


@router.post("/users")
def users_add(
    request: Request,
    username: Text,
    role: Text = "analyst",
    signed: SignedIn = UserManager,
    session: Session = Depends(db),
) -> Response:
    created, error = None, None
    try:
        user, password = add_user(session, signed.user, username, role, None)
        session.commit()
        created = (user.username, password)
    except MarsadError as failure:
        session.rollback()
        error = str(failure)
    users = list(session.scalars(select(User).order_by(User.username)))
    return render(
        request, "users.html", users=users, roles=USER_ROLES, created=created, error=error
    )


@router.post("/events/{event_id}/correct")
def event_correct(
    request: Request,
    event_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    action: Text,
    type: Text = "",
    signed: SignedIn = Reviewer,
    session: Session = Depends(db),
) -> Response:
    """Review a coded event: reject it (never coded again) or give it its right type. Kept
    across re-runs of the events stage, like `marsad events correct`, and audited."""
    if action not in ("delete", "type"):
        return render_error(request, 422, "a review either deletes the event or sets its type")
    try:
        value = correction_value(session, action, default_taxonomy(), event_type=type or None)
        correct_event(session, event_id, action, value, f"user:{signed.user.username}")
    except MarsadError as error:
        return render_error(request, 422, str(error))
    return RedirectResponse("/events", status_code=303)
