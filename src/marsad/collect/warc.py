"""WARC and WARC.gz files as a source: each response or resource record becomes a capture.

The file is streamed (warcio's ArchiveIterator), so a multi-gigabyte crawl never sits in
memory. Damage stops the import at the damaged record: everything read before it is kept and
the damage is one failed capture naming the file and the byte offset. A record cut short (a
truncated file) is a failed capture too, never a capture of the bytes that happen to be there.
Request, revisit, metadata and warcinfo records are not captures: a revisit only says that a
URL still held a payload recorded before.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.timeutils import iso_date_to_datetime

from marsad.collect.content import ImportedContent, RawContent
from marsad.collect.files import file_url
from marsad.collect.kinds import Attempt, CollectContext, Collected
from marsad.errors import CaptureNotFound, CaptureTooLarge, WarcMalformed

WARC_SUFFIXES = (".warc", ".warc.gz")
CAPTURED_RECORD_TYPES = ("response", "resource")
READ_CHUNK = 1024 * 1024

WarcAttempt = tuple[str, Callable[[], RawContent]]  # (url, read)


# What warcio raises on a damaged file: besides its own errors, a record missing a header it
# relies on (a response without WARC-Target-URI) surfaces as AttributeError/TypeError/...
WARC_DAMAGE: tuple[type[Exception], ...] = (
    ArchiveLoadFailed,
    zlib.error,
    EOFError,
    ValueError,
    OSError,
    AttributeError,
    TypeError,
    IndexError,
    KeyError,
)


def is_warc_path(locator: str) -> bool:
    return locator.lower().endswith(WARC_SUFFIXES)


def _raiser(error: Exception) -> Callable[[], RawContent]:
    def read() -> RawContent:
        raise error

    return read


def _returner(raw: RawContent) -> Callable[[], RawContent]:
    return lambda: raw


def _read_capped(record: Any, url: str, max_bytes: int, origin: str) -> bytes:
    stream = record.content_stream()
    chunks: list[bytes] = []
    received = 0
    while chunk := stream.read(READ_CHUNK):
        received += len(chunk)
        if received > max_bytes:
            raise CaptureTooLarge(
                f"WARC record for {url} is over the capture limit of {max_bytes:,} bytes "
                "(MARSAD_MAX_CAPTURE_BYTES)"
            )
        chunks.append(chunk)
    # warcio stops quietly at the end of the file: a record cut short would pass for a
    # smaller page, so what its Content-Length promised must all have been read.
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:
        raise WarcMalformed(
            f"WARC record for {url} at {origin} is truncated: {missing:,} of its "
            f"{int(record.length):,} bytes are missing"
        )
    return b"".join(chunks)


def _fetched_at(record: Any) -> datetime:
    raw_date = record.rec_headers.get_header("WARC-Date")
    try:
        return iso_date_to_datetime(raw_date).replace(tzinfo=UTC)  # type: ignore[no-any-return]
    except (TypeError, ValueError):
        return datetime.now(UTC)  # a record without a readable date: when we read it


def record_content(record: Any, max_bytes: int, origin: str) -> ImportedContent:
    """The capture a response/resource record describes (payload decoded from the wire)."""
    url = str(record.rec_headers.get_header("WARC-Target-URI") or "")
    data = _read_capped(record, url, max_bytes, origin)
    http = record.http_headers if record.rec_type == "response" else None
    if http is not None:
        headers = {name.lower(): value for name, value in http.headers}
        return ImportedContent(
            url=url,
            data=data,
            origin=origin,
            content_type=http.get_header("Content-Type"),
            http_status=int(http.get_statuscode() or 0) or None,
            headers=headers,
            fetched_at=_fetched_at(record),
        )
    return ImportedContent(
        url=url,
        data=data,
        origin=origin,
        content_type=record.rec_headers.get_header("Content-Type"),
        fetched_at=_fetched_at(record),
    )


def _is_web_record(record: Any) -> bool:
    url = str(record.rec_headers.get_header("WARC-Target-URI") or "")
    return record.rec_type in CAPTURED_RECORD_TYPES and url.startswith(
        ("http://", "https://", "file://")
    )


def warc_attempts(path: Path, max_bytes: int) -> Iterator[WarcAttempt]:
    """(url, read) for each response/resource record of the file, in file order. A record over
    the size cap is one failed attempt; damage ends the file with one failed attempt."""
    where = file_url(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield where, _raiser(CaptureNotFound(f"cannot read {path}: {exc.strerror}"))
        return
    with handle:
        iterator = ArchiveIterator(handle)
        records = 0
        try:
            for record in iterator:
                if not _is_web_record(record):
                    continue
                records += 1
                url = str(record.rec_headers.get_header("WARC-Target-URI"))
                try:
                    raw = record_content(record, max_bytes, f"{where}#offset={iterator.offset}")
                except (CaptureTooLarge, WarcMalformed) as error:
                    yield url, _raiser(error)
                else:
                    yield url, _returner(raw)
        except WARC_DAMAGE as exc:
            yield where, _raiser(_damaged(path, iterator.offset, records, exc))
            return
        # A gzip member cut short ends warcio's iteration as if the file were complete.
        if _has_unread_data(handle, iterator.offset):
            reason = EOFError("the last gzip member or record is incomplete")
            yield where, _raiser(_damaged(path, iterator.offset, records, reason))


def _damaged(path: Path, offset: int, records: int, exc: Exception) -> WarcMalformed:
    return WarcMalformed(
        f"{path.name} is damaged or not a WARC file near byte {offset} "
        f"({exc.__class__.__name__}: {exc}); {records} records before it were read"
    )


def _has_unread_data(handle: BinaryIO, offset: int) -> bool:
    """Whether anything but blank lines follows `offset`, where warcio stopped reading."""
    handle.seek(offset)
    while chunk := handle.read(READ_CHUNK):
        if chunk.strip():
            return True
    return False


class WarcCollector:
    """The `warc` source kind for the crawler: one attempt per record of the file."""

    kind: ClassVar[str] = "warc"

    def attempts(self, locator: str, context: CollectContext) -> Iterator[Attempt]:
        max_bytes = context.settings.max_capture_bytes
        for url, read in warc_attempts(Path(locator).expanduser(), max_bytes):
            yield url, _collected(read)


def _collected(read: Callable[[], RawContent]) -> Callable[[], Collected]:
    return lambda: Collected(content=read())
