"""The `web` kind crawled into a real workspace from a real HTTP server on 127.0.0.1: a start page
with link scope, sitemaps, redirects, and every way a hostile site can misbehave — each with a
recorded outcome and nothing already captured lost."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from marsad.collect.fetcher import Fetcher
from marsad.config import Settings
from marsad.errors import CaptureTooLarge, FetchTransient
from marsad.workspace import Workspace
from tests.collect.crawling import (
    add_source,
    capture_rows,
    captured_urls,
    crawl_now,
    errors_by_url,
)
from tests.conftest import make_settings
from tests.webserver import Route, local_site

HTML = {"Content-Type": "text/html; charset=utf-8"}
XML = {"Content-Type": "application/xml"}
CAPTURE_LIMIT = 64 * 1024


def article(headline: str, body: str) -> Route:
    text = f"<html><head><title>{headline}</title></head><body><h1>{headline}</h1><p>{body}</p>"
    return Route(body=(text + "</body></html>").encode(), headers=HTML)


def start_page(*links: str, etag: str | None = None) -> Route:
    anchors = "".join(f'<a href="{link}">{link}</a>' for link in links)
    headers = {**HTML, "ETag": etag} if etag else HTML
    return Route(body=f"<html><body><nav>{anchors}</nav></body></html>".encode(), headers=headers)


def sitemap(*paths: str, root: str = "urlset", entry: str = "url") -> Route:
    entries = "".join(f"<{entry}><loc>{path}</loc></{entry}>" for path in paths)
    namespace = "http://www.sitemaps.org/schemas/sitemap/0.9"
    text = f'<?xml version="1.0"?><{root} xmlns="{namespace}">{entries}</{root}>'
    return Route(body=text.encode(), headers=XML)


ARTICLES = {
    "/news/1": article("افتتاح مكتبة عامة", "افتتحت البلدية مكتبة عامة جديدة في وسط المدينة."),
    "/news/2": article("بازگشایی پل", "پل قدیمی شهر پس از تعمیرات دوباره باز شد."),
    "/news/3": article("פתיחת גן ציבורי", "העירייה פתחה היום גן ציבורי חדש ליד התחנה."),
    "/news/4": article("New bus line", "The city opened a new bus line to the harbour today."),
    "/about/contact": article("Contact", "Write to the office of the newspaper."),
}


def site_routes() -> dict[str, Route]:
    return {
        "/": start_page(
            "/news/1", "news/2", "/about/contact", "/news/photo.jpg", "http://example.org/news/9"
        ),
        "/sitemap.xml": sitemap("/sitemap-news.xml", root="sitemapindex", entry="sitemap"),
        "/sitemap-news.xml": sitemap("/news/3", "/news/4", "/about/contact"),
        **ARTICLES,
    }


@pytest.fixture
def web_settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(
        tmp_path / "home",
        database_url,
        fetch_attempts="1",
        fetch_timeout="1",
        max_capture_bytes=str(CAPTURE_LIMIT),
    )


@pytest.fixture
def web_workspace(web_settings: Settings) -> Iterator[Workspace]:
    workspace, _before, _after = Workspace.initialise(web_settings)
    yield workspace
    workspace.close()


def test_start_page_links_in_scope_and_sitemap_pages_are_captured(
    web_workspace: Workspace,
) -> None:
    with local_site(site_routes()) as site:
        source_id = add_source(
            web_workspace, "city news", "web", site.url("/"), path_prefix="/news/"
        )
        crawl = crawl_now(web_workspace, source_id)
    assert crawl.error is None
    expected = {site.url(path) for path in ("/", "/news/1", "/news/2", "/news/3", "/news/4")}
    assert set(captured_urls(web_workspace)) == expected
    assert crawl.captures.new_captures == 5 and errors_by_url(web_workspace) == {}
    # Out of scope, another host, or not an article: never requested.
    assert site.hits("/about/contact") == 0 and site.hits("/news/photo.jpg") == 0
    # Sitemaps are lists of links, not evidence of their own.
    assert site.hits("/sitemap-news.xml") == 1


def test_recrawl_of_unchanged_site_creates_no_capture(web_workspace: Workspace) -> None:
    routes = {**site_routes(), "/": start_page("/news/1", "/news/2", etag='"v1"')}
    with local_site(routes) as site:
        source_id = add_source(web_workspace, "city news", "web", site.url("/"))
        crawl_now(web_workspace, source_id)
        before = capture_rows(web_workspace)
        again = crawl_now(web_workspace, source_id)
    assert again.error is None and again.captures.new_captures == 0
    assert capture_rows(web_workspace) == before
    # The start page was asked for conditionally and answered 304; articles were not re-read.
    start_requests = [headers for path, headers in site.requests if path == "/"]
    assert len(start_requests) == 2 and start_requests[1].get("If-None-Match") == '"v1"'
    assert site.hits("/news/1") == 1 and site.hits("/news/2") == 1


def test_recrawl_without_validators_same_bytes_is_unchanged(web_workspace: Workspace) -> None:
    with local_site({"/": start_page("/news/1"), **ARTICLES}) as site:
        source_id = add_source(web_workspace, "city news", "web", site.url("/"))
        crawl_now(web_workspace, source_id)
        before = capture_rows(web_workspace)
        again = crawl_now(web_workspace, source_id)
        assert site.hits("/") == 2  # no ETag or Last-Modified: read in full again
    assert again.captures.new_captures == 0 and again.captures.unchanged == 1
    assert capture_rows(web_workspace) == before


def test_changed_page_is_a_new_capture_and_the_old_one_stays(web_workspace: Workspace) -> None:
    first_version = start_page("/news/1", etag='"v1"')
    with local_site({**site_routes(), "/": first_version}) as site:
        source_id = add_source(web_workspace, "city news", "web", site.url("/"))
        crawl_now(web_workspace, source_id)
        (old,) = [row for row in capture_rows(web_workspace) if row.url == site.url("/")]
        site.routes["/"] = start_page("/news/1", "/news/2", etag='"v2"')
        changed = crawl_now(web_workspace, source_id)
    starts = [row for row in capture_rows(web_workspace) if row.url == site.url("/")]
    assert starts[0] == old and len(starts) == 2 and starts[1].sha256 != old.sha256
    assert web_workspace.blobs.read(old.blob_key) == first_version.body
    assert web_workspace.blobs.read(starts[1].blob_key) == site.routes["/"].body
    # The new link is followed; the known one is not fetched again.
    assert changed.captures.new_captures == 2
    assert site.url("/news/2") in captured_urls(web_workspace) and site.hits("/news/1") == 1


def test_redirects_are_followed_and_a_redirect_to_a_private_address_refused(
    web_workspace: Workspace,
) -> None:
    routes = {
        "/": start_page("/news/moved", "/news/metadata", "/news/intranet", "/news/1"),
        "/news/moved": Route(status=301, headers={"Location": "/news/4"}),
        "/news/metadata": Route(status=302, headers={"Location": "http://169.254.169.254/x"}),
        "/news/intranet": Route(status=307, headers={"Location": "http://10.1.2.3/admin"}),
        **ARTICLES,
    }
    with local_site(routes) as site:
        source_id = add_source(web_workspace, "city news", "web", site.url("/"))
        crawl = crawl_now(web_workspace, source_id)
    assert crawl.error is None
    assert set(captured_urls(web_workspace)) == {site.url(p) for p in ("/", "/news/4", "/news/1")}
    errors = errors_by_url(web_workspace)
    assert set(errors) == {site.url("/news/metadata"), site.url("/news/intranet")}
    assert "FetchRefused" in errors[site.url("/news/metadata")]
    assert "169.254.169.254" in errors[site.url("/news/metadata")]
    assert "10.1.2.3" in errors[site.url("/news/intranet")]


def gzip_bomb(decoded_size: int) -> bytes:
    """A valid gzip stream of `decoded_size` zero bytes, built without holding them."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    parts = [compressor.compress(block) for _ in range(decoded_size // len(block))]
    return b"".join(parts) + compressor.flush()


