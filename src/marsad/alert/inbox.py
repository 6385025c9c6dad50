"""A user's inbox: the alerts recorded for the rules they own, newest first, read or unread.

The same rows the `alerts` stage records and `marsad alerts deliver` sends; reading one in the
web marks it read (`read_at`) and changes nothing about its delivery.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from marsad.store.models import AlertDelivery, AlertRule, utcnow


def owned_rule_ids(user_id: int) -> Select[int]:
    return select(AlertRule.id).where(AlertRule.owner_id == user_id)


def inbox_query(user_id: int, unread_only: bool = False) -> Select[AlertDelivery, AlertRule]:
    """The user's alerts with their rule, newest first."""
    query = (
        select(AlertDelivery, AlertRule)
        .join(AlertRule, AlertRule.id == AlertDelivery.rule_id)
        .where(AlertRule.owner_id == user_id)
        .order_by(AlertDelivery.created_at.desc(), AlertDelivery.id.desc())
    )
    if unread_only:
        query = query.where(AlertDelivery.read_at.is_(None))
    return query


def inbox_counts(session: Session, user_id: int) -> tuple[int, int]:
    """(all, unread) alerts of the user's rules."""
    total, unread = session.execute(
        select(func.count(), func.count().filter(AlertDelivery.read_at.is_(None))).where(
            AlertDelivery.rule_id.in_(owned_rule_ids(user_id))
        )
    ).one()
    return int(total or 0), int(unread or 0)


def mark_read(
    session: Session, user_id: int, delivery_ids: Collection[int] | None, read: bool
) -> int:
    """Mark the user's alerts (the given ones, or all with None) read or unread; alerts of
    other users' rules are left alone. Returns how many changed."""
    query = update(AlertDelivery).where(AlertDelivery.rule_id.in_(owned_rule_ids(user_id)))
    if delivery_ids is not None:
        query = query.where(AlertDelivery.id.in_(delivery_ids))
    query = query.where(
        AlertDelivery.read_at.is_(None) if read else AlertDelivery.read_at.is_not(None)
    )
    result = session.execute(
        query.values(read_at=utcnow() if read else None),
        execution_options={"synchronize_session": False},
    )
    return int(getattr(result, "rowcount", 0) or 0)
