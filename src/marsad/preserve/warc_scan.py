"""Reading a whole WARC file back: every record, not only the ones a capture row points at.

`marsad verify` checks each capture's own record; damage elsewhere — a flipped byte in a
metadata or request record, a file cut short, bytes appended after the last record — is only
seen by reading the file from its first byte to its last. Each record must be a complete gzip
member whose declared digests hold, and the last one must end exactly where the file ends.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from marsad.preserve.warc import READ_CHUNK, WARC_SUFFIX, locked

GZIP_MAGIC = b"\x1f\x8b"
GZIP_WBITS = 16 + zlib.MAX_WBITS  # a gzip header and trailer around deflate data


@dataclass
class WarcFileScan:
    filename: str
    records: int = 0
    problems: list[str] = field(default_factory=list)


def warc_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob(f"*{WARC_SUFFIX}") if p.is_file())


def _record_problems(iterator: ArchiveIterator, scan: WarcFileScan) -> Iterator[int]:
    """Read every record to its end, noting failed digests; yields where each one ends."""
    for record in iterator:
        stream = record.content_stream()
        while stream.read(READ_CHUNK):
            pass
        iterator.read_to_end(record)
        scan.records += 1
        offset = iterator.get_record_offset()
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        for problem in record.digest_checker.problems:
            scan.problems.append(
                f"{record.rec_type} record {record_id} at {offset} fails its digest: {problem}"
            )
        yield offset + iterator.get_record_length()


def _gzip_framing_problem(handle: BinaryIO, size: int) -> str | None:
    """Walk the gzip members from the first byte to the last: each must be complete, its CRC
    and length trailer right (zlib checks both), and the last must end where the file ends.
    warcio alone reads a member cut short without complaint."""
    handle.seek(0)
    start, members = 0, 0
    decompressor = zlib.decompressobj(GZIP_WBITS)
    try:
        while chunk := handle.read(READ_CHUNK):
            while chunk:
                decompressor.decompress(chunk)
                if not decompressor.eof:
                    break
                chunk = decompressor.unused_data
                start, members = handle.tell() - len(chunk), members + 1
                decompressor = zlib.decompressobj(GZIP_WBITS)
                if chunk and not chunk.startswith(GZIP_MAGIC[: len(chunk)]):
                    return f"{size - start} bytes after the last record are no WARC record"
    except zlib.error as error:
        return f"the gzip member at byte {start} is damaged ({error})"
    if start < size:
        return f"the file ends inside the gzip member at byte {start}: it was cut short"
    return None


def scan_warc_file(path: Path) -> WarcFileScan:
    """Every record of the file and its end; the problems found (none for a sound file)."""
    scan = WarcFileScan(path.name)
    with path.open("rb") as handle, locked(handle, exclusive=False):  # no half-written record
        size = handle.seek(0, 2)
        framing = _gzip_framing_problem(handle, size)
        if framing is not None:
            scan.problems.append(framing)
        handle.seek(0)
        end = 0
        try:
            iterator = ArchiveIterator(handle, check_digests=True)
            for record_end in _record_problems(iterator, scan):
                end = record_end
        except (ArchiveLoadFailed, zlib.error, EOFError, ValueError, OSError) as error:
            if framing is None:  # the framing problem already says where the damage is
                scan.problems.append(
                    f"unreadable after byte {end} ({error.__class__.__name__}: {error})"
                )
    return scan
