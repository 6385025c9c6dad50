"""Sign-in sessions and CSRF tokens.

The session cookie holds a random token; the server keeps only its SHA-256 (`web_sessions`),
so signing out, disabling a user or expiry ends the session at once. The CSRF token of a
session is an HMAC of that hash under the home's web secret; the sign-in form, used before
any session exists, carries an itsdangerous-signed token bound to a short-lived cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import BindParameter, bindparam, delete, select
from sqlalchemy.orm import Session

from marsad.keyfile import read_or_create_secret
from marsad.store.models import User, WebSession, utcnow

SESSION_COOKIE = "marsad_session"
LOGIN_COOKIE = "marsad_login"
SECRET_FILE = "web-secret"
LOGIN_TOKEN_SECONDS = 3600

# One statement for the session and its user, built once: it runs on every signed-in request.
TOKEN_HASH: BindParameter[str] = bindparam("token_hash")
SESSION_USER = (
    select(User, WebSession.expires_at)
    .join(WebSession, WebSession.user_id == User.id)
    .where(WebSession.token_hash == TOKEN_HASH)
)


def web_secret(home: Path) -> bytes:
    """The home's secret key, created (readable by its owner only) on first use."""
    return read_or_create_secret(home / SECRET_FILE)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SignedIn:
    user: User
    session_hash: str
    csrf_token: str


class SessionKeeper:
    def __init__(self, secret: bytes, hours: int) -> None:
        self.secret = secret
        self.lifetime = timedelta(hours=hours)
        self._login = URLSafeTimedSerializer(secret, salt="marsad-login-form")

    def csrf_for(self, session_hash: str) -> str:
        return hmac.new(self.secret, b"csrf:" + session_hash.encode(), hashlib.sha256).hexdigest()

    def open(self, session: Session, user: User) -> str:
        """Start a session for the user; returns the cookie's token."""
        token = secrets.token_urlsafe(32)
        now = utcnow()
        session.execute(delete(WebSession).where(WebSession.expires_at < now))
        session.add(
            WebSession(
                token_hash=token_hash(token), user_id=user.id, expires_at=now + self.lifetime
            )
        )
        return token

    def find(self, session: Session, token: str | None) -> SignedIn | None:
        if not token or len(token) > 200:
            return None
        hashed = token_hash(token)
        found = session.execute(SESSION_USER, {"token_hash": hashed}).first()
        if found is None:
            return None
        user, expires_at = found
        if expires_at < utcnow() or user.disabled:
            return None
        return SignedIn(user, hashed, self.csrf_for(hashed))

    def close(self, session: Session, session_hash: str) -> None:
        session.execute(delete(WebSession).where(WebSession.token_hash == session_hash))

    def close_all(self, session: Session, user_id: int) -> None:
        session.execute(delete(WebSession).where(WebSession.user_id == user_id))

    def login_form_token(self, nonce: str) -> str:
        return self._login.dumps(nonce)

    def login_form_valid(self, token: str | None, nonce: str | None) -> bool:
        if not token or not nonce:
            return False
        try:
            signed = self._login.loads(token, max_age=LOGIN_TOKEN_SECONDS)
        except BadSignature:
            return False
        return isinstance(signed, str) and hmac.compare_digest(signed, nonce)


def same_token(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given), expected)
