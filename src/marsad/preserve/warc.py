"""Every capture with bytes also goes into a WARC file, the web archives' evidence format.

An HTTP capture becomes a `response` record (status line, headers, body) with a `request`
record for what Marsad sent and a `metadata` record tying both to the Capture row; a file
becomes a `resource` record. Records are gzipped one member each and fsynced before the
caller commits the Capture row, so a crash can leave an orphan record but never a row that
points at a missing one; a capture's records are appended in one write, and cut off again when
the disk fills halfway (EvidenceNotWritten). A file is rotated once it reaches
MARSAD_WARC_MAX_BYTES.

Each writer (one per process) appends to files it created itself, under an exclusive `flock`;
readers that copy whole files (the WACZ export) take a shared lock, so they never see half a
record.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import IO, Any, BinaryIO
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from marsad import __version__
from marsad.collect.content import RawContent
from marsad.errors import EvidenceNotWritten
from marsad.interrupts import shielded
from marsad.preserve.durable import write_durably

WARC_VERSION = "1.1"
WARC_SUFFIX = ".warc.gz"
# Marsad keeps the decoded body; headers that described the wire encoding would make the stored
# record lie, so they are kept under a renamed header instead.
WIRE_ENCODING_HEADERS = ("content-encoding", "transfer-encoding")
ORIGINAL_HEADER_PREFIX = "X-Marsad-Original-"
READ_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class WarcLocation:
    """Where a capture's main record is: enough to re-read, verify and serve it."""

    filename: str
    offset: int
    record_id: str


@dataclass(frozen=True)
class CaptureFacts:
    """What the metadata record says about the capture (the Capture row is not written yet)."""

    capture_id: int
    source: str | None
    action: str


