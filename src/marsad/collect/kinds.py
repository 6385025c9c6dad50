"""What every source kind (feed, web, telegram, telegram-export, files, warc) gives the crawler.

A collector never writes to the store itself: it yields *attempts* — a URL and a deferred read —
and the crawler records each one (capture, or failed capture) in its own transaction, so a bad
item never stops the others and nothing captured before a crash is lost.

Most captures hold one readable document (a page). Some hold several: a Telegram channel page
carries twenty posts, an export file thousands of messages. Those come back as `CollectedPost`s,
each becoming its own Document (`Document.part` = the post's id) with its text already cut.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol

from marsad.collect.content import RawContent
from marsad.collect.fetcher import Fetcher
from marsad.collect.message_content import MessageContent
from marsad.config import Settings
from marsad.text.dates.model import PartialDate


@dataclass(frozen=True)
class CollectedPost:
    """One readable item inside a capture: a Telegram post, a message of an export."""

    part: str  # stable id within the capture, e.g. the post number
    url: str  # where the item itself can be seen (t.me/channel/123)
    text: str
    title: str | None = None
    published: datetime | None = None
    author: str | None = None  # channel or signature
    views: int | None = None
    forwarded_from: str | None = None  # channel/name the post was forwarded from
    media: tuple[str, ...] = ()  # links to photos, videos, files
    photos: tuple[str, ...] = ()  # the post's pictures, captured beside it
    videos: tuple[str, ...] = ()  # the post's videos, captured beside it
    links: tuple[str, ...] = ()  # outgoing links in the text
    content: MessageContent | None = None  # a location, poll, venue, contact ... it carries


@dataclass(frozen=True)
class ListedItem:
    """What a listing (a feed entry) says about the page it links to."""

    published: datetime | None = None
    # The entry's date string read as a date field when feedparser could not read it (a
    # localised or "2 days ago" date), with its precision and certainty.
    published_date: PartialDate | None = None
    author: str | None = None
    title: str | None = None
    listing: str | None = None  # the feed's URL
    # The item's own address: its page's link, or the feed URL + '#' + its id when it has none.
    item_url: str | None = None
    summary: str | None = None  # the entry's description, as plain text


@dataclass(frozen=True)
class Collected:
    content: RawContent
    posts: tuple[CollectedPost, ...] = ()
    listed: ListedItem | None = None  # a page reached through a feed entry
    # A feed capture: each entry becomes a document of the feed's own content, until its page
    # arrives and takes that document over (one item = one document across snapshots).
    items: tuple[ListedItem, ...] = ()
    is_listing: bool = False  # a feed, even an empty one, is never a document itself
    attached_to: str | None = None  # a post's (or a page's) medium: the post's URL
    media: tuple[str, ...] = ()  # a page's media captured beside it (the `media` option)


@dataclass
class CollectContext:
    fetcher: Fetcher
    settings: Settings
    # The source's persisted collector state (ETag, Last-Modified, cursors, seen item ids ...).
    # Collectors update it in place; the crawler saves it after the run.
    state: dict[str, Any]
    # Whether a URL was already captured with success (lets collectors skip known articles).
    already_captured: Callable[[str], bool] = field(default=lambda _url: False)
    # What the analyst set at `marsad source add` (scope rules, ...); read-only for collectors.
    options: dict[str, Any] = field(default_factory=dict)


Attempt = tuple[str, Callable[[], Collected]]  # (url, read) — read raises CaptureError on failure


class SourceCollector(Protocol):
    kind: ClassVar[str]

    def attempts(self, locator: str, context: CollectContext) -> Iterator[Attempt]:
        """The captures to make for one crawl of the source at `locator`."""
        ...
