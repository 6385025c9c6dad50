"""Sending what the `alerts` stage recorded: immediate alerts one by one, digests when due.

Each attempt is committed as it ends (attempts, last error, next attempt time), so an
interrupted run loses nothing. A failed attempt is retried after a backoff that doubles each
time; after MARSAD_ALERT_ATTEMPTS attempts — or at once when retrying cannot help (HTTP 4xx,
a refused recipient) — the delivery is dead-lettered (`dead`) and waits for
`marsad alerts redeliver`. A receiver that used up its attempts in a pass is not tried again in
that pass: its other alerts stay pending for the next one.

Several deliverers may run side by side (`marsad alerts deliver` from cron, `marsad crawl
--loop`, the workers' delivery task). Each claims an alert before sending it, by moving its
next attempt time past the attempt (one compare-and-set UPDATE per alert), and records the
outcome only while that time is still its own (the claim's token); a digest's period is taken
by a compare-and-set of the rule's last digest time. A deliverer that dies mid-attempt leaves
the alert to the next once the claim lapses: delivery is at least once, and receivers
de-duplicate on the delivery ids each message carries.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from marsad.alert.channels import Channel, channel_for
from marsad.alert.messages import build_message
from marsad.alert.rules import DEAD, DELIVERED, DIGEST_PERIODS, IMMEDIATE, PENDING
from marsad.alert.settings import DeliverySettings
from marsad.config import Settings
from marsad.errors import AlertDeliveryFailed, AlertRuleError
from marsad.store.db import Database
from marsad.store.models import AlertDelivery, AlertRule, utcnow


@dataclass
class DeliveryReport:
    delivered: int = 0
    retried: int = 0
    dead: int = 0
    deferred: int = 0
    digests: int = 0
    # Rules that cannot send at all (a broken channel setting): their alerts stay pending.
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.delivered} delivered ({self.digests} digests), {self.retried} retries, "
            f"{self.dead} dead-lettered, {self.deferred} left for the next run"
        ) + "".join(f"; {problem}" for problem in self.problems)


class Deliverer:
    def __init__(
        self,
        database: Database,
        settings: DeliverySettings,
        sleep: Callable[[float], None] = time.sleep,
        wait_for_retries: bool = True,
    ) -> None:
        """`wait_for_retries=False` leaves a failed attempt to a later pass (at its next attempt
        time) instead of sleeping through the backoff: a crawl loop or a worker never stalls on
        a receiver that is down."""
        self.database = database
        self.settings = settings
        self.sleep = sleep
        self.wait_for_retries = wait_for_retries
        # A claim holds alerts this long: past one request's timeout, with a margin.
        self.claim = timedelta(seconds=2 * settings.timeout + 30)

    @classmethod
    def from_settings(
        cls, database: Database, settings: Settings, wait_for_retries: bool = True
    ) -> Deliverer:
        """A deliverer with the delivery settings (MARSAD_ALERT_*, MARSAD_SMTP_*) of `settings`."""
        return cls(
            database, DeliverySettings.from_settings(settings), wait_for_retries=wait_for_retries
        )

    def deliver(
        self, rule_ids: Collection[int] | None = None, force_digests: bool = False
    ) -> DeliveryReport:
        """One pass: every due immediate alert, and every digest whose period has passed (or
        every digest with pending alerts, with `force_digests`)."""
        report = DeliveryReport()
        unreachable: set[str] = set()
        with self.database.session() as session:
            query = select(AlertRule).where(AlertRule.enabled.is_(True)).order_by(AlertRule.id)
            if rule_ids is not None:
                query = query.where(AlertRule.id.in_(rule_ids))
            rules = session.scalars(query).all()
        for rule in rules:
            now = utcnow()
            digest = rule.delivery != IMMEDIATE
            if digest and not (force_digests or _digest_due(rule, now)):
                continue
            with self.database.session() as session:
                due = _load(session, _due_ids(session, rule.id, now))
            if not due:
                continue
            try:
                rule_channel = channel_for(rule, self.settings)
            except AlertRuleError as error:  # one broken rule must not hold up the others
                report.problems.append(str(error))
                continue
            # One digest per period, whichever sender gets there first.
            period = digest and not force_digests
            if period and not self._claim_period(rule, now):
                continue
            batches = [due] if digest else [[delivery] for delivery in due]
            sent = False
            with closing(rule_channel) as channel:
                for batch in batches:
                    if channel.endpoint in unreachable:
                        report.deferred += len(batch)
                        continue
                    sent = self._send(rule, batch, channel, report, unreachable) or sent
            if period and not sent:
                self._release_period(rule, now)
        return report

    def _send(
        self,
        rule: AlertRule,
        deliveries: Sequence[AlertDelivery],
        channel: Channel,
        report: DeliveryReport,
        unreachable: set[str],
    ) -> bool:
        """Claim and send one message; whether it was delivered."""
        digest = rule.delivery != IMMEDIATE
        claimed, held_until = self._claim([delivery.id for delivery in deliveries])
        deliveries = [delivery for delivery in deliveries if delivery.id in claimed]
        if not deliveries:
            return False  # another sender holds them (or has sent them)
        ids = [delivery.id for delivery in deliveries]
        message = build_message(rule, deliveries, digest)
        while True:
            try:
                channel.send(message)
            except AlertDeliveryFailed as failure:
                recorded = self._record_failure(ids, failure, held_until)
                if recorded is None:
                    return False  # the claim lapsed mid-attempt: the alerts are another's
                attempts, dead, held_until = recorded
                if dead:
                    report.dead += len(ids)
                elif not self.wait_for_retries:
                    report.deferred += len(ids)
                else:
                    report.retried += 1
                    self.sleep(self._backoff(attempts))
                    continue
                if failure.retryable:  # its other alerts wait for a later pass
                    unreachable.add(channel.endpoint)
                return False
            if self._record_success(rule, ids, digest, held_until):
                report.delivered += len(ids)
                report.digests += int(digest)
            return True

    def _claim(self, ids: Sequence[int]) -> tuple[list[int], datetime]:
        """The alerts of `ids` this sender now holds, and until when (the claim's token): those
        still pending and due, each taken by a compare-and-set so two senders never both send
        it."""
        now = utcnow()
        held_until = now + self.claim
        claimed = []
        with self.database.session() as session:
            for delivery_id in ids:
                taken = session.execute(
                    update(AlertDelivery)
                    .where(
                        AlertDelivery.id == delivery_id,
                        AlertDelivery.status == PENDING,
                        or_(
                            AlertDelivery.next_attempt_at.is_(None),
                            AlertDelivery.next_attempt_at <= now,
                        ),
                    )
                    .values(next_attempt_at=held_until)
                    .execution_options(synchronize_session=False)
                )
                if taken.rowcount == 1:  # type: ignore[attr-defined]
                    claimed.append(delivery_id)
        return claimed, held_until

    def _claim_period(self, rule: AlertRule, now: datetime) -> bool:
        """Take this period's digest of `rule`: a compare-and-set of its last digest time."""
        return self._swap_digest_time(rule.id, rule.last_digest_at, now)

    def _release_period(self, rule: AlertRule, now: datetime) -> None:
        """The digest was not delivered: its period is open again for a later pass."""
        self._swap_digest_time(rule.id, now, rule.last_digest_at)

    def _swap_digest_time(
        self, rule_id: int, expected: datetime | None, new: datetime | None
    ) -> bool:
        unchanged = (
            AlertRule.last_digest_at.is_(None)
            if expected is None
            else AlertRule.last_digest_at == expected
        )
        with self.database.session() as session:
            swapped = session.execute(
                update(AlertRule)
                .where(AlertRule.id == rule_id, unchanged)
                .values(last_digest_at=new)
                .execution_options(synchronize_session=False)
            )
            return bool(swapped.rowcount == 1)  # type: ignore[attr-defined]

    def _backoff(self, attempts: int) -> float:
        return float(self.settings.backoff * 2 ** (attempts - 1))

    def _record_failure(
        self, ids: Sequence[int], failure: AlertDeliveryFailed, held_until: datetime
    ) -> tuple[int, bool, datetime] | None:
        """Attempts, dead or not, and the claim's new token; None when the claim was lost."""
        now = utcnow()
        with self.database.session() as session:
            deliveries = _held(session, ids, held_until)
            if not deliveries:
                return None
            attempts = max(delivery.attempts for delivery in deliveries) + 1
            dead = not failure.retryable or attempts >= self.settings.attempts
            # Retrying in this pass, the sender keeps its claim through the backoff.
            held = self.claim if self.wait_for_retries else timedelta(0)
            next_attempt = now + timedelta(seconds=self._backoff(attempts)) + held
            for delivery in deliveries:
                delivery.attempts = attempts
                delivery.last_error = str(failure)
                delivery.status = DEAD if dead else PENDING
                delivery.next_attempt_at = None if dead else next_attempt
        return attempts, dead, next_attempt

    def _record_success(
        self, rule: AlertRule, ids: Sequence[int], digest: bool, held_until: datetime
    ) -> bool:
        now = utcnow()
        with self.database.session() as session:
            deliveries = _held(session, ids, held_until)
            for delivery in deliveries:
                delivery.attempts += 1
                delivery.status = DELIVERED
                delivery.delivered_at = now
                delivery.next_attempt_at = None
            if digest:
                session.get_one(AlertRule, rule.id).last_digest_at = now
        return bool(deliveries)

    def redeliver(
        self, delivery_ids: Collection[int] = (), rule_id: int | None = None
    ) -> tuple[list[int], DeliveryReport]:
        """Put deliveries back in the queue and send them now: the named ones (whatever their
        status), or the dead-lettered ones of a rule (or of every rule)."""
        with self.database.session() as session:
            query = select(AlertDelivery)
            if delivery_ids:
                query = query.where(AlertDelivery.id.in_(delivery_ids))
            else:
                query = query.where(AlertDelivery.status == DEAD)
                if rule_id is not None:
                    query = query.where(AlertDelivery.rule_id == rule_id)
            deliveries = session.scalars(query.order_by(AlertDelivery.id)).all()
            missing = set(delivery_ids) - {delivery.id for delivery in deliveries}
            if missing:
                raise AlertRuleError(f"no alert delivery {', '.join(map(str, sorted(missing)))}")
            ids = [delivery.id for delivery in deliveries]
            session.execute(
                update(AlertDelivery)
                .where(AlertDelivery.id.in_(ids))
                .values(status=PENDING, attempts=0, next_attempt_at=None, last_error=None)
            )
            rules = {delivery.rule_id for delivery in deliveries}
        if not ids:
            return [], DeliveryReport()
        return ids, self.deliver(rules, force_digests=True)


def _due_ids(session: Session, rule_id: int, now: datetime) -> list[int]:
    return list(
        session.scalars(
            select(AlertDelivery.id)
            .where(
                AlertDelivery.rule_id == rule_id,
                AlertDelivery.status == PENDING,
                or_(AlertDelivery.next_attempt_at.is_(None), AlertDelivery.next_attempt_at <= now),
            )
            .order_by(AlertDelivery.id)
        )
    )


def _digest_due(rule: AlertRule, now: datetime) -> bool:
    period = DIGEST_PERIODS[rule.delivery]
    return rule.last_digest_at is None or now - rule.last_digest_at >= period


def _held(session: Session, ids: Sequence[int], held_until: datetime) -> list[AlertDelivery]:
    """The deliveries of `ids` still held by the claim `held_until`, locked until the end of
    the transaction (a claim that lapsed mid-attempt may have passed to another sender)."""
    return list(
        session.scalars(
            select(AlertDelivery)
            .where(
                AlertDelivery.id.in_(ids),
                AlertDelivery.status == PENDING,
                AlertDelivery.next_attempt_at == held_until,
            )
            .order_by(AlertDelivery.id)
            .with_for_update()
        )
    )


def _load(session: Session, ids: Sequence[int]) -> list[AlertDelivery]:
    return list(
        session.scalars(
            select(AlertDelivery).where(AlertDelivery.id.in_(ids)).order_by(AlertDelivery.id)
        )
    )


def latest_alert_id(database: Database) -> int:
    """The newest recorded alert's id (0: none), read from the primary key's index: a worker
    compares it before and after a document to know whether alerts were recorded."""
    with database.session() as session:
        return session.scalar(select(func.max(AlertDelivery.id))) or 0
