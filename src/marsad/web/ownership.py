"""Rows a web user owns: an alert rule, a report draft. Owners and admins may act on them."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.orm import Session

from marsad.store.models import User
from marsad.web.accounts import may
from marsad.web.deps import Forbidden
from marsad.web.queries import NotFound

Row = TypeVar("Row")


def owned_row(
    session: Session, user: User, model: type[Row], row_id: int, owner_field: str, noun: str
) -> Row:
    """The row, when `user` owns it (its `owner_field` is the user's id) or is an admin;
    NotFound when there is none, Forbidden when it is somebody else's."""
    row: Any = session.get(model, row_id)
    if row is None:
        raise NotFound(f"no {noun} {row_id}")
    if getattr(row, owner_field) != user.id and not may(user.role, "users.manage"):
        raise Forbidden(f"this {noun} belongs to another user")
    return row  # type: ignore[no-any-return]
