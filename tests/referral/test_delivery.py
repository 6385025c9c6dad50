"""A referral package sent for real: e-mailed to an aiosmtpd server (attachment parsed back
and verified) and posted to a webhook receiver (signature checked, package intact)."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from marsad.alert.channels import SIGNATURE_HEADER, signature_matches
from marsad.config import Settings
from marsad.errors import AlertDeliveryFailed, ReferralError
from marsad.referral.cases import ReferralDesk
from marsad.referral.delivery import send_package
from marsad.referral.package import PackageBuilder, verify_package
from marsad.store.models import ReferralCase
from marsad.workspace import Workspace
from tests.alert.receiver import Mailbox, Receiver
from tests.referral.site import referred_case
from tests.webserver import Route, free_port, local_site


@pytest.fixture
def packaged(
    workspace: Workspace, tmp_path: Path, site_routes: dict[str, Route]
) -> tuple[int, Path]:
    with local_site(site_routes) as site:
        case_id = referred_case(workspace, site.base_url)
    output = tmp_path / "referral-1.zip"
    with workspace.database.session() as session:
        case = session.get_one(ReferralCase, case_id)
        PackageBuilder(session, workspace.blobs, workspace.settings.warc_dir).build(case, output)
    return case_id, output


def with_smtp(settings: Settings, port: int) -> Settings:
    extra = {"MARSAD_SMTP_HOST": "127.0.0.1", "MARSAD_SMTP_PORT": str(port)}
    return Settings.from_env({**settings.env, **extra, "MARSAD_SMTP_FROM": "desk@marsad.example"})


def test_the_package_is_emailed_as_an_attachment_that_still_verifies(
    workspace: Workspace, packaged: tuple[int, Path], tmp_path: Path
) -> None:
    case_id, package = packaged
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings = with_smtp(workspace.settings, controller.port)
        with workspace.database.session() as session:
            case = session.get_one(ReferralCase, case_id)
            digest = send_package(settings, case, package, "email", "abuse@host.example")
            ReferralDesk(session).record_delivery(case, "email", "abuse@host.example", digest)
            with pytest.raises(AlertDeliveryFailed, match="refused"):
                send_package(settings, case, package, "email", Mailbox.refused)
    finally:
        controller.stop()
    ((envelope, message),) = mailbox.messages
    assert envelope.rcpt_tos == ["abuse@host.example"]
    assert message["Subject"].startswith(f"[Marsad] Referral {case_id}: Fundraising")
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "referral-1.zip"
    received = tmp_path / "received.zip"
    received.write_bytes(attachment.get_content())
    assert verify_package(received).ok
    assert hashlib.sha256(received.read_bytes()).hexdigest() == digest
    with workspace.database.session() as session:
        case = session.get_one(ReferralCase, case_id)
        assert case.status == "sent" and case.deliveries[0]["channel"] == "email"


def test_the_package_is_posted_signed_to_a_webhook(
    workspace: Workspace, packaged: tuple[int, Path], tmp_path: Path
) -> None:
    case_id, package = packaged
    receiver = Receiver().start()
    try:
        with workspace.database.session() as session:
            case = session.get_one(ReferralCase, case_id)
            send_package(workspace.settings, case, package, "webhook", receiver.url, "s3cret")
            with pytest.raises(ReferralError, match="needs --secret"):
                send_package(workspace.settings, case, package, "webhook", receiver.url)
            receiver.status = 503
            with pytest.raises(AlertDeliveryFailed, match="HTTP 503"):
                send_package(workspace.settings, case, package, "webhook", receiver.url, "s3cret")
    finally:
        receiver.stop()
    first = receiver.received[0]
    assert signature_matches("s3cret", first.body, first.headers[SIGNATURE_HEADER])
    body = json.loads(first.body)
    assert body["referral"]["reason"] == "fundraising" and len(body["items"]) == 2
    received = tmp_path / "posted.zip"
    received.write_bytes(base64.b64decode(body["package"]["base64"]))
    assert verify_package(received).ok


def test_an_altered_package_is_never_sent(workspace: Workspace, packaged: tuple[int, Path]) -> None:
    case_id, package = packaged
    package.write_bytes(package.read_bytes()[:-20])
    with workspace.database.session() as session:
        case = session.get_one(ReferralCase, case_id)
        with pytest.raises(ReferralError, match="does not verify"):
            send_package(workspace.settings, case, package, "email", "abuse@host.example")
