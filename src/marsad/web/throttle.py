"""Sign-in throttling: after too many failed sign-ins for one user name, refuse it for a while.

Failures are counted from the audit log, where every failed sign-in is recorded anyway, so every
`marsad serve` process sees the same count and a restart does not reset it. A successful
sign-in starts the count afresh. The check comes before the password is verified: during a
lockout even the right password is refused, so guessing learns nothing. Unknown user names are
throttled like known ones, so the answer does not tell which names exist.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.config import Settings
from marsad.store.models import AuditLog, User, utcnow
from marsad.web.settings import SIGNIN_ATTEMPTS, SIGNIN_WINDOW_MINUTES

SIGN_IN = "session.login"
SIGN_IN_FAILED = "session.login_failed"
SIGN_IN_REFUSED = "session.login_throttled"
USERNAME_TARGET = "username"


def refusal(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    return f"too many failed sign-ins for this user name: try again in {minutes} min"


def throttle_key(username: str) -> str:
    """The name failures are counted under: as sign-in reads it (trimmed, lower case)."""
    return username.strip().lower()[:200]


@dataclass(frozen=True)
class SignInThrottle:
    attempts: int
    window: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> SignInThrottle:
        minutes = int(settings.value_of(SIGNIN_WINDOW_MINUTES))
        return cls(int(settings.value_of(SIGNIN_ATTEMPTS)), timedelta(minutes=minutes))

    def retry_after(self, session: Session, username: str, now: datetime | None = None) -> int:
        """Seconds until `username` may try again; 0 when it may now."""
        now = now or utcnow()
        key = throttle_key(username)
        since = max(now - self.window, self._last_success(session, key) or now - self.window)
        failures = session.scalars(
            select(AuditLog.at)
            .where(
                AuditLog.action == SIGN_IN_FAILED,
                AuditLog.target_kind == USERNAME_TARGET,
                AuditLog.target_id == key,
                AuditLog.at > since,
            )
            .order_by(AuditLog.at.desc())
            .limit(self.attempts)
        ).all()
        if len(failures) < self.attempts:
            return 0
        return max(1, math.ceil((failures[-1] + self.window - now).total_seconds()))

    @staticmethod
    def _last_success(session: Session, key: str) -> datetime | None:
        return session.scalar(
            select(AuditLog.at)
            .join(User, AuditLog.user_id == User.id)
            .where(AuditLog.action == SIGN_IN, User.username == key)
            .order_by(AuditLog.at.desc())
            .limit(1)
        )
