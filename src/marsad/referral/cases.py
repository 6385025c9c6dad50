"""Referral cases: what an analyst flags, to which platform, why; its status and history.

Every change is an AuditLog row (`referral.*`), which is the case's full history.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.errors import ReferralError
from marsad.referral.platforms import ReferralRules, referral_rules
from marsad.store.models import AuditLog, Capture, Document, ReferralCase, ReferralItem, utcnow
from marsad.store.models.referrals import REFERRAL_STATUSES

DELIVERY_CHANNELS = ("email", "webhook", "manual")


class ReferralDesk:
    def __init__(self, session: Session, rules: ReferralRules | None = None) -> None:
        self.session = session
        self.rules = rules or referral_rules()

    def open_case(
        self,
        reason: str,
        capture_ids: Sequence[int] = (),
        document_ids: Sequence[int] = (),
        platform: str | None = None,
        notes: str = "",
        by: str | None = None,
    ) -> ReferralCase:
        """A draft case for the given captures and documents (a document brings its capture).
        Without `platform`, the platform of the first item's URL."""
        self.rules.policy(reason)
        items = self._items(capture_ids, document_ids)
        if not items:
            raise ReferralError("a referral needs at least one capture or document")
        chosen = (
            self.rules.platform(platform) if platform else self.rules.platform_of_url(items[0].url)
        )
        case = ReferralCase(
            platform=chosen.key, reason=reason, notes=notes, status="draft", created_by=by
        )
        case.items.extend(items)
        self.session.add(case)
        self.session.flush()
        self._audit(case, "referral.open", by, items=[item.url for item in items])
        return case

    def _items(self, capture_ids: Sequence[int], document_ids: Sequence[int]) -> list[ReferralItem]:
        items: list[ReferralItem] = []
        for document_id in document_ids:
            document = self.session.get(Document, document_id)
            if document is None:
                raise ReferralError(f"no document {document_id}")
            items.append(self._item(document.capture, document))
        for capture_id in capture_ids:
            capture = self.session.get(Capture, capture_id)
            if capture is None:
                raise ReferralError(f"no capture {capture_id}")
            items.append(self._item(capture, None))
        return items

    @staticmethod
    def _item(capture: Capture, document: Document | None) -> ReferralItem:
        if capture.error is not None or capture.blob_key is None:
            raise ReferralError(
                f"capture {capture.id} of {capture.url} failed ({capture.error}): there is no "
                "evidence to refer"
            )
        return ReferralItem(
            capture_id=capture.id,
            document_id=document.id if document else None,
            url=document.url if document else capture.url,
        )

    def case(self, case_id: int) -> ReferralCase:
        case = self.session.get(ReferralCase, case_id)
        if case is None:
            raise ReferralError(f"no referral case {case_id}")
        return case

    def set_status(
        self, case: ReferralCase, status: str, by: str | None = None, note: str = ""
    ) -> None:
        if status not in REFERRAL_STATUSES:
            raise ReferralError(f"unknown status {status!r}; known: {', '.join(REFERRAL_STATUSES)}")
        previous = case.status
        case.status = status
        if status == "sent" and case.sent_at is None:
            case.sent_at = utcnow()
        self._audit(case, "referral.status", by, previous=previous, status=status, note=note)

    def record_delivery(
        self,
        case: ReferralCase,
        channel: str,
        to: str,
        package_sha256: str,
        by: str | None = None,
        at: datetime | None = None,
    ) -> None:
        """The package went out (or was handed over for manual upload): the case is sent."""
        if channel not in DELIVERY_CHANNELS:
            raise ReferralError(
                f"unknown channel {channel!r}; known: {', '.join(DELIVERY_CHANNELS)}"
            )
        moment = at or utcnow()
        delivery = {"channel": channel, "to": to, "package_sha256": package_sha256}
        case.deliveries = [*case.deliveries, {**delivery, "at": moment.isoformat()}]
        if case.sent_at is None:
            case.sent_at = moment
        if case.status == "draft":
            case.status = "sent"
        self._audit(case, "referral.deliver", by, **delivery)

    def history(self, case: ReferralCase) -> list[AuditLog]:
        query = (
            select(AuditLog)
            .where(AuditLog.target_kind == "referral", AuditLog.target_id == str(case.id))
            .order_by(AuditLog.id)
        )
        return list(self.session.scalars(query))

    def _audit(self, case: ReferralCase, action: str, by: str | None, **details: Any) -> None:
        self.session.add(
            AuditLog(
                action=action,
                target_kind="referral",
                target_id=str(case.id),
                details={"by": by, **details},
            )
        )
