"""Sending a referral package to a platform: by e-mail (the package attached) or to a webhook
(signed JSON with the package inside), through the alert channels (`marsad.alert.channels`)."""

from __future__ import annotations

import base64
import json
import zipfile
from pathlib import Path

from marsad.alert.channels import Channel, EmailChannel, WebhookChannel
from marsad.alert.messages import AlertMessage, Attachment
from marsad.alert.settings import DeliverySettings
from marsad.config import Settings
from marsad.errors import ReferralError
from marsad.referral.package import MANIFEST, sha256_hex, verify_package
from marsad.store.models import ReferralCase

SENDING_CHANNELS = ("email", "webhook")


def verified_sha256(package: Path) -> str:
    """The package's SHA-256, once it verifies: nothing unverified goes to a platform."""
    check = verify_package(package)
    if not check.ok:
        raise ReferralError(f"{package} does not verify: {check.problems[0]}")
    return sha256_hex(package.read_bytes())


def package_message(case: ReferralCase, package: Path) -> AlertMessage:
    """The referral as a message: the summary as its body, the verified package with it."""
    digest = verified_sha256(package)
    data = package.read_bytes()
    with zipfile.ZipFile(package) as archive:
        summary = archive.read("summary.html").decode("utf-8")
        manifest = json.loads(archive.read(MANIFEST))
    reason = manifest["case"]["reason_label"]
    urls = "\n".join(f"- {item['url']}" for item in manifest["items"])
    text = (
        f"Referral {case.id}: {reason}\n\n{len(manifest['items'])} item(s):\n{urls}\n\n"
        f"Notes: {case.notes or '-'}\n\nThe attached package ({package.name}, SHA-256 "
        f"{digest}) holds the captured content, its WARC records, hashes and a "
        "manifest that verifies every file."
    )
    return AlertMessage(
        subject=f"[Marsad] Referral {case.id}: {reason}",
        text=text,
        html=summary,
        body={
            "referral": manifest["case"],
            "items": manifest["items"],
            "package": {
                "filename": package.name,
                "sha256": digest,
                "size": len(data),
                "base64": base64.b64encode(data).decode("ascii"),
            },
        },
        delivery_ids=(),
        attachments=(Attachment(package.name, data, "application/zip"),),
    )


def send_package(
    settings: Settings,
    case: ReferralCase,
    package: Path,
    channel: str,
    to: str,
    secret: str | None = None,
) -> str:
    """Hand the package over; returns its SHA-256. Raises AlertDeliveryFailed when refused."""
    message = package_message(case, package)
    delivery = DeliverySettings.from_settings(settings)
    sender: Channel
    if channel == "email":
        sender = EmailChannel([to], delivery.smtp)
    elif channel == "webhook":
        if not secret:
            raise ReferralError("a webhook delivery needs --secret (the receiver checks the HMAC)")
        sender = WebhookChannel(to, secret, delivery.timeout, delivery.user_agent)
    else:
        raise ReferralError(f"cannot send by {channel!r}; send by {', '.join(SENDING_CHANNELS)}")
    try:
        sender.send(message)
    finally:
        sender.close()
    return str(message.body["package"]["sha256"])
