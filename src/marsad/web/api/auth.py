"""Signing in and out through the API (JSON), and who is signed in."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from sqlalchemy.orm import Session

from marsad.web.accounts import authenticate
from marsad.web.api.schemas import LoginIn, SessionOut, UserOut
from marsad.web.audit import record
from marsad.web.deps import Reader, db, web_state
from marsad.web.sessions import SESSION_COOKIE, SignedIn
from marsad.web.throttle import (
    SIGN_IN,
    SIGN_IN_FAILED,
    SIGN_IN_REFUSED,
    USERNAME_TARGET,
    SignInBusy,
    SignInThrottle,
    one_at_a_time,
    refusal,
    throttle_key,
)

router = APIRouter(tags=["session"])


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    state = web_state(request)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(state.keeper.lifetime.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=state.cookie_secure or request.url.scheme == "https",
        path="/",
    )


def sign_in(request: Request, response: Response, session: Session, body: LoginIn) -> SignedIn:
    """Check the credentials, open a session, set its cookie; audit the attempt. Too many
    failures for the name answer 429 with Retry-After instead (web.throttle)."""
    key = throttle_key(body.username)
    client = request.client.host if request.client else None
    throttle = SignInThrottle.from_settings(web_state(request).workspace.settings)
    try:
        with one_at_a_time(session, key):
            wait = throttle.retry_after(session, key)
            if wait:
                record(session, None, SIGN_IN_REFUSED, USERNAME_TARGET, key, client=client)
                session.commit()
                raise HTTPException(429, refusal(wait), headers={"Retry-After": str(wait)})
            user = authenticate(session, body.username, body.password)
            if user is None:
                record(session, None, SIGN_IN_FAILED, USERNAME_TARGET, key, client=client)
                session.commit()
                raise HTTPException(401, "wrong user name or password")
            keeper = web_state(request).keeper
            token = keeper.open(session, user)
            record(session, user, SIGN_IN, "user", user.id)
            session.commit()
    except SignInBusy as busy:
        raise HTTPException(429, str(busy), headers={"Retry-After": "5"}) from None
    set_session_cookie(request, response, token)
    signed = keeper.find(session, token)
    assert signed is not None
    return signed


@router.post("/session", response_model=SessionOut)
def login(
    body: LoginIn, request: Request, response: Response, session: Session = Depends(db)
) -> SessionOut:
    """Sign in with a JSON body (a cross-site form cannot send one). Sets the session cookie;
    send the returned CSRF token as X-CSRF-Token with every POST, PATCH and DELETE."""
    signed = sign_in(request, response, session, body)
    return SessionOut(user=UserOut.model_validate(signed.user), csrf_token=signed.csrf_token)


@router.get("/session", response_model=SessionOut)
def whoami(signed: SignedIn = Reader) -> SessionOut:
    return SessionOut(user=UserOut.model_validate(signed.user), csrf_token=signed.csrf_token)


@router.delete("/session", status_code=204)
def logout(
    request: Request, response: Response, signed: SignedIn = Reader, session: Session = Depends(db)
) -> Response:
    web_state(request).keeper.close(session, signed.session_hash)
    record(session, signed.user, "session.logout", "user", signed.user.id)
    session.commit()
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.status_code = 204
    return response
