"""What kind of medium some bytes are, by their magic numbers (never by a claimed type)."""

from __future__ import annotations

from typing import Literal

MediumKind = Literal["image", "pdf", "video"]

IMAGE_SIGNATURES: tuple[bytes, ...] = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",  # TIFF, little-endian
    b"MM\x00*",  # TIFF, big-endian
)
MATROSKA_SIGNATURE = b"\x1a\x45\xdf\xa3"  # Matroska / WebM (an EBML header)
# An ISO media file (MP4, MOV, 3GP) opens with an `ftyp` box: its size, then the name.
FTYP_BOX = b"ftyp"
FTYP_OFFSET = 4
VIDEO_HEADER_BYTES = 16  # enough of a file's start for is_video
# ISO media brands that are not video: HEIF/AVIF pictures and M4A/M4B audio.
NOT_VIDEO_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis")
AUDIO_BRANDS = (b"M4A ", b"M4B ", b"M4P ")
# The PDF header may follow a little junk; readers look for it in the first kilobyte.
PDF_HEADER_WINDOW = 1024


def is_webp(data: bytes) -> bool:
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def is_video(data: bytes) -> bool:
    """An MP4/MOV/3GP (`ftyp` box at offset 4, not a picture's or audio's brand) or a
    Matroska/WebM file."""
    if data.startswith(MATROSKA_SIGNATURE):
        return True
    if data[FTYP_OFFSET : FTYP_OFFSET + len(FTYP_BOX)] != FTYP_BOX:
        return False
    brand = data[8:12]
    return brand not in NOT_VIDEO_BRANDS and brand not in AUDIO_BRANDS


def medium_kind(data: bytes) -> MediumKind | None:
    """'image', 'pdf' or 'video' for the media Marsad keeps as such; None for anything else."""
    if data.startswith(IMAGE_SIGNATURES) or is_webp(data):
        return "image"
    if b"%PDF-" in data[:PDF_HEADER_WINDOW]:
        return "pdf"
    if is_video(data):
        return "video"
    return None
