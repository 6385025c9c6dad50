"""The fetcher against a real HTTP server on 127.0.0.1. Refusals happen before any connection,
so the private and metadata addresses named here are never contacted."""

from pathlib import Path

import pytest

from marsad.collect.fetcher import AddressGuard, Fetcher, ResolvedTarget
from marsad.config import Settings
from marsad.errors import CaptureTooLarge, FetchError, FetchRefused, FetchTransient
from tests.conftest import make_settings
from tests.webserver import Route, local_site

ARABIC_PAGE = "<html><body><p>أعلنت الحركة افتتاح مكتب جديد</p></body></html>".encode()


@pytest.fixture
def fetch_settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, "sqlite://", max_capture_bytes="4096", fetch_timeout="2")


def test_fetch_page_with_headers_and_user_agent(fetch_settings: Settings) -> None:
    routes = {"/a": Route(body=ARABIC_PAGE, headers={"Content-Type": "text/html; charset=utf-8"})}
    with local_site(routes) as site, Fetcher(fetch_settings) as fetcher:
        raw = fetcher.fetch(site.url("/a"))
    assert raw.data == ARABIC_PAGE
    assert raw.http_status == 200
    assert raw.content_type == "text/html; charset=utf-8"
    assert site.requests[0][1]["User-Agent"].startswith("Marsad/")
    assert site.requests[0][1]["Host"] == site.base_url.removeprefix("http://")


def test_redirects_are_followed_and_rechecked(fetch_settings: Settings) -> None:
    routes = {
        "/old": Route(status=301, headers={"Location": "/new"}),
        "/new": Route(body=ARABIC_PAGE),
        "/to-metadata": Route(status=302, headers={"Location": "http://169.254.169.254/latest"}),
        "/loop": Route(status=302, headers={"Location": "/loop"}),
    }
    with local_site(routes) as site, Fetcher(fetch_settings) as fetcher:
        raw = fetcher.fetch(site.url("/old"))
        assert raw.url == site.url("/new") and raw.data == ARABIC_PAGE
        with pytest.raises(FetchRefused, match=r"169\.254\.169\.254"):
            fetcher.fetch(site.url("/to-metadata"))
        with pytest.raises(FetchRefused, match="more than 5 redirects"):
            fetcher.fetch(site.url("/loop"))


def test_loopback_refused_unless_explicitly_allowed(tmp_path: Path) -> None:
    strict = Settings.from_env({"MARSAD_HOME": str(tmp_path)})
    with local_site({"/a": Route(body=b"x")}) as site, Fetcher(strict) as fetcher:
        with pytest.raises(FetchRefused, match="MARSAD_FETCH_ALLOW_LOOPBACK"):
            fetcher.fetch(site.url("/a"))
        assert site.requests == []


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.8",
        "192.168.1.1",
        "172.16.5.4",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "::ffff:10.0.0.1",
        "fe80::1",
        "fc00::1",
        "224.0.0.1",
        # IPv4 carried inside IPv6: IPv4-compatible, NAT64 (the metadata service), 6to4.
        "::10.0.0.1",
        "64:ff9b::a9fe:a9fe",
        "2002:c0a8:101::1",
    ],
)
def test_private_link_local_and_metadata_addresses_are_refused(address: str) -> None:
    import ipaddress

    guard = AddressGuard(allow_loopback=True)
    assert not guard.is_allowed(ipaddress.ip_address(address))


def test_public_address_is_allowed() -> None:
    import ipaddress

    assert AddressGuard().is_allowed(ipaddress.ip_address("93.184.215.14"))
    assert not AddressGuard().is_allowed(ipaddress.ip_address("127.0.0.1"))
    assert not AddressGuard().is_allowed(ipaddress.ip_address("::127.0.0.1"))
    assert not AddressGuard().is_allowed(ipaddress.ip_address("2002:7f00:1::1"))


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.org/x", "http://user:pw@example.org/", "http:///nohost"],
)
def test_non_web_urls_are_refused(fetch_settings: Settings, url: str) -> None:
    with Fetcher(fetch_settings) as fetcher, pytest.raises(FetchRefused):
        fetcher.fetch(url)


@pytest.mark.parametrize("host", ["[64:ff9b::a9fe:a9fe]", "[::10.0.0.1]", "[2002:c0a8:101::1]"])
def test_ipv4_hidden_in_an_ipv6_literal_is_refused_before_connecting(
    fetch_settings: Settings, host: str
) -> None:
    with Fetcher(fetch_settings) as fetcher, pytest.raises(FetchRefused, match="refused"):
        fetcher.fetch(f"http://{host}/latest/meta-data/")


def test_response_over_the_cap_is_refused(fetch_settings: Settings) -> None:
    big = b"a" * 10_000
    routes = {
        "/declared": Route(body=big),
        # Lies about its length: the cap is enforced on bytes received, too.
        "/undeclared": Route(body=big, headers={"Content-Length": "100"}),
    }
    with local_site(routes) as site, Fetcher(fetch_settings) as fetcher:
        with pytest.raises(CaptureTooLarge, match="declares 10,000 bytes"):
            fetcher.fetch(site.url("/declared"))
        raw = fetcher.fetch(site.url("/undeclared"))
        assert len(raw.data) == 100  # httpx stops at the declared length


def test_slow_site_times_out(fetch_settings: Settings) -> None:
    routes = {"/slow": Route(body=b"x" * 40, chunks=40, chunk_delay=0.1)}
    with local_site(routes) as site, Fetcher(fetch_settings) as fetcher:
        with pytest.raises(FetchError, match="timed out"):
            fetcher.fetch(site.url("/slow"))


def test_http_error_status_is_reported(fetch_settings: Settings) -> None:
    with local_site({}) as site, Fetcher(fetch_settings) as fetcher:
        with pytest.raises(FetchError, match="HTTP 404") as raised:
            fetcher.fetch(site.url("/deleted-post"))
    assert raised.value.http_status == 404


def test_dead_site_is_a_fetch_error(fetch_settings: Settings) -> None:
    with local_site({}) as site:
        dead = site.base_url
    with Fetcher(fetch_settings) as fetcher, pytest.raises(FetchError, match="cannot fetch"):
        fetcher.fetch(dead + "/a")


def test_a_name_that_does_not_resolve_is_transient_and_retried(tmp_path: Path) -> None:
    # `.invalid` never resolves (RFC 2606): the resolver's failure looks like an outage.
    settings = make_settings(tmp_path, "sqlite://", fetch_attempts="3")
    lookups: list[str] = []
    with Fetcher(settings) as fetcher:
        resolve = fetcher.guard.resolve

        def counted(url: str) -> ResolvedTarget:
            lookups.append(url)
            return resolve(url)

        fetcher.guard.resolve = counted  # type: ignore[method-assign]
        with pytest.raises(FetchTransient, match=r"cannot resolve news\.marsad-test\.invalid"):
            fetcher.fetch("https://news.marsad-test.invalid/item/1")
    assert len(lookups) == 3  # tried again with backoff, then left for the next crawl
