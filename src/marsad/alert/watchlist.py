"""Alert rules as analysts write them, from the command line or the web: a rule checked whole
(name, conditions, delivery, channel) before it is stored, a change to a stored rule, and a
search turned into the conditions of a rule. One place, so both ways store the same rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from marsad.alert.matching import has_letters
from marsad.alert.rules import WEBHOOK, Conditions, channel_config, check_delivery
from marsad.cluster.stories import entity_ids_named
from marsad.errors import AlertRuleError
from marsad.store.models import AlertRule, Source
from marsad.store.search import SearchFilters
from marsad.text.normalize import default_normalizer

MAX_NAME = 200


def resolve_entities(session: Session, names: Sequence[str]) -> list[str]:
    """Knowledge-base ids of entities given by id or any alias (any script); a name shared by
    several entities is refused with their ids, so the rule watches what the analyst meant."""
    ids: list[str] = []
    for name in names:
        found = sorted(entity_ids_named(session, name))
        if len(found) > 1:
            raise AlertRuleError(
                f"{name!r} names {len(found)} entities ({', '.join(found)}); give one of the ids"
            )
        ids.extend(found)
    return ids


@dataclass(frozen=True)
class ChannelSpec:
    """Where a rule's alerts go: a webhook URL (and its signing secret) or e-mail addresses."""

    channel: str
    webhook_url: str | None = None
    secret: str | None = None
    email_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleSpec:
    name: str
    conditions: Mapping[str, Any]  # as `Conditions.from_dict` reads them; entities by name or id
    delivery: str = "immediate"
    channel: ChannelSpec = field(default_factory=lambda: ChannelSpec(WEBHOOK))


def _checked_name(name: str) -> str:
    name = " ".join(name.split())
    if not 1 <= len(name) <= MAX_NAME:
        raise AlertRuleError(f"an alert rule needs a name of 1-{MAX_NAME} characters")
    return name


def checked_conditions(session: Session, data: Mapping[str, Any]) -> Conditions:
    """The conditions, checked, with entity names resolved to knowledge-base ids."""
    entities = data.get("entities") or []
    resolved = {**data, "entities": resolve_entities(session, [entities] if isinstance(
        entities, str) else list(entities))}  # fmt: skip
    conditions = Conditions.from_dict(resolved)
    for keyword in conditions.keywords:
        if not has_letters(keyword, default_normalizer()):
            raise AlertRuleError(
                f"keyword {keyword!r} has no letter or digit once diacritics and tatweel are "
                "set aside, so it could never be found"
            )
    return conditions


def _config(spec: ChannelSpec, keep: AlertRule | None) -> dict[str, Any]:
    secret = spec.secret
    if keep is not None and not secret and keep.channel == WEBHOOK == spec.channel:
        # An edit that leaves the secret out keeps the one the receiver already checks.
        secret = (keep.channel_config or {}).get("secret")
    return channel_config(spec.channel, spec.webhook_url, secret, list(spec.email_to))


def new_rule(session: Session, spec: RuleSpec, owner_id: int | None) -> AlertRule:
    """A checked rule, added to the session (and flushed: it has its id)."""
    rule = AlertRule(
        name=_checked_name(spec.name),
        owner_id=owner_id,
        conditions=checked_conditions(session, spec.conditions).as_dict(),
        delivery=check_delivery(spec.delivery),
        channel=spec.channel.channel,
        channel_config=_config(spec.channel, None),
    )
    session.add(rule)
    session.flush()
    return rule


def change_rule(session: Session, rule: AlertRule, spec: RuleSpec) -> None:
    """Replace the rule's name, conditions, delivery and channel (checked like a new one).
    Alerts it already recorded stay as they were."""
    # Everything checked before anything changes: a refused edit leaves the rule whole.
    name = _checked_name(spec.name)
    conditions = checked_conditions(session, spec.conditions).as_dict()
    delivery = check_delivery(spec.delivery)
    config = _config(spec.channel, rule)
    rule.name, rule.conditions, rule.delivery = name, conditions, delivery
    rule.channel, rule.channel_config = spec.channel.channel, config


def public_config(rule: AlertRule) -> dict[str, Any]:
    """The channel's configuration without the signing secret (for lists, forms, the audit)."""
    return {key: value for key, value in (rule.channel_config or {}).items() if key != "secret"}


def conditions_from_search(session: Session, query: str, filters: SearchFilters) -> dict[str, Any]:
    """The conditions of an "alert me" on a search: the query's words as one keyword (found in
    any spelling, as the search finds them), and its language, source, entity and event type.
    Date filters are left out: a rule is about what comes next."""
    sources: list[str] = []
    if filters.source_id is not None:
        source = session.get(Source, filters.source_id)
        if source is None:
            raise AlertRuleError(f"no source {filters.source_id}")
        sources.append(source.name)
    words = " ".join(query.split())
    return {
        "keywords": [words] if words else [],
        "languages": [filters.language] if filters.language else [],
        "sources": sources,
        "entities": [filters.entity_id] if filters.entity_id else [],
        "event_types": [filters.event_type] if filters.event_type else [],
    }
