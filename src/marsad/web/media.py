"""A document's media on its page: each captured image, PDF or video beside the text, with its OCR
text (in its own direction) and the hash lists it is on; and the one route that serves a
medium's bytes to the browser.

Served bytes are the preserved blob, typed by their magic numbers (never by the type a server
claimed): PNG, JPEG, GIF and WebP inline as pictures; a PDF (which may carry script), a video
and anything else as a download. Every answer is sandboxed by its Content-Security-Policy and
`nosniff`, so even an SVG or an HTML page smuggled in under an image's name cannot run.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.media.attached import media_of, media_urls
from marsad.media.describe import ListedMatch, keyframe_counts
from marsad.media.sniff import MATROSKA_SIGNATURE, is_webp
from marsad.preserve.blobs import BlobStore
from marsad.store.models import Capture, Document, MediumHash
from marsad.web.evidence import EvidenceMissing, raw_bytes

# Picture types a browser shows in an <img>, by signature; nothing else is served inline.
INLINE_IMAGE_TYPES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
MEDIUM_POLICY = "default-src 'none'; sandbox"
OCR_TEXT_SHOWN = 4000


@dataclass(frozen=True)
class MediumPanel:
    capture_id: int
    kind: str  # image | pdf | video
    url: str
    sha256: str
    pdq: str | None
    matches: tuple[ListedMatch, ...]
    is_document: bool  # the page's own capture: its text is the page's text
    text: str | None  # the medium's text (OCR or text layer), for a post's medium
    language: str | None
    ocr_confidence: float | None
    keyframes: int = 0  # a video's keyframes hashed with PDQ

    @property
    def href(self) -> str:
        return f"/media/{self.capture_id}"


def _is_medium(document: Document, capture: Capture) -> bool:
    content_type = (capture.content_type or "").lower()
    return bool((document.properties or {}).get("medium")) or content_type.startswith(
        ("image/", "application/pdf", "video/")
    )


def media_panels(session: Session, document: Document, capture: Capture) -> list[MediumPanel]:
    """The document's captured media (none read for a page that has none)."""
    if not (_is_medium(document, capture) or media_urls(document)):
        return []
    media = media_of(session, document)
    others = [m.capture.id for m in media if m.capture.id != capture.id]
    keyframes = keyframe_counts(session, [m.capture.id for m in media if m.hashes.kind == "video"])
    texts = {
        found.capture_id: found
        for found in session.scalars(
            select(Document).where(Document.capture_id.in_(others), Document.part == "")
        )
    } if others else {}  # fmt: skip
    panels = []
    for medium in media:
        own = medium.capture.id == capture.id
        read = document if own else texts.get(medium.capture.id)
        properties = (read.properties or {}).get("medium") or {} if read is not None else {}
        panels.append(
            MediumPanel(
                capture_id=medium.capture.id,
                kind=medium.hashes.kind,
                url=medium.capture.url,
                sha256=medium.hashes.sha256,
                pdq=medium.hashes.pdq,
                matches=tuple(
                    ListedMatch(m.entry.list_name, m.entry.label, m.entry.algorithm, m.distance)
                    for m in medium.matches
                ),
                is_document=own,
                text=None if own or read is None else (read.text or "")[:OCR_TEXT_SHOWN],
                language=read.language if read is not None else None,
                ocr_confidence=properties.get("ocr_confidence"),
                keyframes=keyframes.get(medium.capture.id, 0),
            )
        )
    return panels


@dataclass(frozen=True)
class ServedMedium:
    data: bytes
    media_type: str
    disposition: str  # inline | attachment
    filename: str


def served_medium(session: Session, blobs: BlobStore, capture_id: int) -> ServedMedium:
    """A captured medium's bytes and how to serve them; EvidenceMissing (404) for a capture
    that is not a medium."""
    found = session.execute(
        select(Capture, MediumHash)
        .join(MediumHash, MediumHash.capture_id == Capture.id)
        .where(Capture.id == capture_id)
    ).first()
    if found is None:
        raise EvidenceMissing(f"capture {capture_id} is not a captured image, PDF or video")
    capture, hashes = found
    data = raw_bytes(blobs, capture)
    for signature, media_type in INLINE_IMAGE_TYPES:
        if data.startswith(signature):
            extension = media_type.split("/")[1]
            return ServedMedium(data, media_type, "inline", f"medium-{capture.id}.{extension}")
    if is_webp(data):
        return ServedMedium(data, "image/webp", "inline", f"medium-{capture.id}.webp")
    if hashes.kind == "pdf":
        return ServedMedium(data, "application/pdf", "attachment", f"medium-{capture.id}.pdf")
    if hashes.kind == "video":
        extension = "webm" if data.startswith(MATROSKA_SIGNATURE) else "mp4"
        filename = f"medium-{capture.id}.{extension}"
        return ServedMedium(data, f"video/{extension}", "attachment", filename)
    return ServedMedium(data, "application/octet-stream", "attachment", f"medium-{capture.id}")
