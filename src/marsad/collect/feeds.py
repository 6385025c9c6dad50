"""The `feed` kind: an RSS or Atom feed whose items link to article pages.

Each crawl reads the feed with a conditional GET (unchanged → 304 → only pending pages are
tried). The feed's bytes are a capture of their own, and every entry becomes a document of
what the feed says about it (title, description, date, author, link), so an item whose page
cannot be fetched (404, paywall, gone) is still kept. When the page is captured, now or on a
later crawl, it takes over the entry's document — one item, one document, whatever the number
of snapshots that listed it. A feed that cannot be parsed fails the crawl with a message naming
the parser's complaint, and the source backs off.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from typing import Any, ClassVar
from urllib.parse import urldefrag, urljoin

import feedparser
import lxml.html
from lxml import etree

from marsad.collect.content import RawContent
from marsad.collect.kinds import Attempt, CollectContext, Collected, ListedItem
from marsad.collect.web import conditional_fetch, page_attempts
from marsad.errors import MalformedContent
from marsad.text.dates import PartialDate, default_date_extractor

# Older versions kept every entry here until its page arrived (unbounded when pages failed);
# the entry's document now holds it, so the key is dropped from the state.
LISTED_STATE = "listed"
# What a feed starts with, after an optional BOM, XML declaration, comments and doctype.
FEED_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(rss|feed|RDF)[\s>/]")
FEED_SNIFF_BYTES = 4096
FEED_CONTENT_TYPES = ("rss", "atom", "rdf")
# Elements that end a line of an entry's text, and the mark put after them while reading it.
PARAGRAPH_MARK = "\u2029"
TEXT_BLOCKS = ("p", "br", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr")


def _entry_link(entry: Any, base: str) -> str | None:
    candidates = [entry.get("link")] + [
        link.get("href") for link in entry.get("links", []) if link.get("rel") == "alternate"
    ]
    for candidate in candidates:
        if candidate:
            url = urldefrag(urljoin(base, str(candidate).strip()))[0]
            if url.startswith(("http://", "https://")):
                return url
    return None


def _entry_time(entry: Any) -> datetime | None:
    """The entry's published (else updated) time, as feedparser normalised it to UTC."""
    for key in ("published_parsed", "updated_parsed"):
        # `in` first: feedparser answers a missing `updated*` with `published*` (deprecated).
        parsed = entry.get(key) if key in entry else None
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
            except (TypeError, ValueError, OverflowError):
                continue
    return None


def _plain_text(html: str) -> str:
    """An entry's description as text, a line per paragraph: feedparser sanitised its HTML,
    lxml drops the tags; inside a paragraph, line breaks of the markup are mere spaces."""
    segments = html.splitlines()
    if "<" in html or "&" in html:
        try:
            root = lxml.html.fragment_fromstring(html, create_parent="div")
        except (etree.ParserError, ValueError):
            root = None
        if root is not None:
            try:
                for block in root.iter(*TEXT_BLOCKS):
                    block.tail = PARAGRAPH_MARK + (block.tail or "")
            except ValueError:  # a control character lxml read but will not write back
                pass
            segments = root.text_content().split(PARAGRAPH_MARK)
    lines = (" ".join(segment.split()) for segment in segments)
    return "\n".join(line for line in lines if line)


def _entry_body(entry: Any) -> str:
    """The entry's fullest text: its content (Atom <content>, RSS <content:encoded>) when it
    has one, else its description."""
    bodies = [str(part.get("value") or "") for part in entry.get("content") or []]
    return max(bodies, key=len, default="") or str(entry.get("summary") or "")


def _item_url(entry: Any, link: str | None, feed_url: str) -> str:
    """The entry's page, else a stable address inside the feed built from its id or text."""
    if link:
        return link
    key = str(entry.get("id") or "") or f"{entry.get('title', '')}\n{entry.get('summary', '')}"
    return f"{feed_url}#item-{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def _written_date(entry: Any, language: str | None, fetched_at: datetime) -> PartialDate | None:
    """The entry's date string as a date field, when feedparser could not read it: a
    localised date ("الأحد 5 يناير 2020", Jalali) or an age ("منذ يومين", "2 days"), which
    counts back from the feed's capture time."""
    for key in ("published", "updated"):
        written = " ".join(str(entry.get(key) if key in entry else "").split())
        if written:
            return default_date_extractor().read_field(written, language, fetched_at)
    return None


