"""An alert (or a digest of alerts) as a message: JSON for webhooks, text and HTML for e-mail.

Everything comes from the payloads frozen when the alerts fired, so a redelivery carries what
the first attempt carried.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from marsad.media.describe import match_how
from marsad.store.models import AlertDelivery, AlertRule, utcnow

ALERT_TYPE, DIGEST_TYPE = "marsad.alert", "marsad.digest"


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    mime_type: str  # "application/zip"


@dataclass(frozen=True)
class AlertMessage:
    subject: str
    text: str
    html: str
    body: dict[str, Any]
    delivery_ids: tuple[int, ...]
    # Files that go with an e-mail (a referral package); a webhook carries them in `body`.
    attachments: tuple[Attachment, ...] = ()


def describe_reason(reason: dict[str, Any]) -> str:
    condition = reason.get("condition")
    if condition == "entity":
        via = f" ({reason['via']})" if reason.get("via") else ""
        name = reason.get("name") or reason["entity_id"]
        return f"names {name}{via} as “{reason.get('surface', '')}”"
    if condition == "keyword":
        return f"keyword “{reason['keyword']}”: {reason.get('quote', '')}"
    if condition == "event":
        severity = f", {reason['severity']}" if reason.get("severity") else ""
        summary = f": {reason['summary']}" if reason.get("summary") else ""
        return f"event {reason['type']}{severity}{summary}"
    if condition == "language":
        return f"language {reason['language']}"
    if condition == "source":
        return f"source {reason['source']}"
    if condition == "first_seen":
        return "first time this content was seen"
    if condition == "reappeared":
        return f"{reason['how']} as {reason['url']}, referred in referral {reason['referral']}"
    if condition == "hash_match":
        how = match_how(str(reason.get("algorithm", "")), int(reason.get("distance") or 0))
        label = reason.get("label") or "-"
        return f"medium {reason.get('url', '')} on hash list {reason['list']}: {label} ({how})"
    return str(reason)


def _alert_entry(delivery: AlertDelivery) -> dict[str, Any]:
    payload = delivery.payload or {}
    return {
        "delivery_id": delivery.id,
        "item": payload.get("item", {"kind": delivery.item_kind, "id": delivery.item_id}),
        "reasons": payload.get("reasons", []),
        "matched_at": payload.get("matched_at"),
    }


def _text_block(entry: dict[str, Any]) -> str:
    item = entry["item"]
    facts = " · ".join(
        str(value)
        for value in (item.get("source"), item.get("language"), item.get("first_seen_at"))
        if value
    )
    lines = [str(item.get("title") or item.get("url") or f"{item['kind']} {item['id']}")]
    lines += [str(item.get("url") or ""), facts]
    lines += [f"  - {describe_reason(reason)}" for reason in entry["reasons"]]
    return "\n".join(line for line in lines if line)


def _html_block(entry: dict[str, Any]) -> str:
    item = entry["item"]
    title = escape(str(item.get("title") or item.get("url") or f"{item['kind']} {item['id']}"))
    url = escape(str(item.get("url") or ""), quote=True)
    facts = escape(" · ".join(str(item[k]) for k in ("source", "language", "first_seen_at")
                              if item.get(k)))  # fmt: skip
    reasons = "".join(
        f'<li dir="auto">{escape(describe_reason(reason))}</li>' for reason in entry["reasons"]
    )
    return (
        f'<div class="alert"><h3 dir="auto"><a href="{url}">{title}</a></h3>'
        f"<p>{facts}</p><ul>{reasons}</ul></div>"
    )


def build_message(
    rule: AlertRule, deliveries: Sequence[AlertDelivery], digest: bool
) -> AlertMessage:
    """One message for one alert, or for every alert of a digest."""
    entries = [_alert_entry(delivery) for delivery in deliveries]
    sent_at = utcnow().isoformat()
    rule_info = {"id": rule.id, "name": rule.name}
    if digest:
        subject = f"[Marsad] {rule.name}: {len(entries)} new alert(s) ({rule.delivery} digest)"
        body: dict[str, Any] = {"type": DIGEST_TYPE, "rule": rule_info, "period": rule.delivery,
                                "alerts": entries, "sent_at": sent_at}  # fmt: skip
    else:
        (entry,) = entries
        title = entry["item"].get("title") or entry["item"].get("url")
        subject = f"[Marsad] {rule.name}: {title}"
        body = {"type": ALERT_TYPE, "rule": rule_info, **entry, "sent_at": sent_at}
    text = "\n\n".join([subject, *(_text_block(entry) for entry in entries)]) + "\n"
    html = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>'
        f"{escape(subject)}</title></head><body><h2>{escape(subject)}</h2>"
        + "".join(_html_block(entry) for entry in entries)
        + "</body></html>"
    )
    return AlertMessage(subject[:200], text, html, body, tuple(d.id for d in deliveries))
