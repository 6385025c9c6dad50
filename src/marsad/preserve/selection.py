"""A WARC file holding only chosen captures, for a WACZ of a selection (a report's evidence,
a case file for a partner) that carries nothing else from the archive.

Each capture's records — the response or resource record at its offset and the request and
metadata records written with it (WARC-Concurrent-To the main record) — are copied byte for
byte, gzip member by member, so digests and record ids stay those of the original archive.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from warcio.archiveiterator import ArchiveIterator

from marsad.errors import CaptureUnknown, ExportError
from marsad.preserve.warc import locked, warc_path
from marsad.store.models import Capture

SELECTION_WARC = "selection.warc.gz"


def record_spans(path: Path, offset: int, record_id: str) -> list[tuple[int, int]]:
    """(offset, length) of the capture's gzip members, main record first."""
    spans: list[tuple[int, int]] = []
    with path.open("rb") as handle, locked(handle, exclusive=False):
        handle.seek(offset)
        iterator = ArchiveIterator(handle)
        for record in iterator:
            if spans and record.rec_headers.get_header("WARC-Concurrent-To") != record_id:
                break
            iterator.read_to_end(record)
            start, length = iterator.member_info
            spans.append((int(start), int(length)))
    return spans


def selected_captures(session: Session, capture_ids: Collection[int]) -> list[Capture]:
    captures = session.scalars(
        select(Capture).where(Capture.id.in_(capture_ids)).order_by(Capture.id)
    ).all()
    missing = sorted(set(capture_ids) - {capture.id for capture in captures})
    if missing:
        raise CaptureUnknown(f"no capture {', '.join(map(str, missing))}")
    unarchived = [c.id for c in captures if c.warc_filename is None or c.warc_offset is None]
    if unarchived:
        raise ExportError(
            f"capture(s) {', '.join(map(str, unarchived))} have no WARC record to package "
            "(failed captures, or captures older than WARC writing)"
        )
    return list(captures)


def write_selection_warc(captures: list[Capture], warc_dir: Path, target: Path) -> Path:
    """One WARC file (target/selection.warc.gz) with the records of `captures`."""
    output = target / SELECTION_WARC
    with output.open("wb") as out:
        for capture in captures:
            assert capture.warc_filename is not None and capture.warc_offset is not None
            source = warc_path(warc_dir, capture.warc_filename)
            if not source.is_file():
                raise ExportError(
                    f"WARC file {capture.warc_filename} is missing; run marsad verify"
                )
            spans = record_spans(source, capture.warc_offset, capture.warc_record_id or "")
            with source.open("rb") as handle, locked(handle, exclusive=False):
                for start, length in spans:
                    handle.seek(start)
                    out.write(handle.read(length))
    return output
