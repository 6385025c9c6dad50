"""Delivery against real receivers: an HTTP server on 127.0.0.1 and an aiosmtpd SMTP server.

Receivers go down and come back; attempts, backoff, dead-lettering and redelivery are read
back from the store.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from marsad.alert.channels import SIGNATURE_HEADER, signature_matches
from marsad.alert.delivery import Deliverer
from marsad.alert.rules import DEAD, DELIVERED, PENDING
from marsad.alert.settings import DeliverySettings
from marsad.alert.stage import alert_payload
from marsad.config import Settings
from marsad.store.models import AlertDelivery, AlertRule, Document, utcnow
from marsad.workspace import Workspace
from tests.alert.receiver import Mailbox, Receiver
from tests.alert.store import add_document, add_rule
from tests.conftest import make_settings
from tests.webserver import free_port

SECRET = "a-shared-secret"
TEXT = "أعلنت الحركة في بيان نشرته على قناتها إطلاق موقع إلكتروني جديد باللغة العبرية."


def settings_for(workspace: Workspace, **overrides: str) -> DeliverySettings:
    env = {"alert_retry_backoff": "0.01", "alert_attempts": "3", "alert_timeout": "2", **overrides}
    settings: Settings = make_settings(
        workspace.settings.home, workspace.settings.database_url, **env
    )
    return DeliverySettings.from_settings(settings)


def record_alerts(
    workspace: Workspace, config: dict[str, Any], count: int = 1, **rule: Any
) -> list[int]:
    """A rule and `count` pending alerts of it, as the stage records them."""
    with workspace.database.session() as session:
        alert_rule = add_rule(session, {"languages": ["ar"]}, config=config, **rule)
        ids = []
        for number in range(count):
            document = add_document(session, f"{TEXT} ({number})", title=f"بيان {number}")
            delivery = AlertDelivery(
                rule_id=alert_rule.id, item_kind="document", item_id=str(document.id),
                payload=alert_payload(alert_rule, document, [{"condition": "language",
                                                              "language": "ar"}]),
            )  # fmt: skip
            session.add(delivery)
            session.flush()
            ids.append(delivery.id)
    return ids


def deliveries(workspace: Workspace) -> list[AlertDelivery]:
    with workspace.database.session() as session:
        return list(session.scalars(select(AlertDelivery).order_by(AlertDelivery.id)))


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver().start()
    yield receiver
    receiver.stop()


def test_a_webhook_posts_signed_json(workspace: Workspace, receiver: Receiver) -> None:
    (delivery_id,) = record_alerts(workspace, {"url": receiver.url, "secret": SECRET})
    report = Deliverer(workspace.database, settings_for(workspace)).deliver()
    assert report.delivered == 1 and report.dead == 0
    (request,) = receiver.received
    assert request.path == "/hooks/marsad"
    assert signature_matches(SECRET, request.body, request.headers[SIGNATURE_HEADER])
    assert not signature_matches("another-secret", request.body, request.headers[SIGNATURE_HEADER])
    assert not signature_matches(SECRET, request.body + b" ", request.headers[SIGNATURE_HEADER])
    body = json.loads(request.body)
    assert body["type"] == "marsad.alert" and body["delivery_id"] == delivery_id
    assert body["item"]["title"] == "بيان 0" and body["item"]["language"] == "ar"
    assert body["reasons"] == [{"condition": "language", "language": "ar"}]
    assert request.headers["X-Marsad-Delivery"] == str(delivery_id)
    (row,) = deliveries(workspace)
    assert (row.status, row.attempts, row.last_error) == (DELIVERED, 1, None)
    assert row.delivered_at is not None
    # Delivered is delivered: another pass sends nothing.
    assert Deliverer(workspace.database, settings_for(workspace)).deliver().delivered == 0
    assert len(receiver.received) == 1


def test_receiver_down_retries_then_dead_letters_then_redelivers_when_up(
    workspace: Workspace,
) -> None:
    port = free_port()
    down = Receiver(port=port)
    record_alerts(workspace, {"url": down.url, "secret": SECRET}, count=2)
    waits: list[float] = []
    deliverer = Deliverer(workspace.database, settings_for(workspace), sleep=waits.append)
    report = deliverer.deliver()
    # Three attempts with a doubling backoff for the first alert; the receiver is then known
    # to be down and the second alert waits for the next run instead of burning attempts.
    assert (report.delivered, report.retried, report.dead, report.deferred) == (0, 2, 1, 1)
    assert waits == [0.01, 0.02]
    first, second = deliveries(workspace)
    assert (first.status, first.attempts) == (DEAD, 3)
    assert "ConnectError" in (first.last_error or "")
    assert (second.status, second.attempts) == (PENDING, 0)
    up = Receiver(port=port).start()
    try:
        redelivered, report = deliverer.redeliver()
        assert redelivered == [first.id]
        assert report.delivered == 2  # the dead one, and the one left pending
        assert sorted(json.loads(r.body)["delivery_id"] for r in up.received) == [
            first.id, second.id,
        ]  # fmt: skip
        assert all(signature_matches(SECRET, r.body, r.headers[SIGNATURE_HEADER])
                   for r in up.received)  # fmt: skip
    finally:
        up.stop()
    assert [(d.status, d.attempts) for d in deliveries(workspace)] == [(DELIVERED, 1)] * 2


def test_a_server_error_is_retried_and_a_client_error_is_not(
    workspace: Workspace, receiver: Receiver
) -> None:
    record_alerts(workspace, {"url": receiver.url, "secret": SECRET})
    receiver.status = 503
    deliverer = Deliverer(workspace.database, settings_for(workspace), sleep=lambda _s: None)
    assert deliverer.deliver().dead == 1
    assert len(receiver.received) == 3
    receiver.status = 410
    deliverer.redeliver()
    assert len(receiver.received) == 4  # gone: one attempt, straight to the dead letters
    (row,) = deliveries(workspace)
    assert (row.status, row.attempts, row.last_error) == (
        DEAD, 1, f"webhook {receiver.url} answered HTTP 410",
    )  # fmt: skip


def test_a_digest_sends_every_pending_alert_of_its_period_in_one_message(
    workspace: Workspace, receiver: Receiver
) -> None:
    ids = record_alerts(workspace, {"url": receiver.url, "secret": SECRET}, count=3,
                        delivery="hourly")  # fmt: skip
    deliverer = Deliverer(workspace.database, settings_for(workspace))
    assert deliverer.deliver().digests == 1  # never sent: due at once
    (request,) = receiver.received
    body = json.loads(request.body)
    assert body["type"] == "marsad.digest" and body["period"] == "hourly"
    assert [alert["delivery_id"] for alert in body["alerts"]] == ids
    assert request.headers["X-Marsad-Delivery"] == ",".join(map(str, ids))
    with workspace.database.session() as session:
        rule = session.scalars(select(AlertRule)).one()
        document = session.scalars(select(Document)).first()
        assert document is not None
        session.add(AlertDelivery(rule_id=rule.id, item_kind="document", item_id="new",
                                  payload=alert_payload(rule, document, [])))  # fmt: skip
    assert deliverer.deliver().delivered == 0  # the hour has not passed
    assert deliverer.deliver(force_digests=True).delivered == 1
    assert len(receiver.received) == 2


@contextmanager
def first_send_held(workspace: Workspace, receiver: Receiver) -> Iterator[None]:
    """A sender in a thread whose first request the receiver holds while the block runs."""
    receiver.hold_first = threading.Event()
    patient = settings_for(workspace, alert_timeout="60")  # the held request never times out
    sender = threading.Thread(target=Deliverer(workspace.database, patient).deliver)
    sender.start()
    try:
        assert receiver.arrived.wait(30), "the first sender never sent"
        yield
    finally:
        receiver.hold_first.set()
        sender.join(30)


def test_two_deliverers_side_by_side_send_each_alert_once(
    workspace: Workspace, receiver: Receiver
) -> None:
    # `marsad alerts deliver` from cron, the crawl loop and the workers may all be sending.
    ids = record_alerts(workspace, {"url": receiver.url, "secret": SECRET}, count=2)
    with first_send_held(workspace, receiver):
        # The first alert is in flight: the second deliverer leaves it and sends the other.
        report = Deliverer(workspace.database, settings_for(workspace)).deliver()
    assert report.delivered == 1
    assert sorted(json.loads(r.body)["delivery_id"] for r in receiver.received) == ids
    assert [(d.status, d.attempts) for d in deliveries(workspace)] == [(DELIVERED, 1)] * 2


def test_a_sender_whose_claim_lapsed_mid_attempt_does_not_undo_the_delivery(
    workspace: Workspace, receiver: Receiver
) -> None:
    (alert,) = record_alerts(workspace, {"url": receiver.url, "secret": SECRET})
    with first_send_held(workspace, receiver):
        with workspace.database.session() as session:  # its claim lapses while it waits
            session.get_one(AlertDelivery, alert).next_attempt_at = utcnow()
        assert Deliverer(workspace.database, settings_for(workspace)).deliver().delivered == 1
        receiver.status = 503  # what the first sender's request will end with
    ((status, attempts, error),) = [(d.status, d.attempts, d.last_error)
                                    for d in deliveries(workspace)]  # fmt: skip
    assert (status, attempts, error) == (DELIVERED, 1, None)
    assert len(receiver.received) == 2  # the late failure is not sent a third time


def test_one_digest_per_period_with_senders_side_by_side(
    workspace: Workspace, receiver: Receiver
) -> None:
    first, second = record_alerts(workspace, {"url": receiver.url, "secret": SECRET},
                                  count=2, delivery="hourly")  # fmt: skip
    with first_send_held(workspace, receiver):
        with workspace.database.session() as session:  # a new alert while the digest is out
            rule = session.scalars(select(AlertRule)).one()
            document = session.scalars(select(Document)).first()
            assert document is not None
            session.add(AlertDelivery(rule_id=rule.id, item_kind="document", item_id="later",
                                      payload=alert_payload(rule, document, [])))  # fmt: skip
        assert Deliverer(workspace.database, settings_for(workspace)).deliver().digests == 0
    (request,) = receiver.received  # the later alert waits for the next hour's digest
    assert [alert["delivery_id"] for alert in json.loads(request.body)["alerts"]] == [
        first, second,
    ]  # fmt: skip
    assert [d.status for d in deliveries(workspace)] == [DELIVERED, DELIVERED, PENDING]


def test_a_claim_left_by_a_deliverer_that_died_lapses(
    workspace: Workspace, receiver: Receiver
) -> None:
    ids = record_alerts(workspace, {"url": receiver.url, "secret": SECRET})
    before = utcnow()
    claimed, held_until = Deliverer(workspace.database, settings_for(workspace))._claim(ids)
    assert claimed == ids  # and then the sender died
    # Held for twice the request timeout (2 s here) and 30 s, then free.
    assert before + timedelta(seconds=34) <= held_until <= utcnow() + timedelta(seconds=34)
    assert deliveries(workspace)[0].next_attempt_at == held_until
    assert Deliverer(workspace.database, settings_for(workspace)).deliver().delivered == 0
    assert receiver.received == []
    with workspace.database.session() as session:  # the claim's time passes
        session.get_one(AlertDelivery, ids[0]).next_attempt_at = utcnow() - timedelta(seconds=1)
    assert Deliverer(workspace.database, settings_for(workspace)).deliver().delivered == 1
    assert len(receiver.received) == 1


def test_a_rule_that_cannot_send_does_not_hold_up_the_others(
    workspace: Workspace, receiver: Receiver
) -> None:
    # A webhook stored without its secret (written to the database by hand, say).
    (stuck,) = record_alerts(workspace, {"url": receiver.url}, name="broken")
    (sent,) = record_alerts(workspace, {"url": receiver.url, "secret": SECRET}, name="working")
    report = Deliverer(workspace.database, settings_for(workspace)).deliver()
    assert report.delivered == 1 and len(report.problems) == 1
    assert "has no 'secret'" in report.problems[0] and "has no 'secret'" in report.summary()
    assert [json.loads(r.body)["delivery_id"] for r in receiver.received] == [sent]
    assert [d.status for d in deliveries(workspace)] == [PENDING, DELIVERED]
    assert stuck < sent


def never_sleep(seconds: float) -> None:
    raise AssertionError(f"a deliverer that does not wait slept {seconds} s")


def test_a_deliverer_that_does_not_wait_leaves_failures_to_a_later_pass(
    workspace: Workspace, receiver: Receiver
) -> None:
    # The crawl loop and the workers: a receiver that is down never stalls them.
    first, second = record_alerts(workspace, {"url": receiver.url, "secret": SECRET}, count=2)
    receiver.status = 503
    settings = settings_for(workspace, alert_retry_backoff="3600")
    deliverer = Deliverer(workspace.database, settings, never_sleep, wait_for_retries=False)
    before = utcnow()
    report = deliverer.deliver()
    # One attempt; the receiver is then known to be down and its other alert is not tried.
    assert (report.delivered, report.retried, report.dead, report.deferred) == (0, 0, 0, 2)
    assert len(receiver.received) == 1
    tried, untried = deliveries(workspace)
    assert (tried.status, tried.attempts, untried.attempts) == (PENDING, 1, 0)
    # Free for any sender once the backoff has passed: no claim is kept.
    assert tried.next_attempt_at is not None
    backoff = timedelta(seconds=3600)
    assert before + backoff <= tried.next_attempt_at <= utcnow() + backoff
    receiver.status = 200
    assert deliverer.deliver().delivered == 1  # the untried one; the other waits its backoff
    assert json.loads(receiver.received[-1].body)["delivery_id"] == second
    with workspace.database.session() as session:  # the backoff passes
        session.get_one(AlertDelivery, first).next_attempt_at = utcnow() - timedelta(seconds=1)
    assert deliverer.deliver().delivered == 1
    assert [(d.status, d.attempts) for d in deliveries(workspace)] == [
        (DELIVERED, 2), (DELIVERED, 1),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield mailbox, controller.port
    controller.stop()


def test_an_email_alert_has_text_and_html_bodies(
    workspace: Workspace, smtp_server: tuple[Mailbox, int]
) -> None:
    mailbox, port = smtp_server
    mailbox.messages.clear()
    to = ["analyst@example.org", "desk@example.org"]
    (delivery_id,) = record_alerts(workspace, {"to": to}, channel="email", name="Hebrew site")
    settings = settings_for(workspace, smtp_host="127.0.0.1", smtp_port=str(port),
                            smtp_from="alerts@marsad.example")  # fmt: skip
    assert Deliverer(workspace.database, settings).deliver().delivered == 1
    ((envelope, message),) = mailbox.messages
    assert envelope.mail_from == "alerts@marsad.example" and envelope.rcpt_tos == to
    assert message["Subject"] == "[Marsad] Hebrew site: بيان 0"
    assert message["To"] == ", ".join(to)
    assert message["X-Marsad-Delivery"] == str(delivery_id)
    assert message.is_multipart() and message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    plain = text.get_content()
    assert "بيان 0" in plain and "https://t.me/example/" in plain and "language ar" in plain
    markup = html.get_content()
    assert '<h3 dir="auto"><a href="https://t.me/example/' in markup and "بيان 0" in markup


def test_a_refused_recipient_is_dead_at_once_and_a_dead_server_is_retried(
    workspace: Workspace, smtp_server: tuple[Mailbox, int]
) -> None:
    _mailbox, port = smtp_server
    record_alerts(workspace, {"to": [Mailbox.refused]}, channel="email")
    settings = settings_for(workspace, smtp_host="127.0.0.1", smtp_port=str(port))
    assert Deliverer(workspace.database, settings).deliver().dead == 1
    (row,) = deliveries(workspace)
    assert row.attempts == 1 and "no such mailbox" in (row.last_error or "")
    closed = settings_for(workspace, smtp_host="127.0.0.1", smtp_port=str(free_port()))
    deliverer = Deliverer(workspace.database, closed, sleep=lambda _s: None)
    deliverer.redeliver()
    (row,) = deliveries(workspace)
    assert (row.status, row.attempts) == (DEAD, 3)
    assert "ConnectionRefusedError" in (row.last_error or "")