class Sha256Digester:
    """WARC digests as `sha256:<hex>`, the same value as Capture.sha256 (warcio uses SHA-1)."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()

    def update(self, data: bytes) -> None:
        self._hash.update(data)

    def __str__(self) -> str:
        return "sha256:" + self._hash.hexdigest()


class Sha256WarcWriter(WARCWriter):  # type: ignore[misc]  # warcio is untyped
    @staticmethod
    def _create_digester() -> Sha256Digester:
        return Sha256Digester()


@contextmanager
def locked(handle: IO[bytes], exclusive: bool) -> Iterator[None]:
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
    try:
        yield
    finally:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def warc_date(moment: datetime) -> str:
    return str(datetime_to_iso_date(moment.astimezone(UTC).replace(tzinfo=None), use_micros=True))


def is_http_capture(raw: RawContent) -> bool:
    return raw.http_status is not None and urlsplit(raw.url).scheme in ("http", "https")


def response_headers(raw: RawContent) -> StatusAndHeaders:
    status = raw.http_status or 200
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Unknown"
    headers: list[tuple[str, str]] = []
    for name, value in raw.headers.items():
        lowered = name.lower()
        if lowered == "content-length":
            continue
        if lowered in WIRE_ENCODING_HEADERS:
            name = ORIGINAL_HEADER_PREFIX + name
        headers.append((name, value))
    if raw.content_type and not any(name.lower() == "content-type" for name, _ in headers):
        headers.append(("Content-Type", raw.content_type))
    headers.append(("Content-Length", str(len(raw.data))))
    return StatusAndHeaders(f"{status} {reason}", headers, protocol="HTTP/1.1")


def request_headers(url: str, user_agent: str) -> StatusAndHeaders:
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = [("Host", parts.netloc), ("User-Agent", user_agent)]
    return StatusAndHeaders(f"GET {target}", headers, protocol="HTTP/1.1", is_http_request=True)


def metadata_fields(facts: CaptureFacts, raw: RawContent) -> bytes:
    fields = {
        "marsad-capture-id": str(facts.capture_id),
        "marsad-action": facts.action,
        "marsad-source": facts.source or "",
        "marsad-sha256": hashlib.sha256(raw.data).hexdigest(),
    }
    return "".join(f"{name}: {value}\r\n" for name, value in fields.items()).encode("utf-8")


class WarcWriter:
    def __init__(self, folder: Path, max_bytes: int, user_agent: str) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.user_agent = user_agent
        self._current: Path | None = None
        self._lock = threading.Lock()

    def write_capture(self, raw: RawContent, facts: CaptureFacts) -> WarcLocation:
        """Append the capture's records and make them durable; returns the main record's place."""
        records = BytesIO()
        writer = Sha256WarcWriter(records, gzip=True, warc_version=WARC_VERSION)
        main = self._main_record(writer, raw)
        writer.write_record(main)
        record_id = str(main.rec_headers.get_header("WARC-Record-ID"))
        if is_http_capture(raw) and facts.action != "imported":
            writer.write_record(self._request_record(writer, raw, record_id))
        writer.write_record(self._metadata_record(writer, raw, facts, record_id))
        with self._lock:
            try:
                path = self._target()
                with path.open("ab", buffering=0) as handle, locked(handle, exclusive=True):
                    offset = handle.seek(0, os.SEEK_END)
                    self._append(handle, records.getbuffer(), offset)
            except OSError as error:
                what = f"WARC file in {self.folder}"
                raise EvidenceNotWritten.from_os_error(error, what) from error
            return WarcLocation(path.name, offset, record_id)

    @staticmethod
    def _append(handle: BinaryIO, records: memoryview, offset: int) -> None:
        """All the records or none: a write cut short (a full disk) is cut off the file again,
        so the records after it are not appended behind half a gzip member."""
        with shielded():  # nor does a signal leave half a member behind
            try:
                write_durably(handle, records)
            except OSError:
                handle.truncate(offset)
                raise

    def _main_record(self, writer: WARCWriter, raw: RawContent) -> Any:
        headers = {"WARC-Date": warc_date(raw.fetched_at)}
        if is_http_capture(raw):
            return writer.create_warc_record(
                raw.url,
                "response",
                payload=BytesIO(raw.data),
                length=len(raw.data),
                warc_headers_dict=headers,
                http_headers=response_headers(raw),
            )
        return writer.create_warc_record(
            raw.url,
            "resource",
            payload=BytesIO(raw.data),
            length=len(raw.data),
            warc_content_type=raw.content_type or "application/octet-stream",
            warc_headers_dict=headers,
        )

    def _request_record(self, writer: WARCWriter, raw: RawContent, concurrent_to: str) -> Any:
        return writer.create_warc_record(
            raw.url,
            "request",
            payload=BytesIO(b""),
            length=0,
            warc_headers_dict={
                "WARC-Date": warc_date(raw.fetched_at),
                "WARC-Concurrent-To": concurrent_to,
            },
            http_headers=request_headers(raw.url, self.user_agent),
        )

    def _metadata_record(
        self, writer: WARCWriter, raw: RawContent, facts: CaptureFacts, concurrent_to: str
    ) -> Any:
        fields = metadata_fields(facts, raw)
        return writer.create_warc_record(
            raw.url,
            "metadata",
            payload=BytesIO(fields),
            length=len(fields),
            warc_content_type="application/warc-fields",
            warc_headers_dict={
                "WARC-Date": warc_date(raw.fetched_at),
                "WARC-Concurrent-To": concurrent_to,
            },
        )

    def _target(self) -> Path:
        """The file to append to: the current one, or a new one when it is full or missing."""
        current = self._current
        if current is not None and current.exists() and current.stat().st_size < self.max_bytes:
            return current
        self._current = self._create_file()
        return self._current

    def _create_file(self) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        sequence = 0
        while True:
            path = self.folder / f"marsad-{stamp}-{sequence:05d}{WARC_SUFFIX}"
            try:
                # exclusive: another process may pick the same name
                handle = path.open("xb", buffering=0)
            except FileExistsError:
                sequence += 1
                continue
            try:
                with handle:
                    write_durably(handle, warcinfo_record(path.name))
            except OSError:
                path.unlink(missing_ok=True)  # no file of half a warcinfo record
                raise
            _fsync_folder(self.folder)  # the new name itself must survive a crash
            return path


def warcinfo_record(filename: str) -> bytes:
    records = BytesIO()
    writer = Sha256WarcWriter(records, gzip=True, warc_version=WARC_VERSION)
    info = {"software": f"Marsad/{__version__}", "format": "WARC File Format 1.1"}
    writer.write_record(writer.create_warcinfo_record(filename, info))
    return records.getvalue()


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@dataclass(frozen=True)
class RecordCheck:
    """A WARC record read back from its file: what it holds and whether its digests hold."""

    record_id: str
    record_type: str
    target_uri: str
    payload_sha256: str
    digest_problems: tuple[str, ...]


def warc_path(folder: Path, filename: str) -> Path:
    path = folder / filename
    if path.name != filename or not filename.endswith((".warc", WARC_SUFFIX)):
        raise ValueError(f"not a WARC file name: {filename!r}")
    return path


def check_record(path: Path, offset: int) -> RecordCheck:
    """Re-read the record at `offset`, hash its payload and check its declared digests.

    Raises OSError if the file cannot be read and ArchiveLoadFailed (warcio) if no valid
    record starts there."""
    with path.open("rb") as handle:
        handle.seek(offset)
        iterator = ArchiveIterator(handle, check_digests=True)
        record = next(iterator, None)
        if record is None:
            raise ArchiveLoadFailed(f"no WARC record at offset {offset} of {path.name}")
        payload_hash = hashlib.sha256()
        stream = record.content_stream()
        while chunk := stream.read(READ_CHUNK):
            payload_hash.update(chunk)
        iterator.read_to_end(record)
        return RecordCheck(
            record_id=str(record.rec_headers.get_header("WARC-Record-ID")),
            record_type=str(record.rec_type),
            target_uri=str(record.rec_headers.get_header("WARC-Target-URI")),
            payload_sha256=payload_hash.hexdigest(),
            digest_problems=tuple(record.digest_checker.problems),
        )


def capture_members(path: Path, offset: int) -> bytes:
    """The raw gzip members of one capture's records — its response or resource record and the
    request and metadata records that point to it — exactly as stored, to package elsewhere
    (each member is a complete gzip stream, so the bytes are a valid WARC file by themselves)."""
    with path.open("rb") as handle:
        handle.seek(offset)
        iterator = ArchiveIterator(handle)
        members: list[tuple[int, int]] = []
        main_id: str | None = None
        for record in iterator:
            iterator.read_to_end(record)
            record_id = str(record.rec_headers.get_header("WARC-Record-ID"))
            points_to = {
                record.rec_headers.get_header("WARC-Concurrent-To"),
                record.rec_headers.get_header("WARC-Refers-To"),
            }
            if main_id is None:
                main_id = record_id
            elif main_id not in points_to:
                break
            members.append((iterator.get_record_offset(), iterator.get_record_length()))
        if not members:
            raise ArchiveLoadFailed(f"no WARC record at offset {offset} of {path.name}")
        chunks = []
        for start, length in members:  # warcio's offsets count from the start of the file
            handle.seek(start)
            chunks.append(handle.read(length))
        return b"".join(chunks)
