"""What an alert rule is: its conditions, its delivery mode and its channel, checked on entry.

A rule's conditions are stored as JSON on `AlertRule.conditions`. All conditions given must
hold (AND); a condition with several values holds when any of them does (OR).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import timedelta
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit

from marsad.errors import AlertRuleError

IMMEDIATE = "immediate"
# Digest modes and the time between two digests of one rule.
DIGEST_PERIODS: dict[str, timedelta] = {"hourly": timedelta(hours=1), "daily": timedelta(days=1)}
DELIVERY_MODES = (IMMEDIATE, *DIGEST_PERIODS)
WEBHOOK, EMAIL = "webhook", "email"
CHANNELS = (WEBHOOK, EMAIL)

# A person or group standing in one of these relations to a watched organisation counts as
# the organisation itself: its members, leaders, commanders, spokespeople and branches.
MEMBER_PREDICATES = (
    "member_of",
    "leader_of",
    "secretary_general_of",
    "commander_of",
    "spokesperson_of",
    "branch_of",
)

PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"
DELIVERY_STATUSES = (PENDING, DELIVERED, DEAD)
DOCUMENT_ITEM = "document"


def _strings(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key) or ()
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, Sequence) or not all(isinstance(v, str) and v.strip() for v in value):
        raise AlertRuleError(f"condition {key!r} must be a string or a list of strings")
    return tuple(v.strip() for v in value)


FLAGS = ("include_members", "first_seen", "reappeared", "hash_match")


@dataclass(frozen=True)
class Conditions:
    """A rule's conditions. `entities` holds knowledge-base ids (names are resolved when the
    rule is added); with `include_members` their members count too (MEMBER_PREDICATES)."""

    entities: tuple[str, ...] = ()
    include_members: bool = True
    keywords: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    first_seen: bool = False
    # The text carries content already referred to a platform, found at another URL.
    reappeared: bool = False
    # A medium of the document (its own bytes, a post's photo) is on a hash list: any list
    # with `hash_match`, one of those named with `hash_lists`.
    hash_match: bool = False
    hash_lists: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Conditions:
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise AlertRuleError(
                f"unknown alert condition(s) {', '.join(sorted(unknown))}; "
                f"known: {', '.join(sorted(known))}"
            )
        flags = {key: data.get(key, cls.__dataclass_fields__[key].default) for key in FLAGS}
        for key, value in flags.items():
            if not isinstance(value, bool):
                raise AlertRuleError(f"condition {key!r} must be true or false")
        conditions = cls(
            entities=_strings(data, "entities"),
            keywords=_strings(data, "keywords"),
            event_types=_strings(data, "event_types"),
            severities=_strings(data, "severities"),
            languages=_strings(data, "languages"),
            sources=_strings(data, "sources"),
            hash_lists=_strings(data, "hash_lists"),
            **flags,
        )
        if conditions.is_empty():
            raise AlertRuleError(
                "an alert rule needs at least one condition (entity, keyword, event type, "
                "severity, language, source, first-seen, reappeared or hash-list match)"
            )
        return conditions

    def is_empty(self) -> bool:
        return not (
            self.entities
            or self.keywords
            or self.event_types
            or self.severities
            or self.languages
            or self.sources
            or self.first_seen
            or self.reappeared
            or self.hash_match
            or self.hash_lists
        )

    def as_dict(self) -> dict[str, Any]:
        return {key: list(value) if isinstance(value, tuple) else value
                for key, value in asdict(self).items()}  # fmt: skip

    def describe(self) -> str:
        parts = [f"{key}={','.join(value)}" for key, value in self.as_dict().items()
                 if isinstance(value, list) and value]  # fmt: skip
        if self.entities and not self.include_members:
            parts.append("without members")
        if self.first_seen:
            parts.append("first seen only")
        if self.reappeared:
            parts.append("referred content reappearing")
        if self.hash_match:
            parts.append("media on a hash list")
        return "; ".join(parts)


def check_delivery(mode: str) -> str:
    if mode not in DELIVERY_MODES:
        raise AlertRuleError(f"unknown delivery {mode!r}; choose from {', '.join(DELIVERY_MODES)}")
    return mode


def channel_config(
    channel: str, url: str | None, secret: str | None, to: Sequence[str]
) -> dict[str, Any]:
    """The stored configuration of a channel, checked: a webhook needs an http(s) URL (a
    signing secret is made when none is given), e-mail needs at least one recipient."""
    if channel == WEBHOOK:
        parts = urlsplit(url or "")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise AlertRuleError(f"a webhook rule needs an http(s) URL, not {url!r}")
        return {"url": url, "secret": secret or secrets.token_hex(32)}
    if channel == EMAIL:
        if not to:
            raise AlertRuleError("an e-mail rule needs at least one recipient (--to ADDRESS)")
        bad = [address for address in to if "@" not in parseaddr(address)[1]]
        if bad:
            raise AlertRuleError(f"not an e-mail address: {', '.join(bad)}")
        return {"to": list(to)}
    raise AlertRuleError(f"unknown channel {channel!r}; choose from {', '.join(CHANNELS)}")
