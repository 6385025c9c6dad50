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
    "Most differing bits (of 256) at which an image's PDQ hash matches one on a hash list.",
    parse_pdq_distance,
)
MEDIA_SETTINGS = (OCR_LANGUAGES, MEDIA_MAX_PAGES, PDQ_MAX_DISTANCE)
