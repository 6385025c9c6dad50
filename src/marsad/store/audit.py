"""The audit log of analysts' actions: who did what to which object, with the details."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from marsad.store.models import AuditLog


def record_action(
    session: Session, action: str, target_kind: str, target_id: str, by: str, **details: Any
) -> AuditLog:
    """Add one audit entry (`action` as "<area>.<verb>", e.g. "alerts.add") to the session."""
    entry = AuditLog(
        action=action, target_kind=target_kind, target_id=target_id[:200],
        details={"by": by, **details},
    )  # fmt: skip
    session.add(entry)
    return entry
