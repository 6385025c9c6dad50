"""The `telegram` kind: public channels through their web preview, https://t.me/s/<channel>.

A preview page shows about twenty posts, oldest first; `?before=<id>` gives the ones before a
post id. A crawl starts at the newest page and walks back until it reaches a post it saw on an
earlier crawl (the cursor `last_post_id` in the source state) or the page limit. Each page
fetched is one capture — its bytes preserved as fetched — whose posts become documents.

The cursor only moves when a walk ends normally: after a failed page the next crawl walks the
same pages again, and posts already recorded are not recorded twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import ClassVar
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from marsad.collect.fetcher import Fetcher
from marsad.collect.kinds import Attempt, CollectContext, Collected, CollectedPost
from marsad.collect.media_fetch import fetch_medium
from marsad.collect.message_content import (
    MessageContent,
    coordinates_from_map_link,
    place,
    poll,
    with_content,
)
from marsad.config import Setting, parse_bool, parse_positive_int
from marsad.errors import DecodingError, InvalidLocator, MalformedContent, NoPostsFound
from marsad.media.sniff import medium_kind
from marsad.text.decode import decode_content

CURSOR_KEY = "last_post_id"
TELEGRAM_HOSTS = ("t.me", "telegram.me", "www.t.me", "www.telegram.me")
TITLE_MAX_CHARS = 200
# Telegram usernames: 5-32 letters, digits and underscores (a few old ones are shorter).
CHANNEL_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{2,31}$")
# Telegram's channel names are 5-32 characters and message ids 64-bit integers; anything longer
# is not a post (and would not fit the store's post key).
DATA_POST = re.compile(r"^[A-Za-z0-9_]{1,64}/(\d{1,19})$")
BACKGROUND_URL = re.compile(r"background-image:\s*url\(['\"]?([^'\")]+)['\"]?\)")
VIEW_SUFFIXES = {"": 1, "K": 1_000, "M": 1_000_000, "B": 1_000_000_000}
# Widgets of message kinds that carry no text of their own, and the kind each one shows.
MEDIA_KINDS = (
    ("tgme_widget_message_sticker_wrap", "sticker"),
    ("tgme_widget_message_voice", "voice"),
    ("tgme_widget_message_roundvideo", "video_message"),
    ("tgme_widget_message_document_wrap", "document"),
)


def parse_base_url(raw: str) -> str:
    url = raw.strip().rstrip("/")
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise ValueError(f"expected an http(s) URL such as https://t.me, got {raw!r}")
    return url


TELEGRAM_BASE_URL = Setting(
    "telegram_base_url",
    "https://t.me",
    "Where channel previews are fetched from (<base>/s/<channel>); change only for tests or "
    "a mirror.",
    parse_base_url,
)

TELEGRAM_MAX_PAGES = Setting(
    "telegram_max_pages",
    10,
    "Most preview pages (about 20 posts each) fetched per channel per crawl, walking back "
    "from the newest post.",
    parse_positive_int,
)


TELEGRAM_PHOTOS = Setting(
    "telegram_photos",
    True,
    "Capture the photos of channel posts too (same fetcher rules and size cap), so they are "
    "preserved, hashed and read by OCR; each is captured once.",
    parse_bool,
)

TELEGRAM_VIDEOS = Setting(
    "telegram_videos",
    True,
    "Capture the videos of channel posts too (same fetcher rules, up to "
    "MARSAD_VIDEO_MAX_BYTES), so they are preserved, hashed (MD5, keyframe PDQ) and matched "
    "against the hash lists; each is captured once.",
    parse_bool,
)


def channel_name(locator: str) -> str:
    """`name`, `@name`, `t.me/name`, `https://t.me/s/name` → `name`."""
    name = locator.strip()
    if "/" in name:
        url = urlsplit(name if "://" in name else f"https://{name}")
        path = url.path.strip("/").split("/")
        name = path[1] if path[:1] == ["s"] and len(path) > 1 else path[0]
        if url.hostname not in TELEGRAM_HOSTS:
            name = ""
    name = name.removeprefix("@")
    if not CHANNEL_NAME.match(name):
        raise InvalidLocator(
            f"{locator!r} is not a public Telegram channel name (letters, digits and "
            "underscores, e.g. example_channel or https://t.me/s/example_channel)"
        )
    return name


def parse_views(text: str) -> int | None:
    """`987` → 987, `1.2K` → 1200, `3.4M` → 3400000 (as shown under a post)."""
    cleaned = text.strip().upper().replace(",", "")
    suffix = cleaned[-1:] if cleaned[-1:] in VIEW_SUFFIXES else ""
    try:
        number = Decimal(cleaned.removesuffix(suffix) if suffix else cleaned)
    except InvalidOperation:
        return None
    return int(number * VIEW_SUFFIXES[suffix])


def first_line(text: str) -> str | None:
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line[:TITLE_MAX_CHARS] or None


def _class_test(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _find(element: etree._Element, class_name: str, tag: str = "*") -> list[lxml.html.HtmlElement]:
    """Descendants with a class, leaving out the quoted post of a reply."""
    found = element.xpath(
        f".//{tag}[{_class_test(class_name)}]"
        f"[not(ancestor::*[{_class_test('tgme_widget_message_reply')}])]"
    )
    return [node for node in found if isinstance(node, lxml.html.HtmlElement)]


def _first_text(element: etree._Element, class_name: str) -> str | None:
    nodes = _find(element, class_name)
    text = nodes[0].text_content().strip() if nodes else ""
    return text or None


def text_with_line_breaks(element: lxml.html.HtmlElement) -> str:
    """The element's text with <br> as a line break. Read, never written back: a hostile page
    may hold characters lxml parses but refuses to set again (control characters)."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if isinstance(node.tag, str) and node.text:  # comments and PIs carry no text
            parts.append(node.text)
        for child in node:
            if child.tag == "br":
                parts.append("\n")
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return "\n".join(line.rstrip() for line in "".join(parts).strip().splitlines())


