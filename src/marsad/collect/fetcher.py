"""HTTP fetching for hostile sites: size and time caps, redirect checks, an SSRF guard — and
politeness (robots.txt, per-host spacing, retries with backoff, conditional GET).

Every hop (the first request and each redirect) is resolved first; if any address of the host
is private, loopback, link-local, reserved or multicast the URL is refused. The connection then
goes to the address that was checked (the Host header and TLS SNI keep the name), so a DNS
answer that changes between check and connect cannot smuggle a private address in.

Compressed bodies are inflated here, in bounded steps, so the size cap applies to the decoded
bytes: a 10 KB gzip bomb that inflates to gigabytes stops at the cap.
"""

from __future__ import annotations

import copy
import ipaddress
import socket
import time
import zlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import httpx

from marsad.collect.content import RawContent
from marsad.collect.politeness import HostGate, RetryPolicy, RobotsCache
from marsad.config import Settings
from marsad.errors import (
    CaptureTooLarge,
    FetchError,
    FetchRefused,
    FetchTransient,
    NotModified,
)
from marsad.netaddress import may_contact

ALLOWED_SCHEMES = ("http", "https")
MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
# Statuses worth another try later; anything else >= 400 is final.
TRANSIENT_STATUSES = {429, 500, 502, 503, 504}
# Only what we can inflate with a bounded output size.
ACCEPT_ENCODING = "gzip, deflate"
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class ResolvedTarget:
    url: httpx.URL
    address: IPAddress


@dataclass(frozen=True)
class ByteLimit:
    """The most bytes one fetch may bring, and the setting a user raises for more."""

    max_bytes: int
    setting: str = "MARSAD_MAX_CAPTURE_BYTES"


