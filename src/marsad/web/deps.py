"""FastAPI dependencies shared by the API and the pages: the unit of work, the signed-in
user, permission checks and CSRF checks."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from functools import partial
from typing import Any

from anyio import CancelScope
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from marsad.text.normalize import Normalizer, default_normalizer
from marsad.web.accounts import may
from marsad.web.audit import attribute_audit_rows
from marsad.web.sessions import SESSION_COOKIE, SessionKeeper, SignedIn, same_token
from marsad.workspace import Workspace

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"


class NotSignedIn(Exception):
    """No valid session: the API answers 401, pages redirect to the sign-in form."""


class Forbidden(Exception):
    """Signed in, but the role lacks the permission (or the CSRF token is wrong): 403."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    role: str


@dataclass(frozen=True)
class WebState:
    workspace: Workspace
    keeper: SessionKeeper
    cookie_secure: bool

    @property
    def normalizer(self) -> Normalizer:
        return default_normalizer(self.workspace.settings.normalize_skip)


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


async def db(request: Request) -> AsyncIterator[Session]:
    """The request's unit of work. Opened here on the event loop, since opening does no I/O,
    and ended in the threadpool: as a plain generator it cost a thread hop at each end, about
    0.1 ms of server CPU apiece on every signed-in page."""
    database = web_state(request).workspace.database
    session = database.begin_session()
    try:
        yield session
    except BaseException:
        # Shielded: a request cancelled (the client gone) still rolls back and frees its
        # connection instead of leaving the session to the garbage collector.
        with CancelScope(shield=True):
            await run_in_threadpool(partial(database.end_session, session, commit=False))
        raise
    await run_in_threadpool(partial(database.end_session, session, commit=True))


def current_user(request: Request, session: Session = Depends(db)) -> SignedIn | None:
    signed = web_state(request).keeper.find(session, request.cookies.get(SESSION_COOKIE))
    if signed is not None:
        attribute_audit_rows(session, signed.user)
        # Plain values for the page header: error pages render after the unit of work ended.
        request.state.account = Account(signed.user.id, signed.user.username, signed.user.role)
        request.state.csrf_token = signed.csrf_token
    return signed


async def _csrf_token_of(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


def require(permission: str) -> Callable[..., Coroutine[Any, Any, SignedIn]]:
    """A dependency: the signed-in user, who must have `permission`; on POST, PUT, PATCH and
    DELETE the request must also carry the session's CSRF token (header or form field)."""

    async def dependency(
        request: Request, signed: SignedIn | None = Depends(current_user)
    ) -> SignedIn:
        if signed is None:
            raise NotSignedIn()
        if request.method in UNSAFE_METHODS and not same_token(
            await _csrf_token_of(request), signed.csrf_token
        ):
            raise Forbidden("missing or wrong CSRF token")
        if not may(signed.user.role, permission):
            raise Forbidden(f"the {signed.user.role} role may not do this ({permission})")
        return signed

    dependency.__name__ = f"require_{permission.replace('.', '_')}"
    return dependency


Reader = Depends(require("read"))
Reviewer = Depends(require("review"))
AlertManager = Depends(require("alerts.manage"))
ReportEditor = Depends(require("reports.edit"))
SourceManager = Depends(require("sources.manage"))
UserManager = Depends(require("users.manage"))
AuditReader = Depends(require("audit.read"))
