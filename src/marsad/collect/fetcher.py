"""HTTP fetching for hostile sites: size and time caps, redirect checks and an SSRF guard.

Every hop (the first request and each redirect) is resolved first; if any address of the host
is private, loopback, link-local, reserved or multicast the URL is refused. The connection then
goes to the address that was checked (the Host header and TLS SNI keep the name), so a DNS
answer that changes between check and connect cannot smuggle a private address in.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from marsad.collect.content import RawContent
from marsad.config import Settings
from marsad.errors import CaptureTooLarge, FetchError, FetchRefused

ALLOWED_SCHEMES = ("http", "https")
MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class ResolvedTarget:
    url: httpx.URL
    address: IPAddress


class AddressGuard:
    """Decides which resolved addresses may be contacted."""

    def __init__(self, allow_loopback: bool = False) -> None:
        self.allow_loopback = allow_loopback

    def is_allowed(self, address: IPAddress) -> bool:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if address.is_loopback:
            return self.allow_loopback
        return address.is_global and not address.is_multicast

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
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchError(f"cannot resolve {parsed.host}: {exc}") from None
        addresses = [ipaddress.ip_address(answer[4][0]) for answer in answers]
        refused = [str(address) for address in addresses if not self.is_allowed(address)]
        if refused or not addresses:
            raise FetchRefused(
                f"refused {url}: {parsed.host} resolves to a non-public address "
                f"({', '.join(refused)}); set MARSAD_FETCH_ALLOW_LOOPBACK=1 only for local tests"
            )
        return ResolvedTarget(url=parsed, address=addresses[0])


class Fetcher:
    def __init__(self, settings: Settings) -> None:
        self.max_bytes = settings.max_capture_bytes
        self.timeout = settings.fetch_timeout
        self.guard = AddressGuard(allow_loopback=settings.fetch_allow_loopback)
        self.client = httpx.Client(
            timeout=httpx.Timeout(settings.fetch_timeout),
            follow_redirects=False,
            headers={"User-Agent": settings.user_agent, "Accept": "text/html,*/*;q=0.8"},
            trust_env=False,  # a proxy from the environment would bypass the address guard
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def fetch(self, url: str) -> RawContent:
        deadline = time.monotonic() + self.timeout
        for _hop in range(MAX_REDIRECTS + 1):
            target = self.guard.resolve(url)
            try:
                with self.client.stream(
                    "GET",
                    _pinned_url(target),
                    headers={"Host": _host_header(target.url)},
                    extensions={"sni_hostname": target.url.host},
                ) as response:
                    if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    data = self._read_capped(response, url, deadline)
            except httpx.TimeoutException:
                raise FetchError(f"timed out fetching {url}") from None
            except httpx.HTTPError as exc:
                raise FetchError(f"cannot fetch {url}: {exc.__class__.__name__}: {exc}") from None
            if response.status_code >= 400:
                raise FetchError(f"HTTP {response.status_code} for {url}", response.status_code)
            return RawContent(
                url=url,
                data=data,
                content_type=response.headers.get("content-type"),
                http_status=response.status_code,
                headers=dict(response.headers),
            )
        raise FetchRefused(f"refused {url}: more than {MAX_REDIRECTS} redirects")

    def _read_capped(self, response: httpx.Response, url: str, deadline: float) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise CaptureTooLarge(
                f"{url} declares {int(declared):,} bytes, over the capture limit of "
                f"{self.max_bytes:,} (MARSAD_MAX_CAPTURE_BYTES)"
            )
        chunks: list[bytes] = []
        received = 0
        for chunk in response.iter_bytes():
            received += len(chunk)
            if received > self.max_bytes:
                raise CaptureTooLarge(
                    f"{url} sent more than the capture limit of {self.max_bytes:,} bytes"
                )
            if time.monotonic() > deadline:
                raise FetchError(f"timed out fetching {url} after {self.timeout:g} s")
            chunks.append(chunk)
        return b"".join(chunks)


def _pinned_url(target: ResolvedTarget) -> httpx.URL:
    return target.url.copy_with(host=str(target.address))


def _host_header(url: httpx.URL) -> str:
    default_port = 443 if url.scheme == "https" else 80
    return url.host if url.port in (None, default_port) else f"{url.host}:{url.port}"