def test_hostile_pages_are_recorded_failures_and_the_rest_is_captured(
    web_workspace: Workspace,
) -> None:
    bomb = gzip_bomb(32 << 20)
    routes = {
        "/": start_page("/news/slow", "/news/huge", "/news/bomb", "/news/1", "/news/2"),
        "/news/slow": Route(body=b"<p>" + b"x" * 40, chunks=20, chunk_delay=0.1, headers=HTML),
        "/news/huge": Route(body=b"y" * (CAPTURE_LIMIT + 1), headers=HTML),
        "/news/bomb": Route(body=bomb, headers={**HTML, "Content-Encoding": "gzip"}),
        **ARTICLES,
    }
    assert len(bomb) < CAPTURE_LIMIT  # under the cap on the wire, 32 MiB inside
    with local_site(routes) as site:
        source_id = add_source(web_workspace, "city news", "web", site.url("/"))
        crawl = crawl_now(web_workspace, source_id)
    assert crawl.error is None
    assert set(captured_urls(web_workspace)) == {site.url(p) for p in ("/", "/news/1", "/news/2")}
    errors = errors_by_url(web_workspace)
    assert "timed out" in errors[site.url("/news/slow")]
    assert "CaptureTooLarge" in errors[site.url("/news/huge")]
    assert "decodes to more than the capture limit" in errors[site.url("/news/bomb")]


