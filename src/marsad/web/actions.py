"""The analysts' actions, shared by the API and the pages: each one checks, changes the store
and writes the audit log in the same unit of work."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.cli.kb import new_id
from marsad.collect.source_setup import add_source
from marsad.config import Settings
from marsad.errors import SourceNotFound
from marsad.link.aliases import default_variant_generator
from marsad.link.candidates import default_candidate_finder
from marsad.link.kb import kb_schema
from marsad.link.review import ReviewQueue, check_kind
from marsad.link.store import KnowledgeBaseStore
from marsad.store.models import Source, User
from marsad.text.normalize import default_normalizer
from marsad.web.accounts import check_role, create_user, generate_password, keep_an_admin
from marsad.web.audit import record
from marsad.web.sessions import SessionKeeper
from marsad.web.source_policy import check_web_scope, check_web_source


def review_queue(session: Session, skip: frozenset[str]) -> ReviewQueue:
    store = KnowledgeBaseStore(
        session, default_normalizer(skip), default_variant_generator(skip), kb_schema()
    )
    return ReviewQueue(store, default_candidate_finder(skip))


def confirm_name(
    session: Session,
    skip: frozenset[str],
    user: User,
    surface: str,
    kind: str,
    name: str | None,
    entity_id: str | None,
) -> tuple[str, bool]:
    """Add a queued name to the KB (the queue writes the audit row, filed under `user`)."""
    queue = review_queue(session, skip)
    kind = check_kind(kind)
    return queue.confirm(
        surface, kind, entity_id or new_id(kind, name or surface), name, f"web:{user.username}"
    )


def reject_name(
    session: Session, skip: frozenset[str], user: User, surface: str, kind: str | None
) -> list[str]:
    return review_queue(session, skip).reject(surface, kind, f"web:{user.username}")


def create_source(
    session: Session,
    settings: Settings,
    user: User,
    kind: str,
    locator: str,
    name: str,
    every: str,
    language: str | None,
    scope: str | None = None,
    media: bool = False,
) -> Source:
    locator = check_web_source(settings, kind, locator)
    scope = check_web_scope(scope)
    source = add_source(session, kind, locator, name, every, language or None, scope, media=media)
    record(
        session,
        user,
        "source.add",
        "source",
        source.id,
        name=name,
        kind=kind,
        locator=source.locator,
        options=source.options,
    )
    return source


def source_or_error(session: Session, source_id: int) -> Source:
    source = session.get(Source, source_id)
    if source is None:
        raise SourceNotFound(f"no source {source_id}")
    return source


def set_source_enabled(session: Session, user: User, source: Source, enabled: bool) -> None:
    source.enabled = enabled
    record(
        session,
        user,
        "source.resume" if enabled else "source.pause",
        "source",
        source.id,
        name=source.name,
    )


def add_user(
    session: Session, by: User, username: str, role: str, password: str | None
) -> tuple[User, str | None]:
    """Create an account; without a password one is generated and returned (shown once)."""
    generated = None if password else generate_password()
    user = create_user(session, username, password or generated or "", role)
    record(session, by, "users.add", "user", user.id, username=user.username, role=role)
    return user, generated


def change_user(
    session: Session,
    keeper: SessionKeeper,
    by: User,
    user: User,
    role: str | None,
    disabled: bool | None,
) -> None:
    changes: dict[str, object] = {}
    if role is not None:
        check_role(role)
    keep_an_admin(session, user, role, disabled)
    if role is not None and role != user.role:
        user.role = check_role(role)
        changes["role"] = role
    if disabled is not None and disabled != user.disabled:
        user.disabled = disabled
        changes["disabled"] = disabled
        if disabled:
            keeper.close_all(session, user.id)
    if changes:
        record(session, by, "users.change", "user", user.id, username=user.username, **changes)


def sources_by_name(session: Session) -> list[Source]:
    return list(session.scalars(select(Source).order_by(Source.name)))
