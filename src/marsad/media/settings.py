"""Settings of media reading and hash matching (declared by the extract stage)."""

from __future__ import annotations

from marsad.config import Setting, parse_positive_int
from marsad.media.ocr import AUTO, parse_ocr_languages

PDQ_BITS = 256


def parse_pdq_distance(raw: str) -> int:
    value = int(raw.strip())
    if not 0 <= value <= PDQ_BITS:
        raise ValueError(f"expected a number of bits from 0 to {PDQ_BITS}, got {raw!r}")
    return value


OCR_LANGUAGES = Setting(
    "ocr_languages",
    AUTO,
    "Tesseract models for OCR of images and image-only PDF pages: 'auto' (the language hint's "
    "model, else the detected script's, refined by language identification) or models joined "
    "with '+', e.g. ara+eng.",
    parse_ocr_languages,
)
MEDIA_MAX_PAGES = Setting(
    "media_max_pages",
    50,
    "Most pages of a PDF whose text is read (text layer or OCR); the whole file is preserved.",
    parse_positive_int,
)
PDQ_MAX_DISTANCE = Setting(
    "pdq_max_distance",
    31,
    "Most differing bits (of 256) at which an image's (or a video keyframe's) PDQ hash matches "
    "one on a hash list.",
    parse_pdq_distance,
)
VIDEO_MAX_KEYFRAMES = Setting(
    "video_max_keyframes",
    16,
    "Most keyframes of a video (its I-frames, in order) hashed with PDQ and matched against "
    "the hash lists; needs ffmpeg on PATH, else a video gets its SHA-256 and MD5 only.",
    parse_positive_int,
)
VIDEO_MAX_BYTES = Setting(
    "video_max_bytes",
    50 * 1024 * 1024,
    "Largest video captured (a post's video, a page's linked video, an ingested file); "
    "other captures keep MARSAD_MAX_CAPTURE_BYTES.",
    parse_positive_int,
)
MEDIA_SETTINGS = (
    OCR_LANGUAGES,
    MEDIA_MAX_PAGES,
    PDQ_MAX_DISTANCE,
    VIDEO_MAX_KEYFRAMES,
    VIDEO_MAX_BYTES,
)
