"""WARC and ARC files as a source: each response or resource record becomes a capture.

The file is streamed (warcio's ArchiveIterator), so a multi-gigabyte crawl never sits in
memory. ARC files (the Internet Archive's older format) are read by the same iterator, their
headers mapped to WARC's, so each record keeps its archived URL and date. A gzipped archive
compressed as one stream instead of one member per record is read through a decompressing
stream (its offsets then count decompressed bytes).

Damage stops the import at the damaged record: everything read before it is kept and the
damage is one failed capture whose one-line message names the file and the byte offset where
reading stopped. A record cut short, or one that does not end where its Content-Length says, is
a failed capture too, never a capture of the bytes that happen to be there. A file that is not
an archive at all is one failed capture naming it. Request, revisit, metadata and warcinfo
records are not captures: a revisit only says that a URL still held a payload recorded before.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.timeutils import iso_date_to_datetime

from marsad.collect.content import ImportedContent, RawContent
from marsad.collect.feeds import collected_content
from marsad.collect.files import file_url
from marsad.collect.kinds import Attempt, CollectContext, Collected
from marsad.errors import CaptureNotFound, CaptureTooLarge, WarcMalformed

ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
# How an archive starts (after gunzip): a WARC record's version line, an ARC file's header.
ARCHIVE_MAGIC = (b"WARC/", b"filedesc://")
GZIP_MAGIC = b"\x1f\x8b"
CAPTURED_RECORD_TYPES = ("response", "resource")
READ_CHUNK = 1024 * 1024
MESSAGE_MAX_CHARS = 200
NON_CHUNKED_GZIP = "non-chunked gzip"  # in warcio's complaint about a single-stream .gz

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


class QuietArchiveIterator(ArchiveIterator):  # type: ignore[misc]
    """warcio's iterator without its multi-line stderr warning: a record that does not end
    where its length says is counted in `err_count`, and reported here as one line."""

    INC_RECORD = ""


def is_archive_path(locator: str) -> bool:
    return locator.lower().endswith(ARCHIVE_SUFFIXES)


def looks_like_archive(path: Path) -> bool:
    """A WARC or ARC file whatever its name (a `.bad`, a download without a suffix)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(64)
            if head.startswith(GZIP_MAGIC):
                handle.seek(0)
                with gzip.GzipFile(fileobj=handle) as inflated:
                    head = inflated.read(64)
    except (OSError, EOFError, zlib.error):
        return False
    return head.startswith(ARCHIVE_MAGIC)


def one_line(text: object) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= MESSAGE_MAX_CHARS else line[: MESSAGE_MAX_CHARS - 1] + "…"


def _raiser(error: Exception) -> Callable[[], RawContent]:
    def read() -> RawContent:
        raise error

    return read


def _returner(raw: RawContent) -> Callable[[], RawContent]:
    return lambda: raw


