"""Alert rules and the inbox as the API and the pages use them: who may see and change a rule,
and each change with its audit row, in the caller's unit of work."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from marsad.alert.inbox import inbox_query
from marsad.alert.rules import DOCUMENT_ITEM, WEBHOOK
from marsad.alert.watchlist import RuleSpec, change_rule, new_rule, public_config
from marsad.store.models import AlertDelivery, AlertRule, User
from marsad.web.accounts import may
from marsad.web.audit import record
from marsad.web.ownership import owned_row


def _audit_details(rule: AlertRule) -> dict[str, Any]:
    return {"name": rule.name, "conditions": rule.conditions, "delivery": rule.delivery,
            "channel": rule.channel, "config": public_config(rule)}  # fmt: skip


def create_alert_rule(session: Session, user: User, spec: RuleSpec) -> tuple[AlertRule, str | None]:
    """A new rule owned by `user`, and its webhook secret when one was generated."""
    rule = new_rule(session, spec, user.id)
    record(session, user, "alerts.add", "alert_rule", rule.id, **_audit_details(rule))
    generated = spec.channel.channel == WEBHOOK and not spec.channel.secret
    return rule, (rule.channel_config or {}).get("secret") if generated else None


def update_alert_rule(session: Session, user: User, rule: AlertRule, spec: RuleSpec) -> None:
    change_rule(session, rule, spec)
    record(session, user, "alerts.change", "alert_rule", rule.id, **_audit_details(rule))


def set_rule_enabled(session: Session, user: User, rule: AlertRule, enabled: bool) -> None:
    if rule.enabled != enabled:
        rule.enabled = enabled
        record(session, user, f"alerts.{'enable' if enabled else 'disable'}", "alert_rule", rule.id)


def rule_of(session: Session, user: User, rule_id: int) -> AlertRule:
    """The rule, when `user` owns it or is an admin (who also looks after the CLI's rules)."""
    return owned_row(session, user, AlertRule, rule_id, "owner_id", "alert rule")


def rules_of(session: Session, user: User) -> list[AlertRule]:
    """The user's own rules; an admin also sees the rules nobody owns (added at the shell)."""
    owners = AlertRule.owner_id == user.id
    if may(user.role, "users.manage"):
        owners = owners | AlertRule.owner_id.is_(None)
    return list(session.scalars(select(AlertRule).where(owners).order_by(AlertRule.id)))


def delivery_counts(session: Session, rule_ids: Collection[int]) -> dict[int, dict[str, int]]:
    """Alerts per rule and delivery status, in one query."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if rule_ids:
        for rule_id, status, count in session.execute(
            select(AlertDelivery.rule_id, AlertDelivery.status, func.count())
            .where(AlertDelivery.rule_id.in_(rule_ids))
            .group_by(AlertDelivery.rule_id, AlertDelivery.status)
        ):
            counts[rule_id][status] = int(count)
    return counts


@dataclass(frozen=True)
class InboxEntry:
    delivery: AlertDelivery
    rule: AlertRule

    @property
    def item(self) -> dict[str, Any]:
        payload = self.delivery.payload or {}
        found = payload.get("item")
        return found if isinstance(found, dict) else {}

    @property
    def reasons(self) -> list[dict[str, Any]]:
        found = (self.delivery.payload or {}).get("reasons")
        return [reason for reason in found if isinstance(reason, dict)] if found else []

    @property
    def document_id(self) -> int | None:
        if self.delivery.item_kind != DOCUMENT_ITEM or not self.delivery.item_id.isdigit():
            return None
        return int(self.delivery.item_id)


def inbox_entries(
    session: Session, user: User, unread_only: bool, limit: int, offset: int
) -> list[InboxEntry]:
    rows = session.execute(inbox_query(user.id, unread_only).limit(limit).offset(offset))
    return [InboxEntry(delivery, rule) for delivery, rule in rows]
