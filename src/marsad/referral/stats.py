"""How platforms answer referrals: removal rate, time to removal, what stays up longest."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.store.models import ReferralCase, ReferralItem, utcnow

LONGEST_SHOWN = 5


@dataclass(frozen=True)
class StillOnline:
    url: str
    case_id: int
    days: float  # since the referral was sent


@dataclass
class PlatformStats:
    platform: str
    cases: int = 0
    items: int = 0
    removed: int = 0
    hours_to_removal: list[float] = field(default_factory=list)
    still_online: list[StillOnline] = field(default_factory=list)

    @property
    def removal_rate(self) -> float:
        return self.removed / self.items if self.items else 0.0

    @property
    def median_hours(self) -> float | None:
        return statistics.median(self.hours_to_removal) if self.hours_to_removal else None

    @property
    def p90_hours(self) -> float | None:
        if not self.hours_to_removal:
            return None
        ordered = sorted(self.hours_to_removal)
        return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]

    def longest_online(self) -> list[StillOnline]:
        return sorted(self.still_online, key=lambda item: -item.days)[:LONGEST_SHOWN]


def referral_stats(
    session: Session,
    platform: str | None = None,
    since: datetime | None = None,
    now: datetime | None = None,
) -> list[PlatformStats]:
    """Per platform, over the cases that were sent (since `since`)."""
    moment = now or utcnow()
    query = select(ReferralCase).where(ReferralCase.sent_at.is_not(None))
    if platform:
        query = query.where(ReferralCase.platform == platform)
    if since:
        query = query.where(ReferralCase.sent_at >= since)
    by_platform: dict[str, PlatformStats] = defaultdict(lambda: PlatformStats(""))
    for case in session.scalars(query.order_by(ReferralCase.id)):
        stats = by_platform[case.platform]
        stats.platform = case.platform
        stats.cases += 1
        sent = case.sent_at
        assert sent is not None
        for item in session.scalars(select(ReferralItem).where(ReferralItem.case_id == case.id)):
            stats.items += 1
            if item.removed_at is not None:
                stats.removed += 1
                stats.hours_to_removal.append((item.removed_at - sent).total_seconds() / 3600)
            else:
                days = (moment - sent).total_seconds() / 86400
                stats.still_online.append(StillOnline(item.url, case.id, days))
    return [by_platform[key] for key in sorted(by_platform)]
