"""Hash lists of captured content, for platforms' hash-matching services.

One row per distinct content (SHA-256): SHA-256 and MD5 of the exact bytes, and for images the
PDQ perceptual hash (256 bits as 64 hex digits, Meta's open algorithm via the `pdqhash`
package) with its quality score (0-100; matchers usually ignore hashes under 50), so a
re-encoded or resized copy of a photo still matches. `kind` says what the bytes are (image,
video, pdf, html, text, binary) — platforms usually keep image and video rows.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from typing import Any

from PIL import Image, UnidentifiedImageError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from marsad.errors import BlobMissing
from marsad.media.hashes import hamming as hamming  # re-exported: callers compare PDQs
from marsad.media.hashes import pdq_of
from marsad.media.sniff import is_video
from marsad.preserve.blobs import BlobStore
from marsad.store.models import Capture

# Pillow refuses images above this many pixels instead of decompressing a bomb into memory.
MAX_IMAGE_PIXELS = 64_000_000
MISSING = {"kind": "missing", "pdq": None, "pdq_quality": None}
SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"OggS", "video"),
)


def describe(data: bytes, content_type: str | None) -> dict[str, Any]:
    """kind, and the PDQ hash and quality when the bytes are an image."""
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            pdq, quality = pdq_of(image)
            return {"kind": "image", "pdq": pdq, "pdq_quality": quality}
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        pass
    head = data[:16]
    kind = next((name for magic, name in SIGNATURES if head.startswith(magic)), None)
    if kind is None and is_video(data):
        kind = "video"  # MP4 / MOV / WebM
    if kind is None:
        declared = (content_type or "").lower()
        if "html" in declared or head.lstrip().lower().startswith((b"<!doctype", b"<html")):
            kind = "html"
        elif declared.startswith("text/") or _is_text(data):
            kind = "text"
        else:
            kind = "binary"
    return {"kind": kind, "pdq": None, "pdq_quality": None}


def _is_text(data: bytes) -> bool:
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in data[:4096]


def hash_records(session: Session, blobs: BlobStore) -> Iterator[dict[str, Any]]:
    """One record per distinct captured content, oldest first."""
    first_id = func.min(Capture.id).label("first_id")
    query = (
        select(Capture.sha256, first_id, func.count(Capture.id))
        .where(Capture.error.is_(None), Capture.sha256.is_not(None))
        .group_by(Capture.sha256)
        .order_by(first_id)
    )
    for sha256, capture_id, count in session.execute(query).all():
        capture = session.get_one(Capture, capture_id)
        try:
            data: bytes | None = blobs.read(capture.blob_key)
        except (BlobMissing, FileNotFoundError):
            data = None  # lost bytes (`marsad verify` says so): the recorded SHA-256 still counts
        yield {
            "sha256": sha256,
            "md5": hashlib.md5(data, usedforsecurity=False).hexdigest() if data else None,
            **(describe(data, capture.content_type) if data else MISSING),
            "content_type": capture.content_type,
            "size": capture.size,
            "captures": count,
            "first_url": capture.url,
            "first_seen_at": capture.fetched_at.isoformat(),
        }