def _unique_web_urls(urls: list[str], page_url: str) -> tuple[str, ...]:
    absolute = (urljoin(page_url, url.strip()) for url in urls if url.strip())
    return tuple(
        dict.fromkeys(url for url in absolute if urlsplit(url).scheme in ("http", "https"))
    )


def _text_links(message: etree._Element, page_url: str) -> tuple[str, ...]:
    hrefs: list[str] = []
    for text in _find(message, "tgme_widget_message_text"):
        # Hashtags link to a channel search (`?q=%23tag`): the tag is in the text already.
        hrefs.extend(href for href in text.xpath(".//a/@href") if not str(href).startswith("?"))
    hrefs.extend(
        str(node.get("href", "")) for node in _find(message, "tgme_widget_message_link_preview")
    )
    return _unique_web_urls([str(href) for href in hrefs], page_url)


def _photos(message: etree._Element, page_url: str) -> tuple[str, ...]:
    urls: list[str] = []
    for node in _find(message, "tgme_widget_message_photo_wrap"):
        urls.extend(BACKGROUND_URL.findall(node.get("style", "")))
    return _unique_web_urls(urls, page_url)


def _videos(message: etree._Element, page_url: str) -> tuple[str, ...]:
    """The post's videos (and round video messages) that t.me shows with a file URL."""
    sources = message.xpath(
        f".//video/@src[not(ancestor::*[{_class_test('tgme_widget_message_reply')}])]"
    )
    return _unique_web_urls([str(src) for src in sources], page_url)


