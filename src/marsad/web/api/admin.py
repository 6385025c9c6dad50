"""Users and the audit log (admins), reports (a read-only list)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.errors import UserNotFound
from marsad.store.models import AuditLog, Report, User
from marsad.web.actions import add_user, change_user
from marsad.web.api.common import MAX_ID, DatabaseId, PagingParams, ShortText, page_of, paged
from marsad.web.api.schemas import (
    AuditOut,
    Page,
    ReportOut,
    UserCreated,
    UserIn,
    UserOut,
    UserPatch,
)
from marsad.web.deps import AuditReader, Reader, UserManager, db, web_state
from marsad.web.sessions import SignedIn

router = APIRouter()


@router.get("/users", response_model=Page[UserOut], tags=["users"])
def list_users(
    paging: PagingParams, _: SignedIn = UserManager, session: Session = Depends(db)
) -> Page[UserOut]:
    items, total = paged(session, select(User).order_by(User.username), paging)
    return page_of(UserOut, items, total, paging)  # type: ignore[no-any-return]


@router.post("/users", response_model=UserCreated, status_code=201, tags=["users"])
def create_user(
    body: UserIn, signed: SignedIn = UserManager, session: Session = Depends(db)
) -> UserCreated:
    """Create an account; without `password` one is generated and returned once."""
    user, generated = add_user(session, signed.user, body.username, body.role, body.password)
    session.commit()
    return UserCreated(user=UserOut.model_validate(user), password=generated)


@router.patch("/users/{user_id}", response_model=UserOut, tags=["users"])
def update_user(
    user_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    body: UserPatch,
    request: Request,
    signed: SignedIn = UserManager,
    session: Session = Depends(db),
) -> UserOut:
    """Change a role, or disable an account (which also ends its sessions)."""
    user = session.get(User, user_id)
    if user is None:
        raise UserNotFound(f"no user {user_id}")
    change_user(session, web_state(request).keeper, signed.user, user, body.role, body.disabled)
    session.commit()
    return UserOut.model_validate(user)


@router.get("/audit", response_model=Page[AuditOut], tags=["audit"])
def audit_log(
    paging: PagingParams,
    user_id: DatabaseId | None = None,
    action: ShortText | None = None,
    _: SignedIn = AuditReader,
    session: Session = Depends(db),
) -> Page[AuditOut]:
    query = select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc())
    if user_id is not None:
        query = query.where(AuditLog.user_id == user_id)
    if action:
        query = query.where(AuditLog.action == action)
    items, total = paged(session, query, paging)
    return page_of(AuditOut, items, total, paging)  # type: ignore[no-any-return]


@router.get("/reports", response_model=Page[ReportOut], tags=["reports"])
def list_reports(
    paging: PagingParams, _: SignedIn = Reader, session: Session = Depends(db)
) -> Page[ReportOut]:
    items, total = paged(
        session, select(Report).order_by(Report.updated_at.desc(), Report.id.desc()), paging
    )
    return page_of(ReportOut, items, total, paging)  # type: ignore[no-any-return]
