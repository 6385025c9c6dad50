"""`marsad crawl`: collect every source that is due, record what it yields, run the stages.

A source is due when it was never crawled, or its interval (`--every`) has passed since the
last crawl, and it is not backing off. A crawl fails when its collector cannot start (start
page or feed unreachable, feed unreadable): the failure is recorded as a failed capture, the
source's error is kept, and it backs off — the interval times 2^failures, capped by
MARSAD_CRAWL_MAX_BACKOFF — without stopping the other sources. Failures of single pages are
recorded captures and do not fail the crawl.

Bookkeeping lives in `Source.state` beside the collector's own state (no schema change):
    {"collector": {...}, "crawl": {"last_crawl_at", "failures", "backoff_until"},
     "options": {...}}
The collector state is saved only after a crawl that ran to its end, so a crash or a kill
repeats the interrupted crawl (already captured pages are skipped) rather than skipping pages.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad import interrupts
from marsad.collect.crawl_book import CrawlBook, interval_of, is_due, is_watched
from marsad.collect.fetcher import Fetcher
from marsad.collect.kinds import CollectContext
from marsad.collect.politeness import POLITENESS_SETTINGS
from marsad.collect.registry import collector_for
from marsad.collect.web import MAX_PAGES
from marsad.config import Setting, parse_positive_int
from marsad.errors import CaptureError, MarsadError, SourceNotFound
from marsad.pipeline.ingest import Ingestor, IngestProgress, IngestSummary
from marsad.pipeline.runner import DocumentRunner, describe_error
from marsad.store.models import Capture, Source, utcnow
from marsad.workspace import Workspace

log = logging.getLogger(__name__)

MAX_BACKOFF = Setting(
    "crawl_max_backoff",
    86400,
    "Longest wait, in seconds, before a failing source is tried again.",
    parse_positive_int,
)
# Longest sleep of `marsad crawl --loop` between two looks at the schedule.
LOOP_MAX_SLEEP = 60.0
COLLECT_SETTINGS: tuple[Setting, ...] = (*POLITENESS_SETTINGS, MAX_PAGES, MAX_BACKOFF)


@dataclass
class SourceCrawl:
    """What one crawl of one source did."""

    name: str
    captures: IngestSummary = field(default_factory=IngestSummary)
    error: str | None = None
    backoff_until: datetime | None = None


class CrawlProgress(IngestProgress, Protocol):
    def crawling(self, source_name: str) -> None: ...

    def crawled(self, crawl: SourceCrawl) -> None: ...


def already_captured(workspace: Workspace, url: str) -> bool:
    with workspace.database.session() as session:
        query = select(Capture.id).where(Capture.url == url, Capture.error.is_(None)).limit(1)
        return session.scalar(query) is not None


def _source_by_id(source_id: int, session: Session) -> Source | None:
    return session.get(Source, source_id)


class Crawler:
    def __init__(
        self,
        workspace: Workspace,
        progress: CrawlProgress | None = None,
        runner: DocumentRunner | None = None,
    ) -> None:
        self.workspace = workspace
        self.settings = workspace.settings
        self.ingestor = Ingestor(workspace, runner)
        self.progress = progress

    def due_sources(self, names: Sequence[str] | None, now: datetime) -> list[int]:
        with self.workspace.database.session() as session:
            sources = self._sources(session, names)
            return [source.id for source in sources if is_due(source, now)]

    @staticmethod
    def _sources(session: Session, names: Sequence[str] | None) -> Sequence[Source]:
        query = select(Source).order_by(Source.id)
        if names:
            query = query.where(Source.name.in_(names))
        sources = session.scalars(query).all()
        missing = set(names or ()) - {source.name for source in sources}
        if missing:
            raise SourceNotFound(f"no source named {', '.join(sorted(missing))!r}")
        return sources

    def hold_due_sources(self, lease: timedelta) -> list[int]:
        """Mark every due source as queued for `lease` and return their ids, so a scheduler
        that looks again before the workers are done does not queue a source twice."""
        now = utcnow()
        held = []
        with self.workspace.database.session() as session:
            # FOR UPDATE: two schedulers on PostgreSQL never hold the same source.
            for source in session.scalars(select(Source).order_by(Source.id).with_for_update()):
                if is_due(source, now):
                    state = dict(source.state or {})
                    state["crawl"] = CrawlBook.of(source).queued(now, lease).to_state()
                    source.state = state
                    held.append(source.id)
        return held

    def crawl_due(self, names: Sequence[str] | None = None) -> list[SourceCrawl]:
        """Crawl each due source once, in one fetcher (politeness shared across sources)."""
        crawls = []
        with Fetcher(self.settings) as fetcher:
            for source_id in self.due_sources(names, utcnow()):
                crawls.append(self.crawl_source(source_id, fetcher))
        return crawls

    def crawl_source(self, source_id: int, fetcher: Fetcher) -> SourceCrawl:
        with self.workspace.database.session() as session:
            source = session.get(Source, source_id)
            if source is None:
                raise SourceNotFound(f"source {source_id} was removed")
            name, kind, locator = source.name, source.kind, source.locator
            language, state = source.language_hint, dict(source.state or {})
        crawl = SourceCrawl(name)
        if self.progress is not None:
            self.progress.crawling(name)
        options = dict(state.get("options") or {})
        context = CollectContext(
            fetcher=fetcher.obeying_robots(not options.get("ignore_robots", False)),
            settings=self.settings,
            state=dict(state.get("collector") or {}),
            already_captured=partial(already_captured, self.workspace),
            options=options,
        )
        source_of = partial(_source_by_id, source_id)
        try:
            attempts = collector_for(kind).attempts(locator, context)
            self.ingestor.record_attempts(
                attempts, source_of, crawl.captures, language, self.progress
            )
            # Bytes lost to a full disk: not a complete crawl, so the cursor stays put.
            crawl.error = crawl.captures.evidence_not_written
        except CaptureError as error:
            # The collector could not start or go on: record why, as a failed capture.
            self.ingestor.record_attempts(
                [(locator, partial(_raise, error))], source_of, crawl.captures, language
            )
            crawl.error = describe_error(error)
        except Exception as error:  # an unknown kind, a collector's bug: this source only
            if interrupts.received():  # a call the signal cut short: not the source's failure
                raise
            if not isinstance(error, MarsadError):
                log.exception("collector %r crashed on source %r", kind, name)
            crawl.error = describe_error(error)
        self._finish(source_id, crawl, context.state)
        crawl.captures.run_stages(self.ingestor.runner)
        if self.progress is not None:
            self.progress.crawled(crawl)
        return crawl

    def _finish(self, source_id: int, crawl: SourceCrawl, collector_state: dict[str, Any]) -> None:
        """Save the bookkeeping (and, after a complete crawl, the collector's state)."""
        now = utcnow()
        with self.workspace.database.session() as session:
            source = session.get(Source, source_id)
            if source is None:
                return
            state = dict(source.state or {})
            book = CrawlBook.of(source)
            if crawl.error is None:
                book = book.after_success(now)
                state["collector"] = collector_state
                source.last_success_at = now
                source.last_error = None
            else:
                cap = float(self.settings.value_of(MAX_BACKOFF))
                book = book.after_failure(now, interval_of(source), cap)
                source.last_error = crawl.error
                crawl.backoff_until = book.backoff_until
            state["crawl"] = book.to_state()
            source.state = state

    def loop(
        self,
        names: Sequence[str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rounds: int | None = None,
        after_round: Callable[[], None] | None = None,
    ) -> None:
        """Crawl due sources again and again (until interrupted, or for `rounds` rounds);
        `after_round` runs after each round's crawls and stages (the CLI sends due alerts)."""
        done = 0
        while rounds is None or done < rounds:
            self.crawl_due(names)
            if after_round is not None:
                after_round()
            done += 1
            sleep(self.seconds_to_next(names))

    def seconds_to_next(self, names: Sequence[str] | None = None) -> float:
        now = utcnow()
        with self.workspace.database.session() as session:
            moments = [
                CrawlBook.of(source).next_crawl_at(interval_of(source)) or now
                for source in self._sources(session, names)
                if is_watched(source)
            ]
        if not moments:
            return LOOP_MAX_SLEEP
        wait = (min(moments) - now).total_seconds()
        return min(max(wait, 1.0), LOOP_MAX_SLEEP)


def _raise(error: CaptureError) -> Any:
    raise error
