"""From captured bytes to text: what kind of content it is, and its character encoding.

Arabic, Farsi and Hebrew sites still serve windows-1256, iso-8859-6 and iso-8859-8, often
with a wrong or missing declaration, so a declared charset is only trusted when the bytes
actually decode with it.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

from marsad.errors import DecodingError, UnsupportedFormat

SNIFF_BYTES = 8192

# Magic numbers of formats people drop in a folder of pages by mistake.
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"RIFF", "RIFF media (WebP/WAV/AVI)"),
    (b"ID3", "MP3 audio"),
    (b"OggS", "Ogg media"),
    (b"\x7fELF", "executable"),
    (b"MZ", "Windows executable"),
)
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
HTML_MARKERS = re.compile(
    rb"<!doctype html|<html|<head|<body|<meta|<title|<article|<div|<p[ >]", re.I
)
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_.:-]+)", re.I)
# Web labels Python does not know, mapped as browsers do (WHATWG Encoding Standard).
LABEL_ALIASES = {
    "iso-8859-8-i": "iso8859-8",
    "iso-8859-6-i": "iso8859-6",
    "iso-8859-6-e": "iso8859-6",
    "x-mac-arabic": "mac-arabic",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
}


HTML_TYPES = ("text/html", "application/xhtml+xml")
# Bytes that text never holds (C0 controls but tab, newlines, form feed and ESC).
BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
# Share of such bytes in the sniffed head up to which markup still counts as a page: one NUL
# in a comment, or a GIF89a/%PDF- prefix before the markup, do not make a page binary (a
# browser renders it); an image or a PDF with compressed streams is far above.
BINARY_SHARE_IN_TEXT = 0.01


def _sniffed_html(head: bytes) -> bool:
    """Markup with (almost) no binary bytes: a page, whatever its first bytes claim."""
    if not HTML_MARKERS.search(head):
        return False
    return len(BINARY_BYTES.findall(head)) <= BINARY_SHARE_IN_TEXT * len(head)


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    method: str  # bom | declared | meta | utf-8 | detected


def content_kind(data: bytes, content_type: str | None) -> str:
    """'html' or 'text'; raises UnsupportedFormat for empty or binary content."""
    if not data.strip():
        raise UnsupportedFormat("the content is empty")
    head = data[:SNIFF_BYTES]
    bom_encoding = next((encoding for bom, encoding in BOMS if head.startswith(bom)), None)
    mime = (content_type or "").split(";")[0].strip().lower()
    declared_html = mime in HTML_TYPES
    if bom_encoding:  # UTF-16 is full of NUL bytes: look at it as text
        head = head.decode(bom_encoding, errors="ignore").encode("utf-8")
    elif not declared_html and not _sniffed_html(head):
        for signature, label in BINARY_SIGNATURES:
            if head.startswith(signature):
                raise UnsupportedFormat(f"binary content ({label}), not a page or text")
        if b"\x00" in head:
            raise UnsupportedFormat("binary content (NUL bytes), not a page or text")
    if declared_html or HTML_MARKERS.search(head):
        return "html"
    if mime.startswith("text/") or mime in ("", "application/octet-stream"):
        return "text"
    raise UnsupportedFormat(f"unsupported content type {mime!r}")


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = LABEL_ALIASES.get(label.lower(), label.lower())
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def decode_content(data: bytes, content_type: str | None) -> DecodedText:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return DecodedText(data.decode(encoding), encoding, "bom")
    header_match = HEADER_CHARSET.search(content_type or "")
    meta_match = META_CHARSET.search(data[:SNIFF_BYTES])
    candidates: tuple[tuple[str | None, str], ...] = (
        (_codec(header_match.group(1) if header_match else None), "declared"),
        (_codec(meta_match.group(1).decode("ascii") if meta_match else None), "meta"),
        ("utf-8", "utf-8"),
    )
    for candidate, method in candidates:
        if candidate and (text := _strict(data, candidate)) is not None:
            return DecodedText(text, candidate, method)
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise DecodingError("cannot determine the character encoding of the content")
    return DecodedText(str(best), best.encoding, "detected")
