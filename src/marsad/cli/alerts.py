"""`marsad alerts add|list|test|deliveries|deliver|redeliver|enable|disable`."""

from __future__ import annotations

from contextlib import closing
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from marsad.cli.console import console
from marsad.cli.preserve import analyst
from marsad.errors import AlertRuleError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from marsad.store.models import AlertRule

alerts_app = typer.Typer(
    help="Alert rules (matched by the `alerts` stage) and their deliveries by webhook or e-mail."
)


def _many(help_text: str) -> Any:
    return typer.Option(help=help_text + " Repeat for any of several.")


def audit(session: Session, action: str, target_kind: str, target_id: str, **details: Any) -> None:
    """An analyst's action at the terminal, in the audit log."""
    from marsad.store.audit import record_action

    record_action(session, action, target_kind, target_id, analyst(), **details)


def add(
    name: Annotated[str, typer.Argument(help="A name for the rule.")],
    entity: Annotated[
        list[str] | None, _many("An entity (id or any alias, any script) named in the text.")
    ] = None,
    members: Annotated[
        bool, typer.Option("--members/--no-members", help="Count the entity's members too.")
    ] = True,
    keyword: Annotated[list[str] | None, _many("A word or phrase, normalised, any script.")] = None,
    event_type: Annotated[list[str] | None, _many("An event type the text reports.")] = None,
    severity: Annotated[list[str] | None, _many("A threat severity the text reports.")] = None,
    lang: Annotated[list[str] | None, _many("The document's language.")] = None,
    source: Annotated[list[str] | None, _many("The source the document came from.")] = None,
    first_seen: Annotated[
        bool, typer.Option("--first-seen", help="Only the first appearance of a text.")
    ] = False,
    reappeared: Annotated[
        bool,
        typer.Option("--reappeared", help="Content already referred to a platform, elsewhere."),
    ] = False,
    hash_match: Annotated[
        bool,
        typer.Option("--hash-match", help="A medium of the post (image, PDF) is on a hash list."),
    ] = False,
    hash_list: Annotated[
        list[str] | None, _many("Only matches on this hash list (its name), not any list.")
    ] = None,
    delivery: Annotated[str, typer.Option(help="immediate, hourly or daily.")] = "immediate",
    webhook: Annotated[str | None, typer.Option(help="POST alerts to this URL.")] = None,
    secret: Annotated[
        str | None, typer.Option(help="HMAC secret for the webhook (default: generated).")
    ] = None,
    email: Annotated[list[str] | None, typer.Option(help="Send alerts to this address.")] = None,
    owner: Annotated[
        str | None, typer.Option(help="The web user whose inbox shows the rule's alerts.")
    ] = None,
) -> None:
    """Add an alert rule. All conditions given must hold; repeated options mean any of them."""
    from marsad.alert.rules import EMAIL, WEBHOOK, Conditions
    from marsad.alert.watchlist import ChannelSpec, RuleSpec, new_rule, public_config
    from marsad.workspace import Workspace

    if bool(webhook) == bool(email):
        raise AlertRuleError("give exactly one channel: --webhook URL or --email ADDRESS")
    channel = ChannelSpec(WEBHOOK if webhook else EMAIL, webhook, secret, tuple(email or ()))
    spec = RuleSpec(
        name,
        {"entities": entity or [], "include_members": members, "keywords": keyword or [],
         "event_types": event_type or [], "severities": severity or [], "languages": lang or [],
         "sources": source or [], "first_seen": first_seen, "reappeared": reappeared,
         "hash_match": hash_match, "hash_lists": hash_list or []},
        delivery,
        channel,
    )  # fmt: skip
    from marsad.web.accounts import named_user  # the web's accounts only when an owner is named

    with Workspace.open() as workspace, workspace.database.session() as session:
        owner_id = named_user(session, owner).id if owner else None
        rule = new_rule(session, spec, owner_id)
        details = {"conditions": rule.conditions, "delivery": delivery,
                   "config": public_config(rule), "owner": owner}  # fmt: skip
        audit(session, "alerts.add", "alert_rule", str(rule.id), name=name, **details)
        described = Conditions.from_dict(rule.conditions).describe()
        secret_made = (rule.channel_config or {}).get("secret")
    console.print(f"added alert rule {rule.id} {name!r}: {described}", markup=False)
    if secret_made:
        console.print(f"webhook secret (verify X-Marsad-Signature with it): {secret_made}")


