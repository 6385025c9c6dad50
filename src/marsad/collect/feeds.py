"""The `feed` kind: an RSS or Atom feed whose items link to article pages.

Each crawl reads the feed with a conditional GET (unchanged → 304 → only pending pages are
tried) and captures the item pages not captured before. The feed itself is not a capture: it
is a list of links, and the pages are the evidence. A feed that cannot be parsed fails the
crawl with a message naming the parser's complaint, and the source backs off.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import urldefrag, urljoin

import feedparser

from marsad.collect.content import RawContent
from marsad.collect.kinds import Attempt, CollectContext
from marsad.collect.web import conditional_fetch, page_attempts
from marsad.errors import MalformedContent


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


def feed_links(raw: RawContent) -> list[str]:
    """The item links of an RSS/Atom feed, in feed order; raises MalformedContent."""
    # Bytes, never a URL: feedparser must not fetch anything itself (the fetcher guards).
    parsed = feedparser.parse(
        raw.data,
        response_headers={
            "content-type": raw.content_type or "application/xml",
            "content-location": raw.url,
        },
    )
    links = (_entry_link(entry, raw.url) for entry in parsed.get("entries", []))
    unique = list(dict.fromkeys(link for link in links if link))
    # A sloppy feed that still yields item links is read; one cut off before any is not.
    if parsed.get("bozo") and not unique:
        problem = parsed.get("bozo_exception")
        raise MalformedContent(f"{raw.url} is not a readable RSS/Atom feed: {problem}")
    if not parsed.get("version") and not parsed.get("entries"):
        raise MalformedContent(f"{raw.url} is not an RSS or Atom feed")
    return unique


class FeedCollector:
    kind: ClassVar[str] = "feed"

    def attempts(self, locator: str, context: CollectContext) -> Iterator[Attempt]:
        raw = conditional_fetch(context, locator, "validators")
        links = feed_links(raw) if raw is not None else []
        if raw is not None and not links:
            # Remember nothing for an empty feed: it may be a server hiccup worth re-reading.
            context.state["validators"].pop(locator, None)
        yield from page_attempts(links, context)
