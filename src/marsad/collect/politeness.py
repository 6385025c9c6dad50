"""Being a polite crawler: robots.txt, a minimum interval and a concurrency cap per host,
retries with exponential backoff.

The settings live here, beside the code that reads them, as plain data (see config.Setting).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import protego

from marsad.config import Setting, Settings, parse_positive_int
from marsad.errors import FetchError, RobotsDisallowed


def parse_non_negative_float(raw: str) -> float:
    value = float(raw.strip())
    if value < 0:
        raise ValueError(f"expected zero or a positive number, got {raw!r}")
    return value


HOST_INTERVAL = Setting(
    "fetch_host_interval",
    1.0,
    "Seconds between the starts of two requests to the same host (robots.txt Crawl-delay, "
    "when longer, wins).",
    parse_non_negative_float,
)
HOST_CONCURRENCY = Setting(
    "fetch_host_concurrency",
    2,
    "Requests in flight at once to one host.",
    parse_positive_int,
)
ATTEMPTS = Setting(
    "fetch_attempts",
    3,
    "Tries per URL when the failure may pass (timeout, connection error, HTTP 5xx or 429).",
    parse_positive_int,
)
RETRY_BACKOFF = Setting(
    "fetch_retry_backoff",
    1.0,
    "Seconds before the first retry; each further retry waits twice as long.",
    parse_non_negative_float,
)
POLITENESS_SETTINGS = (HOST_INTERVAL, HOST_CONCURRENCY, ATTEMPTS, RETRY_BACKOFF)

# Longest wait we accept from a server's Retry-After or Crawl-delay: beyond it, give up politely.
MAX_POLITE_WAIT = 60.0


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int
    backoff: float

    @classmethod
    def from_settings(cls, settings: Settings) -> RetryPolicy:
        return cls(settings.value_of(ATTEMPTS), settings.value_of(RETRY_BACKOFF))

    def delay(self, retry: int, retry_after: str | None = None) -> float:
        """Seconds to wait before retry number `retry` (1, 2, ...)."""
        delay = max(self.backoff * 2 ** (retry - 1), retry_after_seconds(retry_after))
        return float(min(delay, MAX_POLITE_WAIT))


def retry_after_seconds(value: str | None) -> float:
    """A Retry-After header — seconds, or an HTTP date (RFC 9110) — as seconds from now."""
    value = (value or "").strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return 0.0
    if moment.tzinfo is None:  # "-0000": UTC as RFC 5322 writes it
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


class HostGate:
    """Spaces the requests to each host and caps how many run at once (thread-safe)."""

    def __init__(self, interval: float, concurrency: int) -> None:
        self.interval = interval
        self.concurrency = concurrency
        self._lock = threading.Lock()
        self._next_start: dict[str, float] = {}
        self._slots: dict[str, threading.Semaphore] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> HostGate:
        return cls(settings.value_of(HOST_INTERVAL), settings.value_of(HOST_CONCURRENCY))

    @contextmanager
    def slot(self, host: str, min_interval: float = 0.0) -> Iterator[None]:
        """Wait for this host's turn; the request runs inside the block."""
        with self._lock:
            semaphore = self._slots.setdefault(host, threading.Semaphore(self.concurrency))
        with semaphore:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start.get(host, now))
                spacing = min(max(self.interval, min_interval), MAX_POLITE_WAIT)
                self._next_start[host] = start + spacing
            if start > now:
                time.sleep(start - now)
            yield


RobotsReader = Callable[[str], tuple[int, bytes]]  # robots.txt URL -> (HTTP status, body)


class RobotsCache:
    """robots.txt per origin (scheme, host, port), read once per cache, for our User-Agent.

    As RFC 9309 says: a missing robots.txt (4xx) allows everything; one that cannot be read
    (5xx, network failure) disallows everything until it can be read.
    """

    def __init__(self, user_agent: str, read: RobotsReader) -> None:
        self.user_agent = user_agent
        self.read = read
        self._lock = threading.Lock()
        self._rules: dict[str, protego.Protego | FetchError] = {}

    def rules_for(self, origin: str) -> protego.Protego | FetchError:
        with self._lock:
            cached = self._rules.get(origin)
        if cached is not None:
            return cached
        rules: protego.Protego | FetchError
        try:
            status, body = self.read(origin + "/robots.txt")
        except FetchError as error:
            rules = FetchError(f"cannot read {origin}/robots.txt, so nothing is fetched: {error}")
        else:
            if status >= 500:
                rules = FetchError(
                    f"{origin}/robots.txt answered HTTP {status}, so nothing is fetched for now"
                )
            elif status >= 400:
                rules = protego.Protego.parse("")
            else:
                rules = protego.Protego.parse(body.decode("utf-8", errors="replace"))
        with self._lock:
            self._rules[origin] = rules
        return rules

    def check(self, url: str, origin: str) -> float:
        """Raise unless robots.txt allows `url`; returns the host's Crawl-delay (0 if none)."""
        rules = self.rules_for(origin)
        if isinstance(rules, FetchError):
            raise FetchError(str(rules))
        if not rules.can_fetch(url, self.user_agent):
            raise RobotsDisallowed(
                f"robots.txt of {origin} disallows {url} for our User-Agent "
                "(add the source with --ignore-robots to override)"
            )
        return float(rules.crawl_delay(self.user_agent) or 0.0)
