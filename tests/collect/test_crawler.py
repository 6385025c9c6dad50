"""The scheduler: which sources are due, how a failing source backs off without stopping the
others, and `--loop` — against a real workspace and a real local HTTP server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from marsad.collect.crawl_book import CrawlBook, is_due
from marsad.collect.crawler import Crawler
from marsad.collect.schedule import parse_interval
from marsad.config import Settings
from marsad.errors import ConfigError, SourceNotFound
from marsad.store.models import Source, utcnow
from marsad.workspace import Workspace
from tests.collect.crawling import add_source, captured_urls, source_row
from tests.conftest import make_settings
from tests.webserver import Route, local_site

PAGE = Route(
    body="<html><body><p>افتتحت البلدية حديقة جديدة للأطفال.</p></body></html>".encode(),
    headers={"Content-Type": "text/html; charset=utf-8"},
)


@pytest.fixture
def crawl_settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(
        tmp_path / "home", database_url, fetch_attempts="1", crawl_max_backoff="7200"
    )


@pytest.fixture
def crawl_workspace(crawl_settings: Settings) -> Iterator[Workspace]:
    workspace, _before, _after = Workspace.initialise(crawl_settings)
    yield workspace
    workspace.close()


def set_book(workspace: Workspace, source_id: int, book: CrawlBook) -> None:
    with workspace.database.session() as session:
        source = session.get(Source, source_id)
        assert source is not None
        source.state = {**source.state, "crawl": book.to_state()}


def test_only_due_sources_are_crawled(crawl_workspace: Workspace) -> None:
    routes = {f"/{name}": PAGE for name in ("new", "recent", "stale", "off")}
    with local_site(routes) as site:
        new = add_source(crawl_workspace, "never crawled", "web", site.url("/new"))
        recent = add_source(crawl_workspace, "crawled recently", "web", site.url("/recent"))
        stale = add_source(crawl_workspace, "interval passed", "web", site.url("/stale"), "15m")
        off = add_source(crawl_workspace, "disabled", "web", site.url("/off"))
        set_book(crawl_workspace, recent, CrawlBook(last_crawl_at=utcnow()))
        set_book(crawl_workspace, stale, CrawlBook(utcnow() - timedelta(minutes=16)))
        with crawl_workspace.database.session() as session:
            disabled = session.get(Source, off)
            assert disabled is not None
            disabled.enabled = False
        crawls = Crawler(crawl_workspace).crawl_due()
        assert [crawl.name for crawl in crawls] == ["never crawled", "interval passed"]
        assert [site.hits(f"/{name}") for name in ("new", "recent", "stale", "off")] == [
            1,
            0,
            1,
            0,
        ]
        # Crawled sources are not due again until their interval has passed.
        assert Crawler(crawl_workspace).crawl_due() == []
    assert source_row(crawl_workspace, new).last_success_at is not None


def test_failing_source_backs_off_and_does_not_stop_the_others(
    crawl_workspace: Workspace,
) -> None:
    with local_site({"/fine": PAGE}) as site:
        broken = add_source(crawl_workspace, "a broken site", "web", site.url("/gone"), "10m")
        bogus = add_source(crawl_workspace, "a bogus kind", "no-such-kind", site.url("/x"))
        fine = add_source(crawl_workspace, "a fine site", "web", site.url("/fine"))
        crawls = {crawl.name: crawl for crawl in Crawler(crawl_workspace).crawl_due()}
    assert crawls["a fine site"].error is None
    assert site.url("/fine") in captured_urls(crawl_workspace)
    assert crawls["a bogus kind"].error is not None
    assert "unknown source kind" in crawls["a bogus kind"].error
    failed = crawls["a broken site"]
    assert failed.error is not None and "HTTP 404" in failed.error
    source = source_row(crawl_workspace, broken)
    book = CrawlBook.of(source)
    assert source.last_error == failed.error and book.failures == 1
    assert book.backoff_until == failed.backoff_until
    assert book.last_crawl_at is not None and book.backoff_until is not None
    # The first failure waits twice the interval (10 min), then 4x, 8x ... up to the cap.
    assert book.backoff_until - book.last_crawl_at == timedelta(minutes=20)
    assert not is_due(source, utcnow() + timedelta(minutes=19))
    assert is_due(source, utcnow() + timedelta(minutes=21))
    later = book.after_failure(book.backoff_until, timedelta(minutes=10), cap=7200)
    assert later.failures == 2 and later.backoff_until == book.backoff_until + timedelta(minutes=40)
    capped = CrawlBook(failures=9).after_failure(utcnow(), timedelta(minutes=10), cap=7200)
    assert capped.backoff_until is not None
    assert capped.backoff_until - capped.last_crawl_at == timedelta(seconds=7200)
    assert source_row(crawl_workspace, bogus).last_error is not None
    assert source_row(crawl_workspace, fine).last_error is None


def test_a_source_that_recovers_is_cleared(crawl_workspace: Workspace) -> None:
    with local_site({}) as site:
        source_id = add_source(crawl_workspace, "flaky", "web", site.url("/page"))
        (failed,) = Crawler(crawl_workspace).crawl_due()
        assert failed.error is not None
        set_book(crawl_workspace, source_id, CrawlBook(utcnow() - timedelta(days=1), 1))
        site.routes["/page"] = PAGE
        (recovered,) = Crawler(crawl_workspace).crawl_due()
    assert recovered.error is None
    source = source_row(crawl_workspace, source_id)
    assert source.last_error is None and CrawlBook.of(source).failures == 0


def test_loop_crawls_again_when_sources_fall_due(crawl_workspace: Workspace) -> None:
    waits: list[float] = []
    with local_site({"/page": PAGE}) as site:
        add_source(crawl_workspace, "fast", "web", site.url("/page"), "30s")

        def sleep(seconds: float) -> None:
            # Instead of sleeping: record the wait, then move the clock past it.
            waits.append(seconds)
            with crawl_workspace.database.session() as session:
                for source in session.query(Source):
                    book = CrawlBook.of(source)
                    assert book.last_crawl_at is not None
                    moved = CrawlBook(book.last_crawl_at - timedelta(seconds=seconds))
                    source.state = {**source.state, "crawl": moved.to_state()}

        Crawler(crawl_workspace).loop(sleep=sleep, rounds=3)
        assert site.hits("/page") == 3
    assert len(waits) == 3 and all(25 <= wait <= 30 for wait in waits)


def test_named_sources_must_exist(crawl_workspace: Workspace) -> None:
    with pytest.raises(SourceNotFound, match="no source named 'nobody'"):
        Crawler(crawl_workspace).crawl_due(["nobody"])


@pytest.mark.parametrize(
    ("text", "seconds"), [("30s", 30), ("15m", 900), ("2h", 7200), (" 1d ", 86400)]
)
def test_intervals(text: str, seconds: int) -> None:
    assert parse_interval(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["0m", "15", "fortnightly", "-5m", "1w"])
def test_bad_intervals_are_refused(text: str) -> None:
    with pytest.raises(ConfigError, match="not an interval"):
        parse_interval(text)
