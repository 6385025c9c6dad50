"""The `extract` stage: main text, title, canonical URL and publication date of a capture.

Pages go through trafilatura (with htmldate for the date); boilerplate — navigation, share
buttons, related links, footers — stays out of the document text. Plain text files are taken
as they are.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from marsad.config import Setting, parse_positive_int
from marsad.errors import ExtractionFailed, UnsupportedFormat
from marsad.media.settings import MEDIA_SETTINGS
from marsad.pipeline.stage import BaseStage, StageContext
from marsad.text.decode import content_kind, decode_content
from marsad.text.deep_html import depth_capped, parse_deep, tokenized_text

# trafilatura loads on the first page: commands that only name the stages start without it.
if TYPE_CHECKING:
    from lxml.html import HtmlElement
    from trafilatura.settings import Document as TrafilaturaDocument

PRECISION_MODES = ("balanced", "precision", "recall")
WHITESPACE = re.compile(r"\s+")
TITLE_MAX_CHARS = 300
# Unicode format characters (category Cf) that carry meaning in RTL and Persian text.
FORMAT_CHARACTERS = re.compile("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069]")
STAND_IN_BASE = 0x13000
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Marks a publication date read from the page's metadata; the dates stage leaves those alone.
PUBLISHED_FROM_METADATA = "page metadata (htmldate)"
# Marks a publication date a collector took from the item's own timestamp (a Telegram post's
# time, an export message's date_unixtime); followed by that timestamp in ISO 8601.
PUBLISHED_FROM_POST = "post timestamp"
# ... or from the feed entry that linked to the page (RSS pubDate, Atom published/updated).
PUBLISHED_FROM_FEED = "feed entry"
COLLECTOR_DATES = (PUBLISHED_FROM_POST, PUBLISHED_FROM_FEED)


def published_by_source(expression: str | None) -> bool:
    """Whether a publication date was given by the source (page metadata, a post's timestamp)
    rather than read from the text; the dates stage leaves those alone."""
    return expression is not None and expression.startswith(
        (PUBLISHED_FROM_METADATA, *COLLECTOR_DATES)
    )


def published_by_collector(expression: str | None) -> bool:
    """Whether the collector set the date from the item's own timestamp (kept by extract)."""
    return expression is not None and expression.startswith(COLLECTOR_DATES)


def parse_precision_mode(raw: str) -> str:
    mode = raw.strip().lower()
    if mode not in PRECISION_MODES:
        raise ValueError(f"expected one of {', '.join(PRECISION_MODES)}, got {raw!r}")
    return mode


EXTRACT_MODE = Setting(
    "extract_mode",
    "balanced",
    "Main-text extraction trade-off: balanced, precision (less boilerplate) or recall "
    "(less lost text).",
    parse_precision_mode,
)


EXTRACT_MAX_BYTES = Setting(
    "extract_max_bytes",
    8 * 1024 * 1024,
    "Largest capture whose text is extracted; larger ones stay preserved but unread.",
    parse_positive_int,
)


@dataclass(frozen=True)
class ExtractedPage:
    title: str | None
    text: str
    canonical_url: str | None
    published: str | None  # YYYY-MM-DD from htmldate


def text_fingerprint(text: str) -> str:
    """SHA-256 of the text with whitespace collapsed: equal for the same words re-wrapped."""
    return hashlib.sha256(WHITESPACE.sub(" ", text).strip().encode("utf-8")).hexdigest()


class FormatCharacterGuard:
    """trafilatura drops "non-printable" characters, among them the zero-width non-joiner that
    Persian spelling needs (می‌شود) and the bidi marks of mixed RTL/LTR text. They stand in for
    themselves as rare printable letters (Egyptian hieroglyphs) during extraction and are put
    back afterwards, so the document keeps the original characters."""

    def __init__(self, html: str) -> None:
        found = sorted(set(FORMAT_CHARACTERS.findall(html)))
        stand_ins = [chr(STAND_IN_BASE + index) for index in range(len(found))]
        if any(stand_in in html for stand_in in stand_ins):
            found, stand_ins = [], []  # the page itself uses them: leave it alone
        self._protect = str.maketrans(dict(zip(found, stand_ins, strict=True)))
        self._restore = str.maketrans(dict(zip(stand_ins, found, strict=True)))

    def protect(self, html: str) -> str:
        return html.translate(self._protect) if self._protect else html

    def restore(self, text: str | None) -> str | None:
        if text is None or not self._restore:
            return text
        return text.translate(self._restore)


def _extract(page: str | HtmlElement, url: str | None, mode: str) -> TrafilaturaDocument | None:
    import trafilatura

    # Without as_dict, bare_extraction returns its Document object (or None).
    return cast(
        "TrafilaturaDocument | None",
        trafilatura.bare_extraction(
            page,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            favor_precision=mode == "precision",
            favor_recall=mode == "recall",
            # Metadata and markup only: htmldate's text heuristics turn a bare "2020" into
            # 2020-01-01 at day precision. Dates in the text are the dates stage's job.
            date_extraction_params={"extensive_search": False, "original_date": True},
        ),
    )


def _text_of(result: TrafilaturaDocument | None, page: str | HtmlElement) -> str:
    text = (result.text or "").strip() if result is not None else ""
    if not text:
        # Very short pages fall below trafilatura's thresholds; its baseline still reads them.
        import trafilatura

        _body, text, _length = trafilatura.baseline(page)
        text = text.strip()
    return text


def extract_html(html: str, url: str | None, mode: str = "balanced") -> ExtractedPage:
    # Browsers drop NUL and other control characters from markup; lxml refuses them.
    html = CONTROL_CHARACTERS.sub("", html)
    guard = FormatCharacterGuard(html)
    html = guard.protect(html)
    result = _extract(html, url, mode)
    text = _text_of(result, html)
    tree = parse_deep(html) if not text else None  # nested deeper than trafilatura parses
    if tree is not None:
        result = _extract(tree, url, mode)
        text = _text_of(result, tree) or (tokenized_text(html) if depth_capped(tree) else "")
    if not text:
        raise ExtractionFailed("no readable text found in the page")
    return ExtractedPage(
        title=guard.restore(result.title if result is not None else None) or None,
        text=guard.restore(text) or "",
        canonical_url=(result.url if result is not None else None) or None,
        published=(result.date if result is not None else None) or None,
    )


def extract_plain_text(text: str) -> ExtractedPage:
    body = text.strip()
    if not body:
        raise ExtractionFailed("the text file holds only whitespace")
    first_line = body.splitlines()[0].strip()
    return ExtractedPage(
        title=first_line[:TITLE_MAX_CHARS], text=body, canonical_url=None, published=None
    )


def extract_video(ctx: StageContext) -> ExtractedPage:
    """A video holds no text Marsad reads: its document is the medium (kind, keyframes hashed)
    with empty text, listed and matched like any medium rather than a failed extraction."""
    from marsad.media.describe import keyframe_count

    medium = {"kind": "video", "keyframes": keyframe_count(ctx.session, ctx.capture.id)}
    ctx.document.properties = {**(ctx.document.properties or {}), "medium": medium}
    return ExtractedPage(title=None, text="", canonical_url=None, published=None)


def is_captured_video(ctx: StageContext) -> bool:
    """Whether the capture was hashed as a video when it was captured (read from the store,
    so a video over MARSAD_EXTRACT_MAX_BYTES is recorded without reading its bytes)."""
    from marsad.store.models import MediumHash

    medium = ctx.session.get(MediumHash, ctx.capture.id)
    return medium is not None and medium.kind == "video"


def extract_medium(ctx: StageContext, data: bytes) -> ExtractedPage:
    """An image's or a PDF's text; how it was read goes into the document's properties; a
    video's medium without text. Raises UnsupportedFormat for other binary content."""
    from marsad.media.reading import MediumOptions, read_medium
    from marsad.media.settings import MEDIA_MAX_PAGES, OCR_LANGUAGES
    from marsad.media.sniff import medium_kind

    medium_type = medium_kind(data)
    if medium_type is None:
        content_kind(data, ctx.capture.content_type)  # raises its precise refusal
        raise UnsupportedFormat("binary content, not a page, text, image, PDF or video")
    if medium_type == "video":
        return extract_video(ctx)
    options = MediumOptions(
        ctx.setting(OCR_LANGUAGES), ctx.setting(MEDIA_MAX_PAGES), ctx.document.language_hint
    )
    medium = read_medium(data, medium_type, options)
    ctx.document.properties = {**(ctx.document.properties or {}), "medium": medium.properties()}
    title = medium.title
    return ExtractedPage(
        title=title[:TITLE_MAX_CHARS] if title else None,
        text=medium.text,
        canonical_url=None,
        published=None,
    )


class ExtractStage(BaseStage):
    name = "extract"
    version = "2"
    description = "Main text, title, canonical URL and publication date (trafilatura, htmldate)."
    settings = (EXTRACT_MODE, EXTRACT_MAX_BYTES, *MEDIA_SETTINGS)

    def process(self, ctx: StageContext) -> None:
        document = ctx.document
        if document.part and document.text is not None:
            # A post cut from a channel page or export by its collector: its text is final.
            document.content_hash = text_fingerprint(document.text)
            return
        page = extract_video(ctx) if is_captured_video(ctx) else self._read(ctx)
        document.title = page.title[:TITLE_MAX_CHARS] if page.title else None
        document.text = page.text
        document.canonical_url = page.canonical_url
        document.content_hash = text_fingerprint(page.text)
        if (
            published_by_collector(document.published_expression)
            and document.published_precision == "day"
        ):
            return  # the feed entry's own day beats what the page's markup suggests
        document.published = page.published
        # htmldate reads metadata first, then URL and text heuristics: a likely day, not a fact.
        document.published_precision = "day" if page.published else None
        document.published_certainty = "likely" if page.published else None
        document.published_expression = PUBLISHED_FROM_METADATA if page.published else None

    @staticmethod
    def _read(ctx: StageContext) -> ExtractedPage:
        """The text of a page, a text file, an image or a PDF, within the extraction limit."""
        limit = ctx.setting(EXTRACT_MAX_BYTES)
        if (ctx.capture.size or 0) > limit:
            raise ExtractionFailed(
                f"{ctx.capture.size:,} bytes is over the extraction limit of {limit:,} "
                "(MARSAD_EXTRACT_MAX_BYTES); the capture is preserved"
            )
        data = ctx.raw_content()
        try:
            kind = content_kind(data, ctx.capture.content_type)
        except UnsupportedFormat:
            kind = "medium"  # an image, a PDF or a video, else the same refusal
        if kind == "medium":
            return extract_medium(ctx, data)
        decoded = decode_content(data, ctx.capture.content_type)
        if kind == "html":
            return extract_html(decoded.text, ctx.capture.url, ctx.setting(EXTRACT_MODE))
        return extract_plain_text(decoded.text)
