"""The sign-in form and signing out."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from marsad.web.api.auth import sign_in
from marsad.web.api.schemas import LoginIn
from marsad.web.audit import record
from marsad.web.deps import Reader, db, web_state
from marsad.web.sessions import LOGIN_COOKIE, LOGIN_TOKEN_SECONDS, SESSION_COOKIE, SignedIn
from marsad.web.ui.render import render

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only a path of this site: never another host (an open redirect)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/search"
    return target


def login_form(
    request: Request, next_page: str, error: str | None = None, status: int = 200
) -> Response:
    nonce = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        status_code=status,
        next_page=safe_next(next_page),
        error=error,
        login_token=web_state(request).keeper.login_form_token(nonce),
    )
    response.set_cookie(
        LOGIN_COOKIE,
        nonce,
        max_age=LOGIN_TOKEN_SECONDS,
        httponly=True,
        samesite="strict",
        secure=web_state(request).cookie_secure or request.url.scheme == "https",
        path="/login",
    )
    return response


@router.get("/login")
def show_login(request: Request, next: str = "/search") -> Response:
    return login_form(request, next)


@router.post("/login")
def submit_login(
    request: Request,
    username: Annotated[str, Form(max_length=120)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    login_token: Annotated[str, Form(max_length=500)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/search",
    session: Session = Depends(db),
) -> Response:
    keeper = web_state(request).keeper
    if not keeper.login_form_valid(login_token, request.cookies.get(LOGIN_COOKIE)):
        return login_form(request, next, "The form expired; please sign in again.", 403)
    try:
        credentials = LoginIn(username=username, password=password)
    except ValidationError:
        return login_form(request, next, "Wrong user name or password.", 401)
    response = RedirectResponse(safe_next(next), status_code=303)
    try:
        sign_in(request, response, session, credentials)
    except HTTPException as refused:
        if refused.status_code == 429:
            return login_form(request, next, f"{str(refused.detail).capitalize()}.", 429)
        return login_form(request, next, "Wrong user name or password.", 401)
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, signed: SignedIn = Reader, session: Session = Depends(db)) -> Response:
    web_state(request).keeper.close(session, signed.session_hash)
    record(session, signed.user, "session.logout", "user", signed.user.id)
    session.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
