"""Is referred content still up? Re-fetch each referred URL (the collector's fetcher: polite,
SSRF-guarded, capped) and classify what comes back:

    removed      HTTP 404/410/451; the platform's "content unavailable" page (data/referrals.yaml
                 `removed_markers`); a Telegram preview without the post; a redirect to a login
                 page or to the site's home page
    changed      the URL answers, but with other bytes than the referred capture
    online       the same bytes as the referred capture
    unreachable  timeouts, refused or failed connections, other errors: no verdict

Each check is stored (`liveness_checks`); an item's `removed_at` is its first removed check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from marsad.collect.fetcher import Fetcher
from marsad.collect.schedule import parse_interval
from marsad.config import Setting
from marsad.errors import CaptureError, FetchError, MarsadError
from marsad.referral.cases import ReferralDesk
from marsad.referral.package import sha256_hex
from marsad.referral.platforms import Platform, ReferralRules, referral_rules
from marsad.store.models import (
    Capture,
    LivenessCheck,
    ReferralCase,
    ReferralItem,
    utcnow,
)
from marsad.text.decode import content_kind, decode_content

CHECK_EVERY = Setting(
    "referral_check_every",
    timedelta(hours=6),
    "How often `marsad referral watch` re-checks each referred URL (30m, 6h, 1d).",
    parse_interval,
)
REMOVED_STATUSES = frozenset({404, 410, 451})
# Cases whose items are still watched: the referral went out and no final answer came back.
WATCHED_STATUSES = ("sent", "acknowledged", "still_online", "partially_removed")
TELEGRAM_POST = re.compile(r"^/(?:s/)?(?P<channel>[A-Za-z0-9_]{4,64})/(?P<post>\d+)/?$")


@dataclass(frozen=True)
class Observation:
    state: str
    http_status: int | None
    final_url: str | None
    sha256: str | None
    detail: str


class LivenessChecker:
    def __init__(self, fetcher: Fetcher, rules: ReferralRules | None = None) -> None:
        self.fetcher = fetcher
        self.rules = rules or referral_rules()

    def observe(self, url: str, referred_sha256: str | None, platform: Platform) -> Observation:
        try:
            raw = self.fetcher.fetch(url)
        except FetchError as error:
            if error.http_status in REMOVED_STATUSES:
                return Observation("removed", error.http_status, None, None, str(error))
            return Observation("unreachable", error.http_status, None, None, str(error))
        except CaptureError as error:  # refused (SSRF guard), too large, not modified ...
            return Observation("unreachable", None, None, None, str(error))
        digest = sha256_hex(raw.data)
        removal = self._removal_sign(url, raw.url, raw.data, raw.content_type, platform)
        if removal:
            return Observation("removed", raw.http_status, raw.url, digest, removal)
        if digest == referred_sha256:
            return Observation("online", raw.http_status, raw.url, digest, "same bytes as referred")
        return Observation(
            "changed", raw.http_status, raw.url, digest, "answers with other bytes than referred"
        )

    def _removal_sign(
        self, url: str, final_url: str, data: bytes, content_type: str | None, platform: Platform
    ) -> str | None:
        asked, landed = urlsplit(url), urlsplit(final_url)
        if final_url != url:
            if any(landed.path.startswith(path) for path in platform.login_paths):
                return f"redirected to a login page ({final_url})"
            if landed.path in ("", "/") and asked.path not in ("", "/"):
                return f"redirected to the home page ({final_url})"
        try:
            content_kind(data, content_type)  # binary (the image itself): nothing to read
            text = decode_content(data, content_type).text
        except MarsadError:
            return None
        lowered = text.lower()
        marker = next((m for m in platform.removed_markers if m in lowered), None)
        if marker:
            return f"the platform says: {marker!r}"
        post = TELEGRAM_POST.match(asked.path)
        if platform.key == "telegram" and post and "tgme_widget_message" in text:
            wanted = f'data-post="{post["channel"]}/{post["post"]}"'
            if wanted not in text:
                return "the channel preview no longer shows the post"
        return None


class LivenessWatch:
    """Checks the referred URLs that are due and records what it found."""

    def __init__(self, session: Session, checker: LivenessChecker) -> None:
        self.session = session
        self.checker = checker
        self.desk = ReferralDesk(session, checker.rules)

    def due_items(self, every: timedelta, now: datetime) -> list[ReferralItem]:
        query = (
            select(ReferralItem)
            .join(ReferralCase, ReferralCase.id == ReferralItem.case_id)
            .where(ReferralCase.status.in_(WATCHED_STATUSES))
            .where(
                or_(
                    ReferralItem.last_checked_at.is_(None),
                    ReferralItem.last_checked_at <= now - every,
                )
            )
            .order_by(ReferralItem.id)
        )
        return list(self.session.scalars(query))

    def check(self, item: ReferralItem, now: datetime | None = None) -> LivenessCheck:
        moment = now or utcnow()
        case = self.session.get_one(ReferralCase, item.case_id)
        capture = self.session.get_one(Capture, item.capture_id)
        platform = self.checker.rules.platform(case.platform)
        seen = self.checker.observe(item.url, capture.sha256, platform)
        check = LivenessCheck(
            item_id=item.id,
            checked_at=moment,
            state=seen.state,
            http_status=seen.http_status,
            final_url=seen.final_url,
            sha256=seen.sha256,
            detail=seen.detail,
        )
        self.session.add(check)
        item.last_checked_at = moment
        if seen.state != "unreachable":  # no verdict: the item keeps its last known state
            item.state = seen.state
        if seen.state == "removed" and item.removed_at is None:
            item.removed_at = moment
        self._update_case(case)
        return check

    def _update_case(self, case: ReferralCase) -> None:
        removed = sum(1 for item in case.items if item.state == "removed")
        status = case.status
        if removed == len(case.items):
            status = "removed"
        elif removed:
            status = "partially_removed"
        if status != case.status:
            self.desk.set_status(case, status, by="liveness-watch")
