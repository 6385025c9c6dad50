"""Serving preserved evidence: a capture's raw bytes and its WARC record, read back from the
content-addressed blob store and the WARC files, never from a path a request names."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

from marsad.errors import BlobMissing
from marsad.preserve.blobs import BlobStore, blob_key_for
from marsad.preserve.warc import WARC_SUFFIX, warc_path
from marsad.store.models import Capture

SHA256 = re.compile(r"^[0-9a-f]{64}$")
READ_CHUNK = 64 * 1024


class EvidenceMissing(Exception):
    """The capture has no such evidence (it failed, predates WARC writing, or was lost): 404."""


def raw_bytes(blobs: BlobStore, capture: Capture) -> bytes:
    """The captured bytes. The blob key must be the content address of the capture's SHA-256,
    so a tampered key cannot point outside the store or at another capture's bytes."""
    sha256 = capture.sha256 or ""
    if not SHA256.match(sha256) or capture.blob_key != blob_key_for(sha256):
        raise EvidenceMissing(f"capture {capture.id} has no stored content")
    try:
        return blobs.read(capture.blob_key)
    except BlobMissing as error:
        raise EvidenceMissing(str(error)) from None


def warc_record_bytes(warc_dir: Path, capture: Capture) -> bytes:
    """The capture's WARC record exactly as stored: one gzip member of its WARC file, itself
    a valid one-record .warc.gz."""
    if not capture.warc_filename or capture.warc_offset is None:
        raise EvidenceMissing(f"capture {capture.id} has no WARC record")
    if not capture.warc_filename.endswith(WARC_SUFFIX):
        raise EvidenceMissing(f"capture {capture.id}: WARC file is not gzip-compressed")
    try:
        path = warc_path(warc_dir, capture.warc_filename)
    except ValueError as error:
        raise EvidenceMissing(str(error)) from None
    try:
        with path.open("rb") as handle:
            handle.seek(capture.warc_offset)
            return _one_gzip_member(handle.read, capture.id)
    except OSError as error:
        raise EvidenceMissing(f"capture {capture.id}: cannot read {path.name}: {error}") from None


def _one_gzip_member(read: object, capture_id: int) -> bytes:
    reader = read  # a file's read method
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    member = bytearray()
    while not decompressor.eof:
        chunk = reader(READ_CHUNK)  # type: ignore[operator]
        if not chunk:
            raise EvidenceMissing(f"capture {capture_id}: WARC record is cut short")
        try:
            decompressor.decompress(chunk)
        except zlib.error:
            raise EvidenceMissing(f"capture {capture_id}: no WARC record at its offset") from None
        member.extend(chunk)
    return bytes(member[: len(member) - len(decompressor.unused_data)])
