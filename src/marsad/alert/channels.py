"""Where alerts go: a webhook (signed JSON POST) or e-mail (SMTP, text and HTML bodies).

A channel either hands the message over or raises `AlertDeliveryFailed`, saying whether
trying again may help; retries, backoff and dead-lettering are the deliverer's job.

Webhook requests carry `X-Marsad-Signature: sha256=<hex>`, the HMAC-SHA256 of the exact body
bytes under the rule's secret, and `X-Marsad-Delivery` (the delivery ids, for de-duplication
on the receiving side).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Protocol

import httpx

from marsad.alert.messages import AlertMessage
from marsad.alert.rules import EMAIL, WEBHOOK
from marsad.alert.settings import DeliverySettings, SmtpSettings
from marsad.errors import AlertDeliveryFailed, AlertRuleError
from marsad.store.models import AlertRule

SIGNATURE_HEADER = "X-Marsad-Signature"
DELIVERY_HEADER = "X-Marsad-Delivery"
# Client errors that may pass: the receiver timed out reading, or asks us to slow down.
RETRYABLE_CLIENT_STATUSES = (408, 425, 429)


class Channel(Protocol):
    @property
    def endpoint(self) -> str:
        """Where messages go (a URL, an SMTP server): the unit a dead receiver is."""
        ...

    def send(self, message: AlertMessage) -> None: ...

    def close(self) -> None: ...


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def signature_matches(secret: str, body: bytes, header: str | None) -> bool:
    """What a receiver does: recompute the signature and compare in constant time."""
    return header is not None and hmac.compare_digest(sign(secret, body), header)


def message_bytes(message: AlertMessage) -> bytes:
    return json.dumps(message.body, ensure_ascii=False, sort_keys=True).encode("utf-8")


class WebhookChannel:
    def __init__(self, url: str, secret: str, timeout: float, user_agent: str) -> None:
        self.url = url
        self.secret = secret
        # One client per pass: alerts to one receiver reuse its connection.
        self._client = httpx.Client(timeout=timeout, headers={"User-Agent": user_agent})

    def close(self) -> None:
        self._client.close()

    @property
    def endpoint(self) -> str:
        return self.url

    def send(self, message: AlertMessage) -> None:
        body = message_bytes(message)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            SIGNATURE_HEADER: sign(self.secret, body),
            DELIVERY_HEADER: ",".join(str(i) for i in message.delivery_ids),
        }
        try:
            response = self._client.post(self.url, content=body, headers=headers)
        except httpx.HTTPError as error:
            raise AlertDeliveryFailed(
                f"webhook {self.url}: {error.__class__.__name__}: {error}"
            ) from None
        except httpx.InvalidURL as error:  # not an HTTPError: retrying cannot cure it
            raise AlertDeliveryFailed(f"webhook {self.url}: {error}", False) from None
        if response.is_success:
            return
        status = response.status_code
        retryable = status >= 500 or status in RETRYABLE_CLIENT_STATUSES
        raise AlertDeliveryFailed(f"webhook {self.url} answered HTTP {status}", retryable)


class EmailChannel:
    def __init__(self, recipients: list[str], smtp: SmtpSettings) -> None:
        self.recipients = recipients
        self.smtp = smtp

    @property
    def endpoint(self) -> str:
        return f"smtp://{self.smtp.host}:{self.smtp.port}"

    def close(self) -> None:
        """Nothing held open: each message has its own SMTP session."""

    def email(self, message: AlertMessage) -> EmailMessage:
        email = EmailMessage()
        email["Subject"] = " ".join(message.subject.split())  # a title's line breaks
        email["From"] = self.smtp.sender
        email["To"] = ", ".join(self.recipients)
        email["Date"] = formatdate(usegmt=True)
        email["Message-ID"] = make_msgid(domain=self.smtp.sender.rpartition("@")[2] or None)
        email[DELIVERY_HEADER] = ",".join(str(i) for i in message.delivery_ids)
        email.set_content(message.text)
        email.add_alternative(message.html, subtype="html")
        for attachment in message.attachments:
            maintype, _, subtype = attachment.mime_type.partition("/")
            email.add_attachment(
                attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
            )
        return email

    def send(self, message: AlertMessage) -> None:
        email = self.email(message)
        try:
            with smtplib.SMTP(self.smtp.host, self.smtp.port, timeout=self.smtp.timeout) as smtp:
                if self.smtp.starttls:
                    smtp.starttls()
                if self.smtp.username:
                    smtp.login(self.smtp.username, self.smtp.password or "")
                smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused as error:
            raise AlertDeliveryFailed(
                f"{self.endpoint} refused {error.recipients}", False
            ) from None
        except smtplib.SMTPResponseException as error:
            # 5xx is a permanent refusal; 4xx (mailbox busy, greylisting) may pass.
            reply = (
                error.smtp_error.decode("utf-8", "replace")
                if isinstance(error.smtp_error, bytes)
                else str(error.smtp_error)
            )
            raise AlertDeliveryFailed(
                f"{self.endpoint} answered {error.smtp_code} {reply}", error.smtp_code < 500
            ) from None
        except (smtplib.SMTPException, OSError) as error:
            raise AlertDeliveryFailed(
                f"{self.endpoint}: {error.__class__.__name__}: {error}"
            ) from None


def channel_for(rule: AlertRule, settings: DeliverySettings) -> Channel:
    config = rule.channel_config or {}
    try:
        if rule.channel == WEBHOOK:
            return WebhookChannel(
                str(config["url"]), str(config["secret"]), settings.timeout, settings.user_agent
            )
        if rule.channel == EMAIL:
            return EmailChannel([str(address) for address in config["to"]], settings.smtp)
    except KeyError as missing:
        raise AlertRuleError(f"rule {rule.id}: its {rule.channel} has no {missing}") from None
    raise AlertRuleError(f"rule {rule.id} has an unknown channel {rule.channel!r}")
