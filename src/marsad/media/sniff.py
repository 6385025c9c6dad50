"""What kind of medium some bytes are, by their magic numbers (never by a claimed type)."""

from __future__ import annotations

from typing import Literal

MediumKind = Literal["image", "pdf"]

IMAGE_SIGNATURES: tuple[bytes, ...] = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",  # TIFF, little-endian
    b"MM\x00*",  # TIFF, big-endian
)
# The PDF header may follow a little junk; readers look for it in the first kilobyte.
PDF_HEADER_WINDOW = 1024


def is_webp(data: bytes) -> bool:
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def medium_kind(data: bytes) -> MediumKind | None:
    """'image' or 'pdf' for the media Marsad reads; None for anything else."""
    if data.startswith(IMAGE_SIGNATURES) or is_webp(data):
        return "image"
    if b"%PDF-" in data[:PDF_HEADER_WINDOW]:
        return "pdf"
    return None