def _listed(
    entry: Any, link: str | None, listing: str, language: str | None, fetched_at: datetime
) -> ListedItem:
    published = _entry_time(entry)
    return ListedItem(
        published=published,
        published_date=None if published else _written_date(entry, language, fetched_at),
        author=str(entry.get("author") or "").strip() or None,
        title=" ".join(str(entry.get("title") or "").split()) or None,
        listing=listing,
        item_url=_item_url(entry, link, listing),
        summary=_plain_text(_entry_body(entry)) or None,
    )


def feed_items(raw: RawContent) -> list[ListedItem]:
    """What each entry of an RSS/Atom feed says, in feed order, one per item address;
    raises MalformedContent."""
    # Bytes, never a URL: feedparser must not fetch anything itself (the fetcher guards).
    try:
        parsed = feedparser.parse(
            raw.data,
            response_headers={
                "content-type": raw.content_type or "application/xml",
                "content-location": raw.url,
            },
        )
    except (ValueError, LookupError) as exc:  # a garbled encoding declaration, NUL bytes
        raise MalformedContent(f"{raw.url} is not a readable RSS/Atom feed: {exc}") from None
    items: dict[str, ListedItem] = {}
    language = str(parsed.get("feed", {}).get("language") or "") or None  # RSS <language>
    for entry in parsed.get("entries", []):
        item = _listed(entry, _entry_link(entry, raw.url), raw.url, language, raw.fetched_at)
        if item.item_url and (item.title or item.summary) and item.item_url not in items:
            items[item.item_url] = item
    # A sloppy feed that still yields items is read; one cut off before any is not.
    if parsed.get("bozo") and not items:
        problem = " ".join(str(parsed.get("bozo_exception")).split())
        raise MalformedContent(f"{raw.url} is not a readable RSS/Atom feed: {problem}")
    if not parsed.get("version") and not parsed.get("entries"):
        raise MalformedContent(f"{raw.url} is not an RSS or Atom feed")
    return list(items.values())


def page_link(item: ListedItem) -> str | None:
    """The page to fetch for an item (None when the feed gives no web link)."""
    url = item.item_url or ""
    return url if url.startswith(("http://", "https://")) and "#" not in url else None


def feed_links(raw: RawContent) -> list[str]:
    """The item page links of an RSS/Atom feed, in feed order; raises MalformedContent."""
    return [link for item in feed_items(raw) if (link := page_link(item))]


def looks_like_feed(raw: RawContent) -> bool:
    """An RSS/Atom/RDF document, by its declared type or by its root element."""
    declared = (raw.content_type or "").lower()
    if any(kind in declared for kind in FEED_CONTENT_TYPES):
        return True
    if raw.url.lower().endswith((".rss", ".atom")):
        return True
    head = raw.data[:FEED_SNIFF_BYTES]
    # Skip the declaration, comments and doctype: the first element decides.
    head = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", head, flags=re.DOTALL)
    match = FEED_ROOT.search(head)
    return match is not None and head[: match.start()].strip(b"\xef\xbb\xbf \t\r\n") == b""


def feed_capture(raw: RawContent, items: list[ListedItem] | None = None) -> Collected:
    """The feed's bytes as a capture, its entries as documents."""
    return Collected(raw, items=tuple(feed_items(raw) if items is None else items), is_listing=True)


def collected_content(raw: RawContent) -> Collected:
    """What `marsad ingest` records for a file or URL: a saved or served feed is read item by
    item; a feed too broken to read is kept as a plain capture (its bytes are never lost)."""
    if looks_like_feed(raw):
        try:
            return feed_capture(raw)
        except MalformedContent:
            return Collected(raw)
    return Collected(raw)


class FeedCollector:
    kind: ClassVar[str] = "feed"

    def attempts(self, locator: str, context: CollectContext) -> Iterator[Attempt]:
        context.state.pop(LISTED_STATE, None)
        raw = conditional_fetch(context, locator, "validators")
        items = feed_items(raw) if raw is not None else []
        if raw is not None:
            if not items:
                # Remember nothing for an empty feed: it may be a server hiccup worth re-reading.
                context.state["validators"].pop(locator, None)
            yield locator, partial(feed_capture, raw, items)
        listed = {link: item for item in items if (link := page_link(item))}
        # Pages pending from earlier crawls (after a 304) are found by their entry's document.
        for link, read in page_attempts(list(listed), context, retry_missing=True):
            entry = listed.get(link) or ListedItem(listing=locator, item_url=link)
            yield link, partial(_with_listing, read, entry)


def _with_listing(read: Callable[[], Collected], listed: ListedItem) -> Collected:
    return replace(read(), listed=listed)
