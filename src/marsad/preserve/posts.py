"""Documents for the posts of a capture (a Telegram channel page, a chunk of an export).

A post is one readable item with its text already cut by its collector, so its Document is
complete when recorded: text, title, publication day from the post's own timestamp, and what
the source says about it (author, views, forwarded_from, media, links) in `properties`.

A channel page changes on every visit (view counts), so each visit is a new capture; a post
whose text and media are as already recorded gets no new Document, while an edited post does —
its earlier version stays, as an earlier observation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.collect.kinds import CollectedPost, ListedItem
from marsad.store.models import Capture, Document
from marsad.text.extract import PUBLISHED_FROM_FEED, PUBLISHED_FROM_POST, text_fingerprint

PostKey = tuple[str, str, tuple[str, ...]]  # (url, text fingerprint, media)


def post_properties(post: CollectedPost) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "author": post.author,
        "views": post.views,
        "forwarded_from": post.forwarded_from,
        "media": list(post.media),
        "links": list(post.links),
        "posted_at": post.published.isoformat() if post.published else None,
    }
    if post.content is not None:
        # What kind of message it is and its data (coordinates, options and votes, phone).
        properties["kind"] = post.content.kind
        properties["content"] = post.content.details
    return properties


def _as_utc(moment: datetime) -> datetime:
    # A timestamp without a zone is taken as UTC (what Telegram gives).
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def post_document(
    capture: Capture, post: CollectedPost, language_hint: str | None, seen_at: datetime
) -> Document:
    published = _as_utc(post.published) if post.published else None
    return Document(
        capture=capture,
        part=post.part,
        url=post.url,
        title=post.title,
        text=post.text,
        content_hash=text_fingerprint(post.text),
        language_hint=language_hint,
        # The post's own timestamp: its day (UTC) is certain.
        published=published.date().isoformat() if published else None,
        published_precision="day" if published else None,
        published_certainty="certain" if published else None,
        published_expression=f"{PUBLISHED_FROM_POST} {published.isoformat()}"
        if published
        else None,
        first_seen_at=seen_at,
        properties=post_properties(post),
    )


def post_key(post: CollectedPost) -> PostKey:
    return (post.url, text_fingerprint(post.text), tuple(post.media))


def known_post_keys(session: Session, posts: Sequence[CollectedPost]) -> set[PostKey]:
    """The posts among `posts` already recorded with the same text and media."""
    keys = [post_key(post) for post in posts]
    rows = session.execute(
        select(Document.url, Document.content_hash, Document.properties).where(
            Document.content_hash.in_({key[1] for key in keys}),
            Document.url.in_({key[0] for key in keys}),
            Document.part != "",
        )
    )
    return {
        (url, content_hash or "", tuple((properties or {}).get("media", ())))
        for url, content_hash, properties in rows
    }


def new_post_documents(
    session: Session,
    capture: Capture,
    posts: Iterable[CollectedPost],
    language_hint: str | None,
    seen_at: datetime,
) -> tuple[Document, ...]:
    """Documents for the posts not recorded before (one per post id within the capture)."""
    unique = list({post.part: post for post in posts}.values())
    known = known_post_keys(session, unique)
    documents = tuple(
        post_document(capture, post, language_hint, seen_at)
        for post in unique
        if post_key(post) not in known
    )
    session.add_all(documents)
    return documents


def apply_listing(document: Document, listed: ListedItem) -> None:
    """A page reached through a feed entry takes the entry's timestamp and author."""
    published = _as_utc(listed.published) if listed.published else None
    properties: dict[str, Any] = {
        "author": listed.author,
        "listed_title": listed.title,
        "listing": listed.listing,
        "posted_at": published.isoformat() if published else None,
    }
    document.properties = {key: value for key, value in properties.items() if value}
    if published:
        document.published = published.date().isoformat()
        document.published_precision = "day"
        document.published_certainty = "certain"
        document.published_expression = f"{PUBLISHED_FROM_FEED} {published.isoformat()}"
    elif listed.published_date is not None:  # a date string feedparser could not read
        written = listed.published_date
        document.published = written.value
        document.published_precision = written.precision
        document.published_certainty = written.certainty
        document.published_expression = f"{PUBLISHED_FROM_FEED} {written.expression}"


FEED_ITEM_PART = "feed-item:"  # prefix of the part of a document cut from a feed entry


def feed_item_text(item: ListedItem) -> str:
    return "\n\n".join(piece for piece in (item.title, item.summary) if piece)


def new_feed_item_documents(
    session: Session,
    capture: Capture,
    items: Iterable[ListedItem],
    language_hint: str | None,
    seen_at: datetime,
) -> tuple[Document, ...]:
    """Documents for the feed entries no document holds yet (by item address: the entry's
    earlier snapshot, or its page already captured), made of what the feed says."""
    unique = {item.item_url: item for item in items if item.item_url and feed_item_text(item)}
    known = set(session.scalars(select(Document.url).where(Document.url.in_(list(unique)))))
    documents = []
    for url, item in unique.items():
        if url in known:
            continue
        text = feed_item_text(item)
        document = Document(
            capture=capture,
            part=FEED_ITEM_PART + hashlib.sha256(url.encode()).hexdigest()[:20],
            url=url,
            title=item.title,
            text=text,
            content_hash=text_fingerprint(text),
            language_hint=language_hint,
            first_seen_at=seen_at,
        )
        apply_listing(document, item)
        documents.append(document)
    session.add_all(documents)
    return tuple(documents)


def waiting_feed_item(session: Session, item_url: str) -> Document | None:
    """The document a feed entry opened for `item_url` while its page was not captured."""
    query = (
        select(Document)
        .where(Document.url == item_url, Document.part.startswith(FEED_ITEM_PART))
        .order_by(Document.id)
        .limit(1)
    )
    return session.scalars(query).first()


def upgrade_feed_item(document: Document, page: Capture) -> None:
    """The entry's page has arrived: the entry's document now reads the page (its text is cut
    again by the stages) and keeps its id, first sighting and the feed's date; the feed capture
    it came from stays, immutable, and is named in its properties."""
    properties = dict(document.properties or {})
    properties["feed_capture_id"] = document.capture_id
    document.capture = page
    document.part = ""
    document.text = None
    document.content_hash = None
    document.properties = properties