def test_gzip_bomb_is_stopped_in_bounded_memory(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, "sqlite://", max_capture_bytes=str(1 << 20))
    routes = {"/bomb": Route(body=gzip_bomb(256 << 20), headers={"Content-Encoding": "gzip"})}
    with local_site(routes) as site, Fetcher(settings) as fetcher:
        tracemalloc.start()
        try:
            with pytest.raises(CaptureTooLarge, match="decodes to more than"):
                fetcher.fetch(site.url("/bomb"))
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    # 256 MiB inside; what the fetcher held stays a few times the 1 MiB cap.
    assert peak < 8 << 20, f"peak {peak / 2**20:.1f} MiB"


def test_gzip_page_within_the_cap_is_decoded_and_a_cut_one_refused(tmp_path: Path) -> None:
    body = "<p>خبر مضغوط</p>".encode() * 100
    settings = make_settings(tmp_path, "sqlite://", fetch_attempts="2")
    gzip_page = {"Content-Encoding": "gzip"}
    routes = {
        "/gz": Route(body=gzip.compress(body), headers=gzip_page),
        # Cut before its end, with a Content-Length that matches what is sent.
        "/cut": Route(body=gzip.compress(body)[:-20], headers=gzip_page),
    }
    with local_site(routes) as site, Fetcher(settings) as fetcher:
        assert fetcher.fetch(site.url("/gz")).data == body
        with pytest.raises(FetchTransient, match="truncated compressed body"):
            fetcher.fetch(site.url("/cut"))
        assert site.hits("/cut") == 2  # worth another try


def malformed_sitemap_site(sitemap_route: Route) -> dict[str, Route]:
    sitemap_route.headers["ETag"] = '"broken"'
    return {"/": start_page("/news/1"), "/sitemap.xml": sitemap_route, **ARTICLES}


@pytest.mark.parametrize(
    ("sitemap_route", "message"),
    [
        (Route(body=b"<?xml version='1.0'?><urlset><url><loc>/news/2", headers=XML),
         "is not a readable sitemap"),
        (Route(body=b"<html><body>Not found</body></html>", headers=HTML), "is not a sitemap"),
        (Route(body=b"\x1f\x8b\x08\x00broken", headers=XML), "truncated compressed body"),
        (Route(body=gzip.compress(b"<urlset>")[:-12], headers=XML), "truncated compressed body"),
    ],
)  # fmt: skip
def test_malformed_sitemap_is_a_recorded_error_and_pages_still_captured(
    web_workspace: Workspace, sitemap_route: Route, message: str
) -> None:
    with local_site(malformed_sitemap_site(sitemap_route)) as site:
        source_id = add_source(web_workspace, "city news", "web", site.url("/"))
        crawl = crawl_now(web_workspace, source_id)
        again = crawl_now(web_workspace, source_id)
        sitemap_requests = [headers for path, headers in site.requests if path == "/sitemap.xml"]
    # Not remembered as read: asked for in full again, not conditionally.
    assert len(sitemap_requests) == 2 and "If-None-Match" not in sitemap_requests[1]
    assert crawl.error is None and again.error is None
    assert set(captured_urls(web_workspace)) == {site.url("/"), site.url("/news/1")}
    (error,) = errors_by_url(web_workspace).values()
    assert message in error
    # An identical failure is not recorded twice.
    assert len([row for row in capture_rows(web_workspace) if row.error]) == 1


