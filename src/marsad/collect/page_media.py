"""Media linked from or embedded in a captured page, as a source option (`--media`, stored as
`{"media": true}` in the source's options): the pictures (`<img>`), videos (`<video>`),
embedded documents (`<embed>`, `<object>`) and links to PDFs, pictures and videos
(`<a href="….pdf">`, `….mp4`) of each page a
`web` source captures are captured beside it — with the same fetcher, so its SSRF guard,
robots rules, politeness, size cap (MARSAD_VIDEO_MAX_BYTES for a video) and time-outs hold —
hashed and read like any medium, and
tied to their page (`attached_to` the page's URL; the page lists them in `properties.media`).

At most MARSAD_WEB_MEDIA_PER_PAGE per page, each URL once; bytes that turn out to be no
picture, PDF or video (an SVG, an HTML error page) are a recorded failed capture.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree

from marsad.collect.content import RawContent
from marsad.collect.kinds import Attempt, CollectContext, Collected
from marsad.collect.media_fetch import fetch_medium
from marsad.config import Setting, parse_positive_int
from marsad.errors import MalformedContent
from marsad.media.sniff import medium_kind

MEDIA_OPTION = "media"
WEB_MEDIA_PER_PAGE = Setting(
    "web_media_per_page",
    10,
    "With a web source's --media option: most pictures, PDFs and videos linked from or embedded "
    "in one page that are captured beside it (in page order).",
    parse_positive_int,
)
# Links followed as media by the name they end with; pictures in <img> whatever their name.
LINKED_MEDIA_SUFFIXES = (
    *(".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".tif", ".tiff"),
    *(".mp4", ".m4v", ".mov", ".webm", ".mkv"),
)
NEVER_MEDIA_SUFFIXES = (".svg", ".svgz")  # script-bearing markup, not a picture Marsad reads
EMBEDDED = "//img/@src | //video/@src | //video/source/@src | //embed/@src | //object/@data"


def _web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def page_media(root: etree._Element, base: str, limit: int) -> list[str]:
    """The page's pictures, videos and PDFs (embedded, then linked by their names), absolute,
    deduplicated, in page order, at most `limit`."""
    embedded = [str(url) for url in root.xpath(EMBEDDED)]
    linked = [
        str(href)
        for href in root.xpath("//a/@href")
        if urlsplit(str(href).strip()).path.lower().endswith(LINKED_MEDIA_SUFFIXES)
    ]
    found = []
    for raw in (*embedded, *linked):
        url = urldefrag(urljoin(base, raw.strip()))[0]
        if _web_url(url) and not urlsplit(url).path.lower().endswith(NEVER_MEDIA_SUFFIXES):
            found.append(url)
    return list(dict.fromkeys(found))[:limit]


def wants_media(context: CollectContext) -> bool:
    return bool(context.options.get(MEDIA_OPTION))


def _read_medium(context: CollectContext, url: str, page_url: str) -> Collected:
    content: RawContent = fetch_medium(context.fetcher, url, context.settings)
    if medium_kind(content.data) is None:
        raise MalformedContent(
            f"{url}, a medium of {page_url}, is no picture, PDF or video Marsad reads "
            f"(served as {content.content_type or 'no type'})"
        )
    return Collected(content=content, attached_to=page_url)


def medium_attempts(
    urls: Iterable[str], page_url: str, context: CollectContext
) -> Iterator[Attempt]:
    """A capture for each of the page's media not captured before."""
    for url in urls:
        if not context.already_captured(url):
            yield url, partial(_read_medium, context, url, page_url)