@dataclass(frozen=True)
class Validators:
    """What a server said identifies a version of a resource, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None

    @classmethod
    def from_headers(cls, headers: dict[str, str]) -> Validators:
        lowered = {name.lower(): value for name, value in headers.items()}
        return cls(lowered.get("etag"), lowered.get("last-modified"))

    @classmethod
    def from_state(cls, state: Any) -> Validators:
        if not isinstance(state, dict):
            return cls()
        return cls(state.get("etag"), state.get("last_modified"))

    def to_state(self) -> dict[str, str]:
        state = {"etag": self.etag, "last_modified": self.last_modified}
        return {key: value for key, value in state.items() if value}

    def request_headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


class AddressGuard:
    """Decides which resolved addresses may be contacted."""

    def __init__(self, allow_loopback: bool = False) -> None:
        self.allow_loopback = allow_loopback

    def is_allowed(self, address: IPAddress) -> bool:
        return may_contact(address, self.allow_loopback)

    def resolve(self, url: str) -> ResolvedTarget:
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise FetchRefused(f"not a valid URL: {url!r} ({exc})") from None
        if parsed.scheme not in ALLOWED_SCHEMES:
            raise FetchRefused(f"refused {url}: only http and https URLs are fetched")
        if not parsed.host:
            raise FetchRefused(f"refused {url}: the URL has no host")
        if parsed.userinfo:
            raise FetchRefused(f"refused {url}: credentials in URLs are not sent")
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        try:
            answers = socket.getaddrinfo(parsed.host, port, type=socket.SOCK_STREAM)
        except UnicodeError as exc:
            raise FetchError(f"cannot resolve {parsed.host}: {exc}") from None
        except socket.gaierror as exc:
            # A resolver that is down or slow looks like a missing name: try again later.
            raise FetchTransient(f"cannot resolve {parsed.host}: {exc}") from None
        addresses = [ipaddress.ip_address(answer[4][0]) for answer in answers]
        refused = [str(address) for address in addresses if not self.is_allowed(address)]
        if refused or not addresses:
            raise FetchRefused(
                f"refused {url}: {parsed.host} resolves to a non-public address "
                f"({', '.join(refused)}); set MARSAD_FETCH_ALLOW_LOOPBACK=1 only for local tests"
            )
        return ResolvedTarget(url=parsed, address=addresses[0])


class BoundedInflater:
    """Decodes a Content-Encoding chunk by chunk, never producing more than `limit` bytes."""

    def __init__(self, encoding: str, limit: int, url: str) -> None:
        self.limit = limit
        self.url = url
        self.produced = 0
        self.fed = False
        encoding = encoding.strip().lower()
        self._decoder: Any = None
        self._raw_deflate_fallback = encoding == "deflate"
        if encoding == "gzip" or encoding == "x-gzip":
            self._decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._decoder = zlib.decompressobj()
        elif encoding not in ("", "identity"):
            raise FetchError(f"{url} was sent with unsupported Content-Encoding {encoding!r}")

    def feed(self, chunk: bytes) -> bytes:
        if self._decoder is None:
            return self._count(chunk)
        self.fed = self.fed or bool(chunk)
        room = self.limit - self.produced + 1
        try:
            data = self._decoder.decompress(chunk, room)
        except zlib.error as exc:
            if self._raw_deflate_fallback and self.produced == 0:
                # Some servers send raw deflate without the zlib header.
                self._raw_deflate_fallback = False
                self._decoder = zlib.decompressobj(-zlib.MAX_WBITS)
                return self.feed(chunk)
            raise FetchError(f"{self.url} sent a corrupt compressed body: {exc}") from None
        self._raw_deflate_fallback = False
        return self._count(data)

    def finish(self) -> None:
        """Raises when the compressed stream stopped before its end (a cut-off body would
        otherwise pass for a whole one; a retry may get it all). An empty body (a 304, a HEAD)
        is no stream at all."""
        if self._decoder is not None and self.fed and not self._decoder.eof:
            raise FetchTransient(f"{self.url} sent a truncated compressed body")

    def _count(self, data: bytes) -> bytes:
        self.produced += len(data)
        if self.produced > self.limit:
            raise CaptureTooLarge(
                f"{self.url} decodes to more than the capture limit of {self.limit:,} bytes "
                "(MARSAD_MAX_CAPTURE_BYTES)"
            )
        return data


class Fetcher:
    """One HTTP client for a run. Per-host spacing and the robots.txt cache are shared by every
    view made with `obeying_robots`, so all sources of a crawl are polite together."""

    def __init__(self, settings: Settings, obey_robots: bool = False) -> None:
        self.max_bytes = settings.max_capture_bytes
        self.limit = ByteLimit(self.max_bytes)
        self.timeout = settings.fetch_timeout
        self.guard = AddressGuard(allow_loopback=settings.fetch_allow_loopback)
        self.retry = RetryPolicy.from_settings(settings)
        self.gate = HostGate.from_settings(settings)
        self.robots = RobotsCache(settings.user_agent, self._read_robots)
        self.obey_robots = obey_robots
        self.client = httpx.Client(
            timeout=httpx.Timeout(settings.fetch_timeout),
            follow_redirects=False,
            headers={
                "User-Agent": settings.user_agent,
                "Accept": "text/html,*/*;q=0.8",
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            trust_env=False,  # a proxy from the environment would bypass the address guard
        )

    def obeying_robots(self, obey: bool) -> Fetcher:
        """The same client, spacing and robots cache, with robots.txt obeyed or not."""
        view = copy.copy(self)
        view.obey_robots = obey
        return view

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def fetch(
        self, url: str, validators: Validators | None = None, limit: ByteLimit | None = None
    ) -> RawContent:
        """GET `url`; raises NotModified when `validators` still match (HTTP 304). `limit`
        replaces MARSAD_MAX_CAPTURE_BYTES (a video's MARSAD_VIDEO_MAX_BYTES)."""
        headers = validators.request_headers() if validators else {}
        raw = self._get_with_retries(url, headers, limit or self.limit)
        if raw.http_status == 304:
            raise NotModified(f"{url} is unchanged since the last capture")
        if raw.http_status is not None and raw.http_status >= 400:
            raise FetchError(f"HTTP {raw.http_status} for {raw.url}", raw.http_status)
        return raw

    def _get_with_retries(
        self, url: str, headers: dict[str, str], limit: ByteLimit | None = None
    ) -> RawContent:
        for attempt in range(1, self.retry.attempts + 1):
            last = attempt == self.retry.attempts
            try:
                raw = self._get(url, headers, limit or self.limit)
            except FetchTransient:
                if last:
                    raise
                time.sleep(self.retry.delay(attempt))
                continue
            if raw.http_status in TRANSIENT_STATUSES:
                if last:
                    raise FetchTransient(
                        f"HTTP {raw.http_status} for {raw.url} "
                        f"(after {self.retry.attempts} attempts)",
                        raw.http_status,
                    )
                time.sleep(self.retry.delay(attempt, raw.headers.get("retry-after")))
                continue
            return raw
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _read_robots(self, robots_url: str) -> tuple[int, bytes]:
        raw = self._get_with_retries(robots_url, {})
        return raw.http_status or 0, raw.data

    def _get(self, url: str, headers: dict[str, str], limit: ByteLimit) -> RawContent:
        """One try: follow redirects (each hop checked), any final status returned."""
        deadline = time.monotonic() + self.timeout
        for _hop in range(MAX_REDIRECTS + 1):
            target = self.guard.resolve(url)
            crawl_delay = 0.0
            if self.obey_robots and not target.url.path.endswith("/robots.txt"):
                crawl_delay = self.robots.check(url, _origin(target.url))
            with self.gate.slot(_host_header(target.url), crawl_delay):
                raw_or_location = self._request(target, url, headers, deadline, limit)
            if isinstance(raw_or_location, RawContent):
                return raw_or_location
            url = raw_or_location
        raise FetchRefused(f"refused {url}: more than {MAX_REDIRECTS} redirects")

    def _request(
        self,
        target: ResolvedTarget,
        url: str,
        headers: dict[str, str],
        deadline: float,
        limit: ByteLimit,
    ) -> RawContent | str:
        """One HTTP exchange: the content, or the URL a redirect points to."""
        try:
            with self.client.stream(
                "GET",
                _pinned_url(target),
                headers={"Host": _host_header(target.url), **headers},
                extensions={"sni_hostname": target.url.host},
            ) as response:
                if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
                    return urljoin(url, response.headers["location"])
                data = self._read_capped(response, url, deadline, limit)
        except httpx.TimeoutException:
            raise FetchTransient(f"timed out fetching {url}") from None
        except httpx.TransportError as exc:
            raise FetchTransient(f"cannot fetch {url}: {exc.__class__.__name__}: {exc}") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"cannot fetch {url}: {exc.__class__.__name__}: {exc}") from None
        return RawContent(
            url=url,
            data=data,
            content_type=response.headers.get("content-type"),
            http_status=response.status_code,
            headers=dict(response.headers),
        )

    def _read_capped(
        self, response: httpx.Response, url: str, deadline: float, limit: ByteLimit
    ) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit.max_bytes:
            raise CaptureTooLarge(
                f"{url} declares {int(declared):,} bytes, over the capture limit of "
                f"{limit.max_bytes:,} ({limit.setting})"
            )
        inflater = BoundedInflater(
            response.headers.get("content-encoding", ""), limit.max_bytes, url
        )
        chunks: list[bytes] = []
        received = 0
        for chunk in response.iter_raw():
            received += len(chunk)
            if received > limit.max_bytes:
                raise CaptureTooLarge(
                    f"{url} sent more than the capture limit of {limit.max_bytes:,} bytes "
                    f"({limit.setting})"
                )
            if time.monotonic() > deadline:
                raise FetchTransient(f"timed out fetching {url} after {self.timeout:g} s")
            chunks.append(inflater.feed(chunk))
        inflater.finish()
        return b"".join(chunks)


def _pinned_url(target: ResolvedTarget) -> httpx.URL:
    return target.url.copy_with(host=str(target.address))


def _host_header(url: httpx.URL) -> str:
    default_port = 443 if url.scheme == "https" else 80
    return url.host if url.port in (None, default_port) else f"{url.host}:{url.port}"


def _origin(url: httpx.URL) -> str:
    return f"{url.scheme}://{_host_header(url)}"
