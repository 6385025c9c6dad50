"""The `web` kind: a site watched from a start page and its sitemaps; new article pages in
scope are captured.

Each crawl re-reads the start page and the sitemaps with a conditional GET (unchanged → 304 →
nothing recorded), follows the links in scope and captures the pages not captured before, at
most MARSAD_CRAWL_MAX_PAGES per crawl. Links not reached yet, and pages that failed for a
passing reason, wait in the source's state for the next crawl, so a 304 loses nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from courlan.filters import extension_filter, is_not_crawlable
from lxml import etree

from marsad.collect.content import RawContent
from marsad.collect.fetcher import BoundedInflater, Validators
from marsad.collect.kinds import Attempt, CollectContext, Collected
from marsad.collect.page_media import WEB_MEDIA_PER_PAGE, medium_attempts, page_media, wants_media
from marsad.config import Setting, parse_positive_int
from marsad.errors import (
    CaptureError,
    DecodingError,
    FetchError,
    FetchTransient,
    MalformedContent,
    NotModified,
)
from marsad.text.decode import decode_content

MAX_PAGES = Setting(
    "crawl_max_pages",
    50,
    "New pages captured per crawl of one source; the rest wait for the next crawl.",
    parse_positive_int,
)
# Bounds on what a source keeps in its state and on what one crawl reads.
MAX_PENDING = 5000
MAX_REMEMBERED = 5000
MAX_TRIES = 3
MISSING_STATUSES = (404, 410)  # a page not (or no longer) there
MAX_SITEMAPS = 20
# Hardened: no entities, no network, no huge trees (billion laughs, XXE).
SITEMAP_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
)
SCOPE_REGEX_PREFIX = "re:"


@dataclass(frozen=True)
class LinkScope:
    """Which links of a site belong to the source: same host, and the optional rules."""

    host: str
    path_prefix: str | None = None
    pattern: str | None = None

    @classmethod
    def for_source(cls, locator: str, options: dict[str, Any]) -> LinkScope:
        return cls(
            host=(urlsplit(locator).netloc or "").lower(),
            path_prefix=options.get("path_prefix"),
            pattern=options.get("pattern"),
        )

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc.lower() != self.host:
            return False
        if self.path_prefix and not parts.path.startswith(self.path_prefix):
            return False
        if self.pattern and not re.search(self.pattern, url):
            return False
        # Images, archives, login and feed pages are not articles.
        return extension_filter(parts.path) and not is_not_crawlable(url)


def scope_options(scope: str | None) -> dict[str, str]:
    """`--scope /ar/news/` (a path prefix) or `--scope 're:/20\\d\\d/'` (a regex on the URL)."""
    if not scope:
        return {}
    if scope.startswith(SCOPE_REGEX_PREFIX):
        pattern = scope.removeprefix(SCOPE_REGEX_PREFIX)
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(
                f"--scope: not a valid regular expression {pattern!r}: {exc}"
            ) from None
        return {"pattern": pattern}
    if not scope.startswith("/"):
        raise ValueError(
            f"--scope: give a path prefix starting with '/' or a regex as 're:...', not {scope!r}"
        )
    return {"path_prefix": scope}


def page_tree(raw: RawContent) -> tuple[etree._Element, str] | None:
    """An HTML page's tree and the base its links resolve against; None when unreadable."""
    try:
        text = decode_content(raw.data, raw.content_type).text
        root = lxml.html.document_fromstring(text)
    except ValueError:  # a str with an XML encoding declaration: let lxml read the bytes
        root = lxml.html.document_fromstring(raw.data)
    except (DecodingError, etree.ParserError):
        return None
    base = raw.url
    for href in root.xpath("//base/@href")[:1]:
        base = urljoin(base, str(href).strip())
    return root, base


def page_links(raw: RawContent) -> list[str]:
    """Absolute links (without fragments) of an HTML page, in document order, deduplicated."""
    tree = page_tree(raw)
    if tree is None:
        return []
    root, base = tree
    links = (urldefrag(urljoin(base, str(href).strip()))[0] for href in root.xpath("//a/@href"))
    return list(dict.fromkeys(link for link in links if link))


def with_media(raw: RawContent, context: CollectContext, found: dict[str, list[str]]) -> Collected:
    """The page as collected; with the source's `media` option, its media URLs listed on it
    and kept in `found` (page URL -> media) for the attempts that capture them."""
    if not wants_media(context) or (tree := page_tree(raw)) is None:
        return Collected(raw)
    media = page_media(*tree, context.settings.value_of(WEB_MEDIA_PER_PAGE))
    found[raw.url] = media
    return Collected(raw, media=tuple(media))


def media_after(found: dict[str, list[str]], context: CollectContext) -> Iterator[Attempt]:
    """Captures of the media of the page just read (none when it failed or has none)."""
    while found:
        page_url, media = found.popitem()
        yield from medium_attempts(media, page_url, context)


def sitemap_entries(raw: RawContent, max_bytes: int) -> tuple[str, list[str]]:
    """('urlset' | 'sitemapindex', locations); newest first when <lastmod> says so."""
    data = raw.data
    if data[:2] == b"\x1f\x8b":  # sitemap.xml.gz
        inflater = BoundedInflater("gzip", max_bytes, raw.url)
        data = inflater.feed(data)
        inflater.finish()
    try:
        root = etree.fromstring(data, SITEMAP_PARSER)
    except etree.XMLSyntaxError as exc:
        raise MalformedContent(f"{raw.url} is not a readable sitemap: {exc}") from None
    kind = etree.QName(root).localname
    if kind not in ("urlset", "sitemapindex"):
        raise MalformedContent(f"{raw.url} is not a sitemap (its root element is <{kind}>)")
    entries: list[tuple[str, str]] = []
    for entry in root:
        fields = {
            etree.QName(child).localname: (child.text or "").strip()
            for child in entry
            if isinstance(child.tag, str)
        }
        if fields.get("loc"):
            entries.append((fields.get("lastmod", ""), urljoin(raw.url, fields["loc"])))
    entries.sort(key=lambda entry: entry[0], reverse=True)  # stable: no lastmod keeps order
    return kind, [location for _lastmod, location in entries]


