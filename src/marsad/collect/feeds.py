"""The `feed` kind: an RSS or Atom feed whose items link to article pages.

Each crawl reads the feed with a conditional GET (unchanged → 304 → only pending pages are
tried) and captures the item pages not captured before. The feed itself is not a capture: it
is a list of links, and the pages are the evidence. A feed that cannot be parsed fails the
crawl with a message naming the parser's complaint, and the source backs off.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from typing import Any, ClassVar
from urllib.parse import urldefrag, urljoin

import feedparser

from marsad.collect.content import RawContent
from marsad.collect.kinds import Attempt, CollectContext, Collected, ListedItem
from marsad.collect.web import conditional_fetch, page_attempts
from marsad.errors import MalformedContent

LISTED_STATE = "listed"  # source state: page link -> its feed entry's metadata


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
        parsed = entry.get(key)
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
            except (TypeError, ValueError, OverflowError):
                continue
    return None


def _listed(entry: Any, listing: str) -> dict[str, str]:
    """What the entry says about its page, JSON-ready (it waits in the source state while the
    page is pending)."""
    published = _entry_time(entry)
    found = {
        "published": published.isoformat() if published else None,
        "author": str(entry.get("author") or "").strip() or None,
        "title": str(entry.get("title") or "").strip() or None,
        "listing": listing,
    }
    return {key: value for key, value in found.items() if value}


def listed_item(data: dict[str, str]) -> ListedItem:
    published = data.get("published")
    return ListedItem(
        published=datetime.fromisoformat(published) if published else None,
        author=data.get("author"),
        title=data.get("title"),
        listing=data.get("listing"),
    )


def feed_entries(raw: RawContent) -> dict[str, dict[str, str]]:
    """Item link -> what the entry says about it, in feed order; raises MalformedContent."""
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
    entries: dict[str, dict[str, str]] = {}
    for entry in parsed.get("entries", []):
        link = _entry_link(entry, raw.url)
        if link and link not in entries:
            entries[link] = _listed(entry, raw.url)
    unique = list(entries)
    # A sloppy feed that still yields item links is read; one cut off before any is not.
    if parsed.get("bozo") and not unique:
        problem = parsed.get("bozo_exception")
        raise MalformedContent(f"{raw.url} is not a readable RSS/Atom feed: {problem}")
    if not parsed.get("version") and not parsed.get("entries"):
        raise MalformedContent(f"{raw.url} is not an RSS or Atom feed")
    return entries


def feed_links(raw: RawContent) -> list[str]:
    """The item links of an RSS/Atom feed, in feed order; raises MalformedContent."""
    return list(feed_entries(raw))


class FeedCollector:
    kind: ClassVar[str] = "feed"

    def attempts(self, locator: str, context: CollectContext) -> Iterator[Attempt]:
        raw = conditional_fetch(context, locator, "validators")
        entries = feed_entries(raw) if raw is not None else {}
        if raw is not None and not entries:
            # Remember nothing for an empty feed: it may be a server hiccup worth re-reading.
            context.state["validators"].pop(locator, None)
        # Entries wait beside their pending pages: a page captured on a later crawl (after a
        # 304 of the feed) still gets its entry's date and author.
        waiting: dict[str, dict[str, str]] = context.state.setdefault(LISTED_STATE, {})
        for link, listed in entries.items():
            waiting.setdefault(link, listed)
        for link, read in page_attempts(list(entries), context):
            yield link, partial(_with_listing, read, waiting, link)


def _with_listing(
    read: Callable[[], Collected], waiting: dict[str, dict[str, str]], link: str
) -> Collected:
    collected = read()
    listed = waiting.pop(link, None)
    return replace(collected, listed=listed_item(listed)) if listed else collected