def _media(message: etree._Element, page_url: str) -> tuple[str, ...]:
    urls: list[str] = list(_photos(message, page_url))
    urls.extend(str(src) for src in message.xpath(".//video/@src | .//audio/@src"))
    for node in _find(message, "tgme_widget_message_video_thumb"):
        if not message.xpath(".//video/@src"):
            urls.extend(BACKGROUND_URL.findall(node.get("style", "")))
    # t.me shows no file URL for documents; the link it gives is the post itself.
    urls.extend(
        str(node.get("href", "")) for node in _find(message, "tgme_widget_message_document_wrap")
    )
    return _unique_web_urls(urls, page_url)


def _published(message: etree._Element) -> datetime | None:
    values = message.xpath(f".//*[{_class_test('tgme_widget_message_date')}]//time/@datetime")
    if not values:
        return None
    try:
        return datetime.fromisoformat(str(values[0]))
    except ValueError:
        return None


def _author(message: etree._Element) -> str | None:
    # The post's signature first, then a group member's name, then the channel itself.
    for class_name in (
        "tgme_widget_message_from_author",
        "tgme_widget_message_author_name",
        "tgme_widget_message_owner_name",
    ):
        if name := _first_text(message, class_name):
            return name
    return None


def _texts(message: etree._Element, class_name: str) -> list[str]:
    return [text for node in _find(message, class_name) if (text := node.text_content().strip())]


def message_content(message: etree._Element) -> MessageContent | None:
    """The location, venue, poll or media kind a post shows, or None for text and photos."""
    for wrap in _find(message, "tgme_widget_message_location_wrap"):
        where = coordinates_from_map_link(str(wrap.get("href", "")))
        name = _first_text(message, "tgme_widget_message_venue_title")
        address = _first_text(message, "tgme_widget_message_venue_address")
        return place("venue" if name else "location", where, name, address)
    if _find(message, "tgme_widget_message_poll"):
        voters = _first_text(message, "tgme_widget_message_voters")
        return poll(
            _first_text(message, "tgme_widget_message_poll_question") or "",
            _texts(message, "tgme_widget_message_poll_option_text"),
            poll_type=_first_text(message, "tgme_widget_message_poll_type"),
            voters=parse_views(voters) if voters else None,
        )
    for class_name, kind in MEDIA_KINDS:
        if _find(message, class_name):
            details = {
                "title": _first_text(message, "tgme_widget_message_document_title"),
                "extra": _first_text(message, "tgme_widget_message_document_extra"),
                "duration": _first_text(message, f"{class_name.removesuffix('_wrap')}_duration"),
            }
            return MessageContent(kind, (), {k: v for k, v in details.items() if v})
    return None


def parse_post(
    message: lxml.html.HtmlElement, base_url: str, page_url: str
) -> CollectedPost | None:
    """One `div.tgme_widget_message`; None for a service message or one without a post id."""
    match = DATA_POST.match(message.get("data-post", ""))
    if match is None or "service_message" in message.get("class", "").split():
        return None
    texts = _find(message, "tgme_widget_message_text")
    content = message_content(message)
    text = with_content(text_with_line_breaks(texts[0]) if texts else "", content)
    views = _first_text(message, "tgme_widget_message_views")
    return CollectedPost(
        part=match.group(1),
        url=f"{base_url}/{message.get('data-post')}",
        text=text,
        title=first_line(text),
        published=_published(message),
        author=_author(message),
        views=parse_views(views) if views else None,
        forwarded_from=_first_text(message, "tgme_widget_message_forwarded_from_name"),
        media=_media(message, page_url),
        photos=_photos(message, page_url),
        videos=_videos(message, page_url),
        links=_text_links(message, page_url),
        content=content,
    )