def test_sitemap_entities_are_not_expanded(web_workspace: Workspace) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "/news/1">'
        b'<!ENTITY file SYSTEM "file:///etc/hostname">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>&a;</loc></url><url><loc>&file;</loc></url><url><loc>/news/3</loc></url>"
        b"</urlset>"
    )
    routes = {"/": start_page(), "/sitemap.xml": Route(body=laughs, headers=XML), **ARTICLES}
    with local_site(routes) as site:
        source_id = add_source(web_workspace, "city news", "web", site.url("/"))
        crawl_now(web_workspace, source_id)
    # Only the literal location is followed; nothing read from the local disk.
    assert set(captured_urls(web_workspace)) == {site.url("/"), site.url("/news/3")}


def test_malformed_html_is_kept_as_evidence_without_links(web_workspace: Workspace) -> None:
    garbage = b"\x00\xff<<html <a href=\x00 \xfe\xfe</body"
    routes = {"/": Route(body=garbage, headers=HTML), **ARTICLES}
    with local_site(routes) as site:
        source_id = add_source(web_workspace, "city news", "web", site.url("/"))
        crawl = crawl_now(web_workspace, source_id)
    assert crawl.error is None
    assert captured_urls(web_workspace) == [site.url("/")]
    (row,) = capture_rows(web_workspace)
    assert web_workspace.blobs.read(row.blob_key) == garbage


def test_unreachable_start_page_fails_the_crawl_with_a_recorded_error(
    web_workspace: Workspace,
) -> None:
    with local_site({}) as site:
        source_id = add_source(web_workspace, "gone", "web", site.url("/"))
        crawl = crawl_now(web_workspace, source_id)
    assert crawl.error is not None and "HTTP 404" in crawl.error
    assert "HTTP 404" in errors_by_url(web_workspace)[site.url("/")]


def robots_routes() -> dict[str, Route]:
    robots = Route(
        body=b"User-agent: *\nDisallow: /news/2\n", headers={"Content-Type": "text/plain"}
    )
    return {"/robots.txt": robots, "/": start_page("/news/1", "/news/2"), **ARTICLES}


def test_web_source_obeys_robots(web_workspace: Workspace) -> None:
    with local_site(robots_routes()) as site:
        source_id = add_source(web_workspace, "city news", "web", site.url("/"))
        crawl_now(web_workspace, source_id)
        assert site.hits("/news/2") == 0
    assert set(captured_urls(web_workspace)) == {site.url("/"), site.url("/news/1")}
    assert "robots.txt" in errors_by_url(web_workspace)[site.url("/news/2")]


def test_web_source_with_ignore_robots_fetches_disallowed_pages(web_workspace: Workspace) -> None:
    with local_site(robots_routes()) as site:
        source_id = add_source(web_workspace, "city news", "web", site.url("/"), ignore_robots=True)
        crawl_now(web_workspace, source_id)
    assert site.url("/news/2") in captured_urls(web_workspace)
    assert errors_by_url(web_workspace) == {}


def test_site_declaring_its_sitemap_in_robots(web_workspace: Workspace) -> None:
    robots = Route(body=b"User-agent: *\nAllow: /\nSitemap: /maps/articles.xml\n")
    routes = {
        "/robots.txt": robots,
        "/": start_page(),
        "/maps/articles.xml": sitemap("/news/4"),
        **ARTICLES,
    }
    with local_site(routes) as site:
        source_id = add_source(web_workspace, "city news", "web", site.url("/"))
        crawl_now(web_workspace, source_id)
        assert site.hits("/sitemap.xml") == 0
    assert set(captured_urls(web_workspace)) == {site.url("/"), site.url("/news/4")}
