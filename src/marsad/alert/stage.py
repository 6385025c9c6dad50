"""The `alerts` stage: which enabled rules a document matches, recorded as pending deliveries.

Matching only records; sending is `marsad alerts deliver`, so a receiver that is down never
holds up the pipeline. A rule fires once per document: the (rule, item) pair is unique, and a
re-run skips the rules that already fired — a delivery, once made, is history and stays.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select

from marsad.alert.matching import DocumentMatcher, Reason
from marsad.alert.rules import DOCUMENT_ITEM, PENDING, Conditions
from marsad.pipeline.stage import BaseStage, StageContext
from marsad.store.models import AlertDelivery, AlertRule, Document, utcnow
from marsad.text.normalize import default_normalizer


def document_item(document: Document) -> dict[str, Any]:
    """What an alert says about the document it fired on."""
    capture = document.capture
    return {
        "kind": DOCUMENT_ITEM,
        "id": document.id,
        "url": document.url,
        "title": document.title,
        "language": document.language,
        "published": document.published,
        "source": capture.source.name if capture.source else None,
        "first_seen_at": document.first_seen_at.isoformat(),
        "capture_id": capture.id,
        "sha256": capture.sha256,
    }


def alert_payload(rule: AlertRule, document: Document, reasons: list[Reason]) -> dict[str, Any]:
    return {
        "rule": {"id": rule.id, "name": rule.name},
        "item": document_item(document),
        "reasons": reasons,
        "matched_at": utcnow().isoformat(),
    }


# Read for every document: built once, as assembling a statement costs more than running it.
ENABLED_RULES = select(AlertRule).where(AlertRule.enabled.is_(True)).order_by(AlertRule.id)
FIRED_FOR_ITEM = select(AlertDelivery.rule_id).where(
    AlertDelivery.item_kind == DOCUMENT_ITEM, AlertDelivery.item_id == bindparam("item_id")
)


class AlertStage(BaseStage):
    name = "alerts"
    version = "1"
    requires = ("link", "neardup", "events")
    description = (
        "Matches each document against the enabled alert rules (entities and their members, "
        "keywords in any script, event types and threat severities, language, source, first "
        "appearance, referred content reappearing, media on a hash list) and records a "
        "pending delivery per rule that fires, once per document; `marsad alerts deliver` "
        "sends them."
    )

    def process(self, ctx: StageContext) -> None:
        session, document = ctx.session, ctx.document
        rules = session.scalars(ENABLED_RULES).all()
        if not rules:
            return
        fired = set(session.scalars(FIRED_FOR_ITEM, {"item_id": str(document.id)}))
        matcher = DocumentMatcher(
            session, document, default_normalizer(ctx.settings.normalize_skip)
        )
        for rule in rules:
            if rule.id in fired:
                continue
            reasons = matcher.match(Conditions.from_dict(rule.conditions))
            if reasons is not None:
                session.add(
                    AlertDelivery(
                        rule_id=rule.id,
                        item_kind=DOCUMENT_ITEM,
                        item_id=str(document.id),
                        status=PENDING,
                        payload=alert_payload(rule, document, reasons),
                    )
                )