def parse_channel_page(
    data: bytes, content_type: str | None, page_url: str, base_url: str
) -> tuple[CollectedPost, ...]:
    """The posts of a t.me/s page, in page order; raises NoPostsFound when there are none."""
    try:
        html = decode_content(data, content_type).text
        root = lxml.html.document_fromstring(html)
    except (DecodingError, etree.ParserError, ValueError) as exc:
        raise NoPostsFound(f"{page_url} is not a readable channel page: {exc}") from None
    messages = root.xpath(f"//div[{_class_test('tgme_widget_message')}][@data-post]")
    posts = tuple(
        post
        for message in messages
        if isinstance(message, lxml.html.HtmlElement)
        and (post := parse_post(message, base_url, page_url)) is not None
    )
    if not posts:
        raise NoPostsFound(
            f"no posts on {page_url}: the channel may not exist, be private, be empty or "
            "have its web preview switched off"
        )
    return posts


@dataclass
class PageRead:
    """Fetches and parses one page; remembers the posts so the walk can go on from them."""

    context: CollectContext
    url: str
    base_url: str
    posts: tuple[CollectedPost, ...] | None = None

    def __call__(self) -> Collected:
        raw = self.context.fetcher.fetch(self.url)
        self.posts = parse_channel_page(raw.data, raw.content_type, raw.url, self.base_url)
        return Collected(content=raw, posts=self.posts)


def _read_photo(fetcher: Fetcher, url: str, post_url: str) -> Collected:
    return Collected(content=fetcher.fetch(url), attached_to=post_url)


def _read_video(context: CollectContext, url: str, post_url: str) -> Collected:
    content = fetch_medium(context.fetcher, url, context.settings)
    if medium_kind(content.data) != "video":
        raise MalformedContent(
            f"{url}, the video of {post_url}, is no video Marsad reads "
            f"(served as {content.content_type or 'no type'})"
        )
    return Collected(content=content, attached_to=post_url)


def photo_attempts(posts: tuple[CollectedPost, ...], context: CollectContext) -> Iterator[Attempt]:
    """A capture for each photo of the posts not captured before (a photo URL names one
    picture; unchanged bytes at a known URL would record nothing new anyway)."""
    for post in posts:
        for url in post.photos:
            if not context.already_captured(url):
                yield url, partial(_read_photo, context.fetcher, url, post.url)


def video_attempts(posts: tuple[CollectedPost, ...], context: CollectContext) -> Iterator[Attempt]:
    """A capture for each video of the posts not captured before, up to MARSAD_VIDEO_MAX_BYTES."""
    for post in posts:
        for url in post.videos:
            if not context.already_captured(url):
                yield url, partial(_read_video, context, url, post.url)


class TelegramChannelCollector:
    kind: ClassVar[str] = "telegram"
    settings: ClassVar[tuple[Setting, ...]] = (
        TELEGRAM_BASE_URL,
        TELEGRAM_MAX_PAGES,
        TELEGRAM_PHOTOS,
        TELEGRAM_VIDEOS,
    )

    def attempts(self, locator: str, context: CollectContext) -> Iterator[Attempt]:
        channel = channel_name(locator)
        base_url: str = context.settings.value_of(TELEGRAM_BASE_URL)
        max_pages: int = context.settings.value_of(TELEGRAM_MAX_PAGES)
        seen_up_to = int(context.state.get(CURSOR_KEY) or 0)
        newest = seen_up_to
        before: int | None = None
        for _page in range(max_pages):
            url = f"{base_url}/s/{channel}" + (f"?before={before}" if before else "")
            page = PageRead(context, url, base_url)
            yield url, page
            if page.posts is None:
                return  # the page failed: keep the cursor, walk again next time
            if context.settings.value_of(TELEGRAM_PHOTOS):
                yield from photo_attempts(page.posts, context)
            if context.settings.value_of(TELEGRAM_VIDEOS):
                yield from video_attempts(page.posts, context)
            ids = [int(post.part) for post in page.posts]
            newest = max(newest, *ids)
            if min(ids) <= seen_up_to + 1 or min(ids) == before or min(ids) <= 1:
                break  # reached known posts, the channel's first post, or a page that repeats
            before = min(ids)
        context.state[CURSOR_KEY] = newest
