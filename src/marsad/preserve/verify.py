"""`marsad verify`: is the evidence still what Marsad recorded?

For every capture: the blob must hash to the capture's SHA-256, its WARC record must be where
the capture says, carry the same record id, hold a payload with the same SHA-256 and pass its
own WARC digests, and its custody entry must name the same SHA-256. Then every WARC file is
read whole (every record's digests, every gzip member complete, nothing after the last record)
and the custody chain is walked, its MACs and head compared with the key and checkpoint kept
outside the database. A *problem* is evidence of tampering or loss; a *warning* is evidence
that was never made (captures older than WARC writing or the custody log).
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session
from warcio.exceptions import ArchiveLoadFailed

from marsad.errors import BlobMissing
from marsad.preserve.blobs import BlobStore
from marsad.preserve.custody import CustodyLog
from marsad.preserve.seal import CheckpointInvalid, CustodySeal
from marsad.preserve.timestamps import TimestampFolder, timestamp_findings
from marsad.preserve.warc import check_record, warc_path
from marsad.preserve.warc_scan import scan_warc_file, warc_files
from marsad.store.models import Capture, CustodyEntry

RECORDING_ACTIONS = ("captured", "imported", "capture_failed")
BATCH = 500


@dataclass(frozen=True)
class Finding:
    subject: str  # "capture 12", "custody seq 40"
    message: str


@dataclass
class VerifyReport:
    captures: int = 0
    blobs: int = 0
    warc_records: int = 0
    warc_files: int = 0
    custody_entries: int = 0
    timestamps: int = 0  # trusted timestamps that hold
    problems: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)

    @property
    def tampered(self) -> bool:
        return bool(self.problems)


def _blob_findings(capture: Capture, blobs: BlobStore) -> Iterator[str]:
    if not capture.blob_key:
        yield "has a SHA-256 but no blob key"
        return
    try:
        path = blobs.path_of(capture.blob_key)
        with path.open("rb") as handle:
            actual = hashlib.file_digest(handle, "sha256").hexdigest()
    except (FileNotFoundError, BlobMissing):
        yield f"blob is missing: {capture.blob_key}"
        return
    if actual != capture.sha256:
        yield f"blob was altered: it hashes to {actual}, the capture recorded {capture.sha256}"


def _warc_findings(capture: Capture, warc_dir: Path) -> Iterator[str]:
    assert capture.warc_filename is not None and capture.warc_offset is not None
    where = f"{capture.warc_filename} @ {capture.warc_offset}"
    try:
        record = check_record(warc_path(warc_dir, capture.warc_filename), capture.warc_offset)
    except FileNotFoundError:
        yield f"WARC file is missing: {capture.warc_filename}"
        return
    except (ArchiveLoadFailed, zlib.error, EOFError, ValueError, OSError) as exc:
        yield f"WARC record at {where} is unreadable ({exc.__class__.__name__}: {exc})"
        return
    if record.record_id != capture.warc_record_id:
        yield f"WARC record at {where} is {record.record_id}, not {capture.warc_record_id}"
    if record.payload_sha256 != capture.sha256:
        yield (
            f"WARC record at {where} was altered: its payload hashes to "
            f"{record.payload_sha256}, the capture recorded {capture.sha256}"
        )
    for problem in record.digest_problems:
        yield f"WARC record at {where} fails its own digest check: {problem}"


def _captures_with_custody(session: Session) -> Iterator[tuple[Capture, list[CustodyEntry]]]:
    """Each capture with the custody entries that record it, streamed in id order."""
    recording = and_(
        CustodyEntry.capture_id == Capture.id, CustodyEntry.action.in_(RECORDING_ACTIONS)
    )
    query = (
        select(Capture, CustodyEntry)
        .outerjoin(CustodyEntry, recording)
        .order_by(Capture.id, CustodyEntry.seq)
        .execution_options(yield_per=BATCH)
    )
    current: Capture | None = None
    entries: list[CustodyEntry] = []
    for capture, entry in session.execute(query):
        if current is not None and capture.id != current.id:
            yield current, entries
            entries = []
        current = capture
        if entry is not None:
            entries.append(entry)
    if current is not None:
        yield current, entries


def _checkpoint_findings(session: Session, seal: CustodySeal, key: bytes) -> Iterator[str]:
    """Compare the log with the signed head kept outside the database."""
    try:
        checkpoint = seal.read_checkpoint(key)
    except CheckpointInvalid as error:
        yield f"the checkpoint file {seal.checkpoint_file} is not valid: {error}"
        return
    head = session.scalars(select(CustodyEntry).order_by(CustodyEntry.seq.desc()).limit(1)).first()
    if checkpoint is None:
        if head is not None and head.entry_mac is not None:
            yield f"the checkpoint file {seal.checkpoint_file} is missing"
        return
    if head is None or head.seq < checkpoint.seq:
        ends = f"ends at entry {head.seq}" if head else "is empty"
        yield (f"custody log cut: the checkpoint records entry {checkpoint.seq}, the log {ends}")
        return
    at_checkpoint = session.get(CustodyEntry, checkpoint.seq)
    if at_checkpoint is None or at_checkpoint.entry_hash != checkpoint.entry_hash:
        yield (
            f"custody log rewritten: entry {checkpoint.seq} no longer has the hash the "
            "checkpoint recorded"
        )
    unsealed = session.scalar(
        select(func.count())
        .select_from(CustodyEntry)
        .where(CustodyEntry.seq >= checkpoint.sealed_from, CustodyEntry.entry_mac.is_(None))
    )
    if unsealed:
        yield f"{unsealed} custody entries from seq {checkpoint.sealed_from} on carry no MAC"


def verify_evidence(
    session: Session,
    blobs: BlobStore,
    warc_dir: Path,
    on_capture: Callable[[int], None] | None = None,
    seal: CustodySeal | None = None,
    timestamps: TimestampFolder | None = None,
) -> VerifyReport:
    """Check every capture's evidence and the custody chain; with `seal` (the home's custody
    key and checkpoint) also every entry's MAC and the chain's head; with `timestamps` every
    trusted timestamp of the chain kept."""
    report = VerifyReport()
    for capture, entries in _captures_with_custody(session):
        report.captures += 1
        subject = f"capture {capture.id} ({capture.url})"

        def problem(message: str, subject: str = subject) -> None:
            report.problems.append(Finding(subject, message))

        if capture.error is None and capture.sha256:
            report.blobs += 1
            for message in _blob_findings(capture, blobs):
                problem(message)
            if capture.warc_filename is not None and capture.warc_offset is not None:
                report.warc_records += 1
                for message in _warc_findings(capture, warc_dir):
                    problem(message)
            else:
                report.warnings.append(Finding(subject, "has no WARC record"))
        if not entries:
            report.warnings.append(Finding(subject, "is not in the custody log"))
        for entry in entries:
            if entry.sha256 != capture.sha256:
                problem(
                    f"capture row was altered: custody entry {entry.seq} recorded SHA-256 "
                    f"{entry.sha256}, the row now says {capture.sha256}"
                )
        if on_capture is not None:
            on_capture(capture.id)
    for path in warc_files(warc_dir):
        scan = scan_warc_file(path)
        report.warc_files += 1
        for message in scan.problems:
            report.problems.append(Finding(f"WARC file {scan.filename}", message))
    custody = CustodyLog(session)
    key = seal.existing_key() if seal is not None else None
    for chain_problem in custody.walk(key):
        report.problems.append(Finding(f"custody seq {chain_problem.seq}", chain_problem.message))
    if seal is not None:
        _seal_findings(session, seal, key, report)
    if timestamps is not None:
        _timestamp_findings(session, timestamps, report)
    report.custody_entries = session.scalar(select(func.count()).select_from(CustodyEntry)) or 0
    return report


def _seal_findings(
    session: Session, seal: CustodySeal, key: bytes | None, report: VerifyReport
) -> None:
    sealed = session.scalar(
        select(func.count()).select_from(CustodyEntry).where(CustodyEntry.entry_mac.is_not(None))
    )
    if key is None:
        if sealed or seal.checkpoint_file.exists():
            report.problems.append(
                Finding("custody key", f"the custody key {seal.key_file} is missing")
            )
        return
    for message in _checkpoint_findings(session, seal, key):
        report.problems.append(Finding("custody checkpoint", message))
    unsealed = session.scalar(
        select(func.count()).select_from(CustodyEntry).where(CustodyEntry.entry_mac.is_(None))
    )
    if unsealed and not sealed:
        report.warnings.append(
            Finding("custody log", f"{unsealed} entries predate the keyed chain (no MAC)")
        )


def _timestamp_findings(session: Session, folder: TimestampFolder, report: VerifyReport) -> None:
    for subject, problem in timestamp_findings(session, folder):
        if problem is None:
            report.timestamps += 1
        else:
            report.problems.append(Finding(subject, problem))
    if report.timestamps and folder.roots_file is None:
        report.warnings.append(
            Finding(
                "trusted timestamps",
                "their signatures were not checked: set MARSAD_CUSTODY_TSA_ROOTS to the TSA's "
                "root certificate",
            )
        )