class LinkBook:
    """The source's memory of links: pending ones (with failed tries) and ones done."""

    def __init__(self, state: dict[str, Any], retry_missing: bool = False) -> None:
        self.pending: dict[str, int] = state.setdefault("pending", {})
        # A feed often lists an item before its page is up: its 404 is worth a few more tries.
        self.retry_missing = retry_missing
        self.done: list[str] = state.setdefault("done", [])
        self._done = set(self.done)

    def add(self, links: Iterable[str], context: CollectContext) -> None:
        for link in links:
            if len(self.pending) >= MAX_PENDING:
                return
            known = link in self.pending or link in self._done
            if not known and not context.already_captured(link):
                self.pending[link] = 0

    def succeeded(self, link: str) -> None:
        self.pending.pop(link, None)
        if link not in self._done:
            self.done.append(link)
            self._done.add(link)
            del self.done[:-MAX_REMEMBERED]

    def failed(self, link: str, error: CaptureError) -> None:
        tries = self.pending.pop(link, 0) + 1
        missing = isinstance(error, FetchError) and error.http_status in MISSING_STATUSES
        worth_retrying = isinstance(error, FetchTransient) or (self.retry_missing and missing)
        # Final (404, refused, too large) or tried enough: the recorded failure says why.
        # Otherwise tried again after the links waiting behind it, so retries never starve them.
        if worth_retrying and tries < MAX_TRIES:
            self.pending[link] = tries


def _read_page(
    link: str, book: LinkBook, context: CollectContext, found: dict[str, list[str]]
) -> Collected:
    try:
        raw = context.fetcher.fetch(link)
    except CaptureError as error:
        book.failed(link, error)
        raise
    book.succeeded(link)
    return with_media(raw, context, found)


def page_attempts(
    links: Iterable[str], context: CollectContext, retry_missing: bool = False
) -> Iterator[Attempt]:
    """Captures of the new pages among `links` and those pending, up to the per-crawl budget.

    Shared by the `web` and `feed` kinds."""
    book = LinkBook(context.state, retry_missing)
    book.add(links, context)
    budget = context.settings.value_of(MAX_PAGES)
    found: dict[str, list[str]] = {}
    for link in list(book.pending):
        if budget <= 0:
            return
        if context.already_captured(link):
            book.succeeded(link)
            continue
        budget -= 1
        yield link, partial(_read_page, link, book, context, found)
        yield from media_after(found, context)


def _prefetched(raw: RawContent, context: CollectContext, found: dict[str, list[str]]) -> Collected:
    return with_media(raw, context, found)


def _failed(error: CaptureError) -> Collected:
    raise error


def conditional_fetch(context: CollectContext, url: str, key: str) -> RawContent | None:
    """GET with the validators kept under state[key][url]; None when unchanged (304)."""
    remembered: dict[str, Any] = context.state.setdefault(key, {})
    try:
        raw = context.fetcher.fetch(url, Validators.from_state(remembered.get(url)))
    except NotModified:
        return None
    remembered[url] = Validators.from_headers(raw.headers).to_state()
    return raw


class WebCollector:
    kind: ClassVar[str] = "web"
    settings: ClassVar[tuple[Setting, ...]] = (WEB_MEDIA_PER_PAGE,)

    def attempts(self, locator: str, context: CollectContext) -> Iterator[Attempt]:
        scope = LinkScope.for_source(locator, context.options)
        # A start page that cannot be read fails the crawl (raised): the source backs off.
        start = conditional_fetch(context, locator, "validators")
        links: list[str] = []
        if start is not None:
            found: dict[str, list[str]] = {}
            yield locator, partial(_prefetched, start, context, found)
            yield from media_after(found, context)
            links.extend(page_links(start))
        yield from self._sitemap_attempts(locator, context, links)
        yield from page_attempts((link for link in links if scope.allows(link)), context)

    def _sitemap_attempts(
        self, locator: str, context: CollectContext, links: list[str]
    ) -> Iterator[Attempt]:
        """Reads the sitemaps (robots.txt's, or /sitemap.xml) into `links`; a broken one is a
        failed attempt, a missing one is normal."""
        parts = urlsplit(locator)
        origin = f"{parts.scheme}://{parts.netloc}"
        queue = self._declared_sitemaps(origin, context) or [origin + "/sitemap.xml"]
        read: set[str] = set()
        while queue and len(read) < MAX_SITEMAPS:
            url = queue.pop(0)
            if url in read:
                continue
            read.add(url)
            try:
                raw = conditional_fetch(context, url, "validators")
                if raw is None:
                    continue
                kind, locations = sitemap_entries(raw, context.settings.max_capture_bytes)
            except CaptureError as error:
                context.state["validators"].pop(url, None)  # read it again next time
                if not (isinstance(error, FetchError) and error.http_status == 404):
                    yield url, partial(_failed, error)
                continue
            if kind == "sitemapindex":
                queue.extend(location for location in locations if location not in read)
            else:
                links.extend(locations)

    @staticmethod
    def _declared_sitemaps(origin: str, context: CollectContext) -> list[str]:
        rules = context.fetcher.robots.rules_for(origin)
        if isinstance(rules, Exception):
            return []
        return [urljoin(origin + "/", url) for url in rules.sitemaps]