def list_rules() -> None:
    """Every rule: conditions, delivery, channel and how many alerts are pending, delivered
    and dead-lettered."""
    from sqlalchemy import func, select

    from marsad.alert.rules import DELIVERY_STATUSES, Conditions
    from marsad.store.models import AlertDelivery, AlertRule
    from marsad.workspace import Workspace

    table = Table("id", "name", "conditions", "delivery", "channel", "on", *DELIVERY_STATUSES)
    with Workspace.open() as workspace, workspace.database.session() as session:
        counts: dict[tuple[int, str], int] = {
            (rule_id, status): count
            for rule_id, status, count in session.execute(
                select(AlertDelivery.rule_id, AlertDelivery.status, func.count()).group_by(
                    AlertDelivery.rule_id, AlertDelivery.status
                )
            )
        }
        rules = session.scalars(select(AlertRule).order_by(AlertRule.id)).all()
        for rule in rules:
            config = rule.channel_config or {}
            target = config.get("url") or ", ".join(config.get("to", []))
            table.add_row(
                str(rule.id), rule.name, Conditions.from_dict(rule.conditions).describe(),
                rule.delivery, f"{rule.channel} {target}", "yes" if rule.enabled else "no",
                *(str(counts.get((rule.id, status), 0)) for status in DELIVERY_STATUSES),
            )  # fmt: skip
    console.print(table)
    console.print(f"{len(rules)} alert rules")


def _rule(session: Session, rule_id: int) -> AlertRule:
    from marsad.store.models import AlertRule

    rule = session.get(AlertRule, rule_id)
    if rule is None:
        raise AlertRuleError(f"no alert rule {rule_id} (see `marsad alerts list`)")
    return rule


