"""Sign-in throttling: after too many failed sign-ins for one user name, refuse it for a while.

Failures are counted from the audit log, where every failed sign-in is recorded anyway, so every
`marsad serve` process sees the same count and a restart does not reset it. A successful
sign-in starts the count afresh. The check comes before the password is verified: during a
lockout even the right password is refused, so guessing learns nothing. Unknown user names are
throttled like known ones, so the answer does not tell which names exist.

Sign-ins of one name take turns (`one_at_a_time`): otherwise forty guesses sent at once would
all pass the check before the first failure was counted. In a process a lock does it, across
`marsad serve` processes on PostgreSQL an advisory lock held until the attempt is committed;
on SQLite each process takes its own turns (at most one extra guess per process).
"""

from __future__ import annotations

import math
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.config import Settings
from marsad.errors import MarsadError
from marsad.store.db import hold_lock
from marsad.store.models import AuditLog, User, utcnow
from marsad.web.settings import SIGNIN_ATTEMPTS, SIGNIN_WINDOW_MINUTES

SIGN_IN = "session.login"
SIGN_IN_FAILED = "session.login_failed"
SIGN_IN_REFUSED = "session.login_throttled"
USERNAME_TARGET = "username"
# Turns are taken per stripe of names, not per name: an attacker's stream of new names cannot
# grow a table of locks. A sign-in waits at most TURN_WAIT seconds for its turn.
_STRIPES = tuple(threading.Lock() for _ in range(64))
TURN_WAIT = 10.0


class SignInBusy(MarsadError):
    """Other sign-ins of the same name (or stripe of names) kept it waiting too long."""


@contextmanager
def one_at_a_time(session: Session, key: str) -> Iterator[None]:
    """Until the block ends, no other sign-in of `key` checks or counts; commit inside it."""
    stripe = _STRIPES[zlib.crc32(key.encode()) % len(_STRIPES)]
    if not stripe.acquire(timeout=TURN_WAIT):
        raise SignInBusy("too many sign-ins at once for this user name: try again shortly")
    try:
        hold_lock(session, f"sign-in {key}")
        yield
    finally:
        stripe.release()


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
        window_start = now - self.window
        since = max(window_start, self._last_success(session, key) or window_start)
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
