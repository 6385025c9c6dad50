"""Politeness against a real HTTP server on 127.0.0.1: robots.txt, per-host spacing and
concurrency cap, retries with backoff and Retry-After. Times are measured on the server side,
when each request arrives."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from itertools import pairwise
from pathlib import Path

import pytest

from marsad.collect.fetcher import Fetcher
from marsad.collect.politeness import MAX_POLITE_WAIT, RetryPolicy
from marsad.config import Settings
from marsad.errors import FetchError, FetchTransient, RobotsDisallowed
from tests.conftest import make_settings
from tests.webserver import LocalSite, Route, local_site

PAGE = Route(body="<html><body><p>خبر قصير عن افتتاح مدرسة</p></body></html>".encode())
ROBOTS = b"User-agent: *\nDisallow: /private/\n"
# How much later than the client sent it a loaded machine may note a request's arrival (the
# server thread waits for the CPU): one late arrival shortens the next gap by as much. The
# waits under test are several times larger, so a missing wait still fails.
SLACK = 0.15


def settings_for(tmp_path: Path, **overrides: str) -> Settings:
    return make_settings(tmp_path, "sqlite://", **overrides)


def starts(site: LocalSite, path_prefix: str = "/") -> list[float]:
    return sorted(start for path, start, _end in site.timeline if path.startswith(path_prefix))


def most_at_once(site: LocalSite) -> int:
    """The most requests the server was answering at the same moment."""
    changes = sorted(
        [(start, 1) for _path, start, _end in site.timeline]
        + [(end, -1) for _path, _start, end in site.timeline]
    )
    open_now = most = 0
    for _moment, change in changes:
        open_now += change
        most = max(most, open_now)
    return most


def gaps(moments: list[float]) -> list[float]:
    return [later - earlier for earlier, later in pairwise(moments)]


def test_requests_to_one_host_are_spaced_by_the_interval(tmp_path: Path) -> None:
    routes = {f"/news/{number}": PAGE for number in range(4)}
    settings = settings_for(tmp_path, fetch_host_interval="0.5")
    with local_site(routes) as site, Fetcher(settings) as fetcher:
        for number in range(4):
            fetcher.fetch(site.url(f"/news/{number}"))
    spacing = gaps(starts(site))
    assert len(spacing) == 3
    assert min(spacing) >= 0.5 - SLACK, spacing


def test_no_more_requests_in_flight_than_the_cap(tmp_path: Path) -> None:
    answer_time = 0.6
    routes = {f"/slow/{number}": Route(body=b"ok", delay=answer_time) for number in range(6)}
    settings = settings_for(tmp_path, fetch_host_concurrency="2")
    with local_site(routes) as site, Fetcher(settings) as fetcher:
        with ThreadPoolExecutor(max_workers=6) as pool:
            list(pool.map(lambda n: fetcher.fetch(site.url(f"/slow/{n}")), range(6)))
    arrivals = starts(site)
    assert len(arrivals) == 6
    # Never a third at once: each request waits for the one two places before it to finish.
    waits = [later - earlier for earlier, later in zip(arrivals, arrivals[2:], strict=False)]
    assert min(waits) >= answer_time - SLACK, waits
    # Two at once, at some moment: counted from the server's own open/close times, not from how
    # quickly a loaded machine sent the first two.
    assert most_at_once(site) == 2


def test_server_errors_are_retried_with_exponential_backoff(tmp_path: Path) -> None:
    routes = {"/flaky": Route(body=b"at last", failures_before_success=2)}
    settings = settings_for(tmp_path, fetch_attempts="3", fetch_retry_backoff="0.4")
    with local_site(routes) as site, Fetcher(settings) as fetcher:
        raw = fetcher.fetch(site.url("/flaky"))
    assert raw.data == b"at last" and site.hits("/flaky") == 3
    first_wait, second_wait = gaps(starts(site))
    assert first_wait >= 0.4 - SLACK and second_wait >= 0.8 - SLACK, (first_wait, second_wait)


def test_gives_up_after_the_last_attempt(tmp_path: Path) -> None:
    routes = {"/down": Route(body=b"never", failures_before_success=5)}
    settings = settings_for(tmp_path, fetch_attempts="2")
    with local_site(routes) as site, Fetcher(settings) as fetcher:
        with pytest.raises(FetchTransient, match=r"HTTP 503 .*\(after 2 attempts\)") as raised:
            fetcher.fetch(site.url("/down"))
    assert raised.value.http_status == 503 and site.hits("/down") == 2


def test_retry_after_is_honoured(tmp_path: Path) -> None:
    routes = {"/busy": Route(body=b"ok", failures_before_success=1, retry_after="1")}
    settings = settings_for(tmp_path, fetch_attempts="2", fetch_retry_backoff="0.01")
    with local_site(routes) as site, Fetcher(settings) as fetcher:
        assert fetcher.fetch(site.url("/busy")).data == b"ok"
    (wait,) = gaps(starts(site))
    assert wait >= 1.0 - SLACK, wait


def test_a_timeout_is_retried(tmp_path: Path) -> None:
    routes = {"/stuck": Route(body=b"late", delay=1.5)}
    settings = settings_for(tmp_path, fetch_attempts="2", fetch_timeout="0.4")
    with local_site(routes) as site, Fetcher(settings) as fetcher:
        with pytest.raises(FetchTransient, match="timed out"):
            fetcher.fetch(site.url("/stuck"))
        assert site.hits("/stuck") == 2


def test_retry_policy_doubles_and_caps_its_waits() -> None:
    policy = RetryPolicy(attempts=5, backoff=0.5)
    assert [policy.delay(retry) for retry in (1, 2, 3)] == [0.5, 1.0, 2.0]
    assert policy.delay(1, retry_after="7") == 7.0
    assert policy.delay(1, retry_after="86400") == MAX_POLITE_WAIT
    # The HTTP-date form: a moment in the past or unreadable means the backoff alone.
    assert policy.delay(1, retry_after="Wed, 21 Oct 2015 07:28:00 GMT") == 0.5
    assert policy.delay(1, retry_after="soon, please") == 0.5
    in_ten_seconds = format_datetime(datetime.now(UTC) + timedelta(seconds=10), usegmt=True)
    assert 8.0 <= policy.delay(1, retry_after=in_ten_seconds) <= 10.0


def robots_site(robots: Route) -> dict[str, Route]:
    return {"/robots.txt": robots, "/private/memo": PAGE, "/public/news": PAGE}


def test_robots_disallow_is_honoured_and_can_be_overridden(tmp_path: Path) -> None:
    routes = robots_site(Route(body=ROBOTS, headers={"Content-Type": "text/plain"}))
    with local_site(routes) as site, Fetcher(settings_for(tmp_path)) as fetcher:
        polite = fetcher.obeying_robots(True)
        assert polite.fetch(site.url("/public/news")).http_status == 200
        with pytest.raises(RobotsDisallowed, match="--ignore-robots"):
            polite.fetch(site.url("/private/memo"))
        assert site.hits("/private/memo") == 0
        # A source added with --ignore-robots fetches through a view that does not obey.
        assert fetcher.obeying_robots(False).fetch(site.url("/private/memo")).http_status == 200
    assert site.hits("/robots.txt") == 1  # read once, shared by both views


def test_robots_crawl_delay_spaces_requests(tmp_path: Path) -> None:
    robots = Route(body=b"User-agent: *\nCrawl-delay: 0.5\n")
    routes = {"/robots.txt": robots, "/a": PAGE, "/b": PAGE, "/c": PAGE}
    with local_site(routes) as site, Fetcher(settings_for(tmp_path)) as fetcher:
        polite = fetcher.obeying_robots(True)
        for path in ("/a", "/b", "/c"):
            polite.fetch(site.url(path))
    page_starts = sorted(start for path, start, _end in site.timeline if path != "/robots.txt")
    assert min(gaps(page_starts)) >= 0.5 - SLACK


def test_missing_robots_allows_everything(tmp_path: Path) -> None:
    routes = {"/private/memo": PAGE}  # /robots.txt answers 404
    with local_site(routes) as site, Fetcher(settings_for(tmp_path)) as fetcher:
        assert fetcher.obeying_robots(True).fetch(site.url("/private/memo")).http_status == 200


def test_unreadable_robots_fetches_nothing(tmp_path: Path) -> None:
    routes = robots_site(Route(status=500))
    settings = settings_for(tmp_path, fetch_attempts="1")
    with local_site(routes) as site, Fetcher(settings) as fetcher:
        with pytest.raises(FetchError, match=r"robots\.txt.*so nothing is fetched"):
            fetcher.obeying_robots(True).fetch(site.url("/public/news"))
    assert site.hits("/public/news") == 0
