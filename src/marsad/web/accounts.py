"""User accounts: argon2 password hashes, roles and what each role may do."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from marsad.errors import AccountError, UserNotFound
from marsad.store.db import hold_lock
from marsad.store.models import AuditLog, User
from marsad.store.models.workbench import USER_ROLES
from marsad.web.passwords import check_password

FIRST_ADMIN = "admin"
USERNAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-@")

# What each role may do; every route names the permission it needs.
PERMISSIONS: dict[str, frozenset[str]] = {
    "read": frozenset(USER_ROLES),
    "review": frozenset({"admin", "analyst"}),
    # Alert rules post to URLs and mail addresses the server reaches: not for viewers.
    "alerts.manage": frozenset({"admin", "analyst"}),
    # Drafting reports (the composer): viewers read, they do not write.
    "reports.edit": frozenset({"admin", "analyst"}),
    "sources.manage": frozenset({"admin"}),
    "users.manage": frozenset({"admin"}),
    "audit.read": frozenset({"admin"}),
}

_hasher = PasswordHasher()


@cache
def dummy_hash() -> str:
    """Verified against when the user does not exist, so both cases take the same time. Made
    when the web app is created (hashing costs 0.4 s, which every `marsad` command would pay
    at import), so the first unknown name is no slower than the others."""
    return _hasher.hash(secrets.token_urlsafe(16))


def may(role: str, permission: str) -> bool:
    return role in PERMISSIONS[permission]


def generate_password() -> str:
    return secrets.token_urlsafe(15)


def check_username(username: str) -> str:
    name = username.strip().lower()
    if not 1 <= len(name) <= 120 or not set(name) <= USERNAME_CHARS:
        raise AccountError(
            f"user name {username!r}: use 1-120 characters among a-z, 0-9, '.', '_', '-', '@'"
        )
    return name


def check_role(role: str) -> str:
    if role not in USER_ROLES:
        raise AccountError(f"role {role!r}: expected one of {', '.join(USER_ROLES)}")
    return role


def hash_password(password: str, username: str) -> str:
    check_password(password, username)
    return _hasher.hash(password)


def create_user(session: Session, username: str, password: str, role: str) -> User:
    name = check_username(username)
    if session.scalars(select(User.id).where(User.username == name)).first() is not None:
        raise AccountError(f"a user named {name!r} exists already")
    user = User(username=name, password_hash=hash_password(password, name), role=check_role(role))
    session.add(user)
    session.flush()
    return user


def keep_an_admin(session: Session, user: User, role: str | None, disabled: bool | None) -> None:
    """AccountError when the change would leave no enabled admin (nobody could manage users
    or sources any more, short of the server's shell)."""
    stays_admin = (role or user.role) == "admin" and not (
        disabled if disabled is not None else user.disabled
    )
    if user.role != "admin" or user.disabled or stays_admin:
        return
    hold_lock(session, "accounts")  # two admins demoting each other at once: one waits
    others = session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == "admin", User.disabled.is_(False), User.id != user.id)
    )
    if not others:
        raise AccountError(f"{user.username} is the last enabled admin: make another admin first")


def named_user(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username.strip().lower())).first()
    if user is None:
        raise UserNotFound(f"no user named {username!r} (see `marsad users list`)")
    return user


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password, user.username)


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The enabled user with this name and password, or None (same cost either way)."""
    user = session.scalars(select(User).where(User.username == username.strip().lower())).first()
    try:
        _hasher.verify(user.password_hash if user else dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or user.disabled:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


@dataclass(frozen=True)
class FirstAdmin:
    username: str
    password: str  # shown once; only its hash is stored


def ensure_first_admin(session: Session) -> FirstAdmin | None:
    """Create the first admin, with a generated password, when there are no users yet."""
    if session.scalar(select(func.count(User.id))):
        return None
    password = generate_password()
    user = create_user(session, FIRST_ADMIN, password, "admin")
    session.add(
        AuditLog(
            user_id=None,
            action="users.first_admin",
            target_kind="user",
            target_id=str(user.id),
            details={"username": user.username},
        )
    )
    return FirstAdmin(user.username, password)
