"""The audit log of analysts' actions, as the web workbench writes it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from marsad.store.models import AuditLog, User


def record(
    session: Session,
    user: User | None,
    action: str,
    target_kind: str | None = None,
    target_id: str | int | None = None,
    **details: Any,
) -> None:
    session.add(
        AuditLog(
            user_id=user.id if user else None,
            action=action,
            target_kind=target_kind,
            target_id=None if target_id is None else str(target_id)[:200],
            details=details,
        )
    )


def attribute_audit_rows(session: Session, user: User) -> None:
    """Rows that library code adds to the audit log in this unit of work (the review queue's
    verdicts) are filed under the signed-in user."""

    def fill(session: Session, _context: object, _instances: object) -> None:
        for row in session.new:
            if isinstance(row, AuditLog) and row.user_id is None:
                row.user_id = user.id

    event.listen(session, "before_flush", fill)