def test(
    rule_id: Annotated[int, typer.Argument(help="The rule's id.")],
    document: Annotated[
        int | None, typer.Option(help="Check this document only (default: recent ones).")
    ] = None,
    scan: Annotated[int, typer.Option(min=1, help="Check the N most recent documents.")] = 1000,
    send: Annotated[
        bool, typer.Option("--send", help="Also send the first match through the channel.")
    ] = False,
) -> None:
    """Show which stored documents the rule matches and why, without recording alerts;
    `--send` sends the first match as a test message, to check the channel end to end."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from marsad.alert.channels import channel_for
    from marsad.alert.matching import DocumentMatcher
    from marsad.alert.messages import build_message, describe_reason
    from marsad.alert.rules import DOCUMENT_ITEM, Conditions
    from marsad.alert.settings import DeliverySettings
    from marsad.alert.stage import alert_payload
    from marsad.store.models import AlertDelivery, Document
    from marsad.text.normalize import default_normalizer
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, workspace.database.session() as session:
        rule = _rule(session, rule_id)
        conditions = Conditions.from_dict(rule.conditions)
        normalizer = default_normalizer(workspace.settings.normalize_skip)
        query = select(Document).options(selectinload(Document.capture))
        query = (
            query.where(Document.id == document)
            if document is not None
            else query.order_by(Document.id.desc()).limit(scan)
        )
        matches = []
        for candidate in session.scalars(query):
            reasons = DocumentMatcher(session, candidate, normalizer).match(conditions)
            if reasons is not None:
                matches.append(alert_payload(rule, candidate, reasons))
                item = matches[-1]["item"]
                console.print(
                    f"document {item['id']}  {item['title'] or item['url']}", markup=False
                )
                for reason in reasons:
                    console.print(f"    {describe_reason(reason)}", markup=False)
        console.print(f"rule {rule.id} matches {len(matches)} document(s)")
        if send:
            if not matches:
                raise AlertRuleError("nothing matched: no test message to send")
            first = matches[0]
            sample = AlertDelivery(
                id=0, rule_id=rule.id, item_kind=DOCUMENT_ITEM, item_id=str(first["item"]["id"]),
                payload=first,
            )  # fmt: skip
            settings = DeliverySettings.from_settings(workspace.settings)
            with closing(channel_for(rule, settings)) as channel:
                channel.send(build_message(rule, [sample], digest=False))
            audit(session, "alerts.test", "alert_rule", str(rule.id), sent_to=channel.endpoint)
            console.print(f"sent a test message to {channel.endpoint}", markup=False)


def deliveries(
    rule_id: Annotated[int | None, typer.Option("--rule", help="Only this rule's.")] = None,
    status: Annotated[
        str | None, typer.Option(help="pending, delivered or dead (dead-lettered).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
) -> None:
    """Recorded alerts, newest first: item, status, attempts, last error, delivery time."""
    from sqlalchemy import select

    from marsad.alert.rules import DELIVERY_STATUSES
    from marsad.store.models import AlertDelivery
    from marsad.workspace import Workspace

    if status is not None and status not in DELIVERY_STATUSES:
        raise AlertRuleError(
            f"unknown status {status!r}; choose from {', '.join(DELIVERY_STATUSES)}"
        )
    table = Table("id", "rule", "item", "status", "attempts", "created", "delivered", "last error")
    with Workspace.open() as workspace, workspace.database.session() as session:
        query = select(AlertDelivery).order_by(AlertDelivery.id.desc()).limit(limit)
        if rule_id is not None:
            query = query.where(AlertDelivery.rule_id == rule_id)
        if status is not None:
            query = query.where(AlertDelivery.status == status)
        rows = session.scalars(query).all()
        for row in rows:
            table.add_row(
                str(row.id), str(row.rule_id), f"{row.item_kind} {row.item_id}", row.status,
                str(row.attempts), row.created_at.strftime("%Y-%m-%d %H:%M"),
                row.delivered_at.strftime("%Y-%m-%d %H:%M") if row.delivered_at else "—",
                row.last_error or "",
            )  # fmt: skip
    console.print(table)
    console.print(f"{len(rows)} deliveries shown")


def deliver(
    digest_now: Annotated[
        bool, typer.Option("--digest-now", help="Send digests with pending alerts now.")
    ] = False,
) -> None:
    """Send pending alerts: immediate ones now, digests whose hour or day has passed. Meant
    to be run on a schedule (cron, a systemd timer); the pipeline never waits for it."""
    from marsad.alert.delivery import Deliverer
    from marsad.workspace import Workspace

    with Workspace.open() as workspace:
        deliverer = Deliverer.from_settings(workspace.database, workspace.settings)
        report = deliverer.deliver(force_digests=digest_now)
    console.print(f"alerts: {report.summary()}", markup=False)
    if report.problems:  # a rule that cannot send: cron must see it
        raise typer.Exit(1)


def redeliver(
    delivery_ids: Annotated[
        list[int] | None, typer.Argument(help="Deliveries to send again (default: dead ones).")
    ] = None,
    rule_id: Annotated[int | None, typer.Option("--rule", help="Dead ones of this rule.")] = None,
) -> None:
    """Send dead-lettered alerts (or the named deliveries) again, with fresh attempts."""
    from marsad.alert.delivery import Deliverer
    from marsad.workspace import Workspace

    with Workspace.open() as workspace:
        deliverer = Deliverer.from_settings(workspace.database, workspace.settings)
        ids, report = deliverer.redeliver(delivery_ids or (), rule_id)
        with workspace.database.session() as session:
            for delivery_id in ids:
                audit(session, "alerts.redeliver", "alert_delivery", str(delivery_id))
    console.print(f"redelivering {len(ids)} alert(s): {report.summary()}", markup=False)
    if report.problems:
        raise typer.Exit(1)


def _set_enabled(rule_id: int, enabled: bool) -> None:
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, workspace.database.session() as session:
        rule = _rule(session, rule_id)
        rule.enabled = enabled
        audit(session, f"alerts.{'enable' if enabled else 'disable'}", "alert_rule", str(rule_id))
    console.print(f"alert rule {rule_id} {'enabled' if enabled else 'disabled'}")


def enable(rule_id: Annotated[int, typer.Argument()]) -> None:
    """Match the rule again from now on."""
    _set_enabled(rule_id, True)


def disable(rule_id: Annotated[int, typer.Argument()]) -> None:
    """Stop matching and delivering the rule (its recorded alerts stay)."""
    _set_enabled(rule_id, False)
