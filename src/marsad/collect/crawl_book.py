"""A source's crawl book (when it was crawled, how often in a row it failed, until when it backs
off), when it is due, and which watched sources are failing: bookkeeping `marsad status` and
`marsad source list` read without loading the crawler."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.collect.schedule import DEFAULT_EVERY, parse_interval
from marsad.store.models import Source


def _moment(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


@dataclass(frozen=True)
class CrawlBook:
    """When a source was crawled, how often in a row it failed, until when it backs off, and
    until when a crawl queued for the workers holds it."""

    last_crawl_at: datetime | None = None
    failures: int = 0
    backoff_until: datetime | None = None
    queued_until: datetime | None = None

    @classmethod
    def of(cls, source: Source) -> CrawlBook:
        book = (source.state or {}).get("crawl") or {}
        return cls(
            _moment(book.get("last_crawl_at")),
            int(book.get("failures", 0)),
            _moment(book.get("backoff_until")),
            _moment(book.get("queued_until")),
        )

    def to_state(self) -> dict[str, Any]:
        def moment(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "last_crawl_at": moment(self.last_crawl_at),
            "failures": self.failures,
            "backoff_until": moment(self.backoff_until),
            "queued_until": moment(self.queued_until),
        }

    def next_crawl_at(self, interval: timedelta) -> datetime | None:
        """None when due right away (never crawled, nothing queued)."""
        waits = [self.backoff_until, self.queued_until]
        if self.last_crawl_at is not None:
            waits.append(self.last_crawl_at + interval)
        moments = [moment for moment in waits if moment is not None]
        return max(moments) if moments else None

    def queued(self, now: datetime, lease: timedelta) -> CrawlBook:
        return replace(self, queued_until=now + lease)

    def after_success(self, now: datetime) -> CrawlBook:
        return CrawlBook(now, 0, None)

    def after_failure(self, now: datetime, interval: timedelta, cap: float) -> CrawlBook:
        failures = self.failures + 1
        wait = min(interval.total_seconds() * 2**failures, cap)
        return CrawlBook(now, failures, now + timedelta(seconds=wait))


def interval_of(source: Source) -> timedelta:
    return parse_interval(source.schedule or DEFAULT_EVERY)


def is_watched(source: Source) -> bool:
    """Added with `marsad source add` (it has a schedule) and enabled; sources that
    `marsad ingest` files captures under are not crawled."""
    return source.enabled and source.schedule is not None


def is_due(source: Source, now: datetime) -> bool:
    next_at = CrawlBook.of(source).next_crawl_at(interval_of(source))
    return is_watched(source) and (next_at is None or next_at <= now)


@dataclass(frozen=True)
class FailingSource:
    name: str
    error: str
    failures: int
    backoff_until: datetime | None


def failing_sources(session: Session) -> list[FailingSource]:
    """Watched sources whose last crawl failed, for `marsad status`."""
    query = select(Source).where(Source.last_error.is_not(None)).order_by(Source.name)
    failing = []
    for source in session.scalars(query):
        if is_watched(source):
            book = CrawlBook.of(source)
            failing.append(
                FailingSource(
                    source.name, source.last_error or "", book.failures, book.backoff_until
                )
            )
    return failing