def _read_capped(record: Any, url: str, max_bytes: int, origin: str) -> bytes:
    declared = str(record.rec_headers.get_header("Content-Length") or "").strip()
    if not declared.isdigit():  # an ARC's "-1" or "abc": where the record ends is unknown
        raise WarcMalformed(
            f"the archived record for {url} at {origin} declares no valid length "
            f"({one_line(declared)!r}); it is not imported"
        )
    stream = record.content_stream()
    chunks: list[bytes] = []
    received = 0
    while chunk := stream.read(READ_CHUNK):
        received += len(chunk)
        if received > max_bytes:
            raise CaptureTooLarge(
                f"the archived record for {url} is over the capture limit of {max_bytes:,} bytes "
                "(MARSAD_MAX_CAPTURE_BYTES)"
            )
        chunks.append(chunk)
    # warcio stops quietly at the end of the file: a record cut short would pass for a
    # smaller page, so what its Content-Length promised must all have been read.
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:
        raise WarcMalformed(
            f"the archived record for {url} at {origin} is truncated: {missing:,} of its "
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


class _ArchiveReader:
    """One pass over an archive: (url, read) per captured record, then at most one damage."""

    def __init__(self, path: Path, max_bytes: int) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self.where = file_url(path)
        self.records = 0  # records of any type read whole
        self.decompressed = False  # offsets count decompressed bytes

    def attempts(self, handle: BinaryIO | gzip.GzipFile, skip: int = 0) -> Iterator[WarcAttempt]:
        iterator = QuietArchiveIterator(handle, arc2warc=True, check_digests=True)
        try:
            for index, record in enumerate(iterator):
                if index < skip:  # read before a restart through a decompressing stream
                    continue
                yield from self._record_attempts(iterator, record)
                self.records += 1
        except WARC_DAMAGE as exc:
            if NON_CHUNKED_GZIP in str(exc) and not self.decompressed:
                yield from self._decompressed_attempts()
                return
            yield self.where, _raiser(self._damaged(max(iterator.offset, 0), exc))
            return
        # A gzip member cut short ends warcio's iteration as if the file were complete.
        if not self.decompressed and _has_unread_data(handle, iterator.offset):
            reason = EOFError("the last gzip member or record is incomplete")
            yield self.where, _raiser(self._damaged(iterator.offset, reason))

    def _decompressed_attempts(self) -> Iterator[WarcAttempt]:
        """A .gz written as one stream: warcio reads it only through gzip itself."""
        self.decompressed = True
        skip, self.records = self.records, 0
        with gzip.open(self.path, "rb") as inflated:
            yield from self.attempts(inflated, skip)

    def _record_attempts(self, iterator: Any, record: Any) -> Iterator[WarcAttempt]:
        if not _is_web_record(record):
            return
        url = str(record.rec_headers.get_header("WARC-Target-URI"))
        offset = max(iterator.offset, 0)
        try:
            raw = record_content(record, self.max_bytes, self._origin(offset))
            warnings = iterator.err_count
            iterator.read_to_end()  # the blank lines after it: a misplaced end shows here
            if record.digest_checker.passed is False:
                raise WarcMalformed(
                    f"{self.path.name}: the record for {url} at byte {offset}"
                    f"{self._counting()} does not match its recorded digest "
                    f"({one_line('; '.join(record.digest_checker.problems))}); it is not imported"
                )
            if iterator.err_count > warnings:
                end = offset + iterator.get_record_length()
                raise WarcMalformed(
                    f"{self.path.name}: the record for {url} at byte {offset}"
                    f"{self._counting()} does not end where its Content-Length says "
                    f"(byte {end}); it is not imported"
                )
        except (CaptureTooLarge, WarcMalformed) as error:
            yield url, _raiser(error)
            return
        yield url, _returner(raw)

    def _origin(self, offset: int) -> str:
        return f"{self.where}#{'decompressed-' if self.decompressed else ''}offset={offset}"

    def _counting(self) -> str:
        return " (decompressed)" if self.decompressed else ""

    def _damaged(self, offset: int, exc: Exception) -> WarcMalformed:
        if self.records == 0 and offset == 0:
            return WarcMalformed(
                f"{self.path.name} is not a WARC or ARC archive "
                f"({exc.__class__.__name__}: {one_line(exc)})"
            )
        return WarcMalformed(
            f"{self.path.name} is damaged at byte {offset}{self._counting()} "
            f"({exc.__class__.__name__}: {one_line(exc)}); the {self.records} records before "
            "it were read, the rest of the file is not imported"
        )


def warc_attempts(path: Path, max_bytes: int) -> Iterator[WarcAttempt]:
    """(url, read) for each response/resource record of a WARC or ARC file, in file order. A
    record over the size cap or cut short is one failed attempt; damage ends the file with one
    failed attempt."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield file_url(path), _raiser(CaptureNotFound(f"cannot read {path}: {exc.strerror}"))
        return
    with handle:
        yield from _ArchiveReader(path, max_bytes).attempts(handle)


def _has_unread_data(handle: BinaryIO | gzip.GzipFile, offset: int) -> bool:
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
    # An archived feed is read item by item, as `marsad ingest` reads it.
    return lambda: collected_content(read())
