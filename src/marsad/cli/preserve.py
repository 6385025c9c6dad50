"""`marsad verify` and `marsad capture show`: check the evidence, look at one capture."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from marsad.cli.console import console, escape
from marsad.errors import CaptureUnknown

if TYPE_CHECKING:
    from marsad.preserve.first_seen import FirstSeen

capture_app = typer.Typer(help="Look at captures.", no_args_is_help=True)


def analyst() -> str:
    """The custody log's actor for a command run by a person at a terminal."""
    return f"analyst:{getpass.getuser()}"


def verify(
    record: Annotated[
        bool,
        typer.Option(
            "--record/--no-record",
            help="Add a 'verified' entry with the result to the custody log.",
        ),
    ] = True,
) -> None:
    """Re-hash every blob and WARC record and walk the custody chain; exit 1 on tampering."""
    from sqlalchemy import func, select

    from marsad.preserve.custody import CustodyLog
    from marsad.preserve.verify import verify_evidence
    from marsad.store.models import Capture
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, workspace.database.session() as session:
        total = session.scalar(select(func.count(Capture.id))) or 0
        with Progress(
            TextColumn("verifying"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task("verifying", total=total)
            report = verify_evidence(
                session,
                workspace.blobs,
                workspace.settings.warc_dir,
                on_capture=lambda _id: progress.advance(task),
                seal=workspace.custody_seal,
                timestamps=workspace.custody_timestamps,
            )
        if record:
            details = {
                "captures": report.captures,
                "problems": len(report.problems),
                "warnings": len(report.warnings),
            }
            CustodyLog(session, workspace.custody_seal).append(
                "verified", analyst(), details=details
            )
    for finding in report.problems:
        console.print(
            f"  [red]PROBLEM[/red] {escape(finding.subject)}: {escape(finding.message)}",
            markup=True,
        )
    for finding in report.warnings[:20]:
        console.print(
            f"  [yellow]warning[/yellow] {escape(finding.subject)}: {escape(finding.message)}",
            markup=True,
        )
    if len(report.warnings) > 20:
        console.print(f"  … and {len(report.warnings) - 20} more warnings")
    verdict = "TAMPERING OR LOSS DETECTED" if report.tampered else "all evidence intact"
    console.print(
        f"verified {report.captures} captures: {report.blobs} blobs, "
        f"{report.warc_records} WARC records in {report.warc_files} files, "
        f"{report.custody_entries} custody entries; "
        f"{len(report.problems)} problems, {len(report.warnings)} warnings — {verdict}"
    )
    if report.timestamps:
        console.print(f"{report.timestamps} trusted timestamps of the custody log hold")
    if report.tampered:
        raise typer.Exit(1)


def timestamp() -> None:
    """Have the Time-Stamping Authority (MARSAD_CUSTODY_TSA_URL) stamp the custody log's head
    (RFC 3161), so that `verify` can prove no entry up to it was changed since; run it from cron,
    e.g. daily."""
    from marsad.preserve.custody import CustodyLog
    from marsad.preserve.timestamps import stamp_head
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, workspace.database.session() as session:
        stamped = stamp_head(session, workspace.settings, workspace.custody_seal)
        details = {"seq": stamped.seq, "tsa_time": stamped.stamped_at.isoformat()}
        custody = CustodyLog(session, workspace.custody_seal)
        custody.append("timestamped", analyst(), details=details)
    console.print(
        f"custody entry {stamped.seq} stamped by the TSA at "
        f"{stamped.stamped_at.isoformat(timespec='seconds')}: {stamped.token_file}",
        markup=False,
    )


def _first_seen_line(label: str, seen: FirstSeen | None) -> str:
    if seen is None:
        return f"{label:<20}never (no successful capture)"
    return (
        f"{label:<20}{seen.at.isoformat()} (capture {seen.capture_id}, "
        f"{seen.captures} successful capture{'s' if seen.captures != 1 else ''})"
    )


def show(capture_id: Annotated[int, typer.Argument(help="The capture's id.")]) -> None:
    """A capture's facts, where its evidence is kept, when its URL and content were first seen,
    and its custody entries."""
    from marsad.media.describe import media_lines
    from marsad.preserve.custody import CustodyLog
    from marsad.preserve.first_seen import first_seen_sha256, first_seen_url
    from marsad.store.models import Capture
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, workspace.database.session() as session:
        capture = session.get(Capture, capture_id)
        if capture is None:
            raise CaptureUnknown(f"no capture with id {capture_id}")
        rows = [
            ("capture", str(capture.id)),
            ("url", capture.url),
            ("fetched at", capture.fetched_at.isoformat()),
            ("source", capture.source.name if capture.source else "-"),
            ("http status", str(capture.http_status or "-")),
            ("content type", capture.content_type or "-"),
            ("size", f"{capture.size:,} bytes" if capture.size is not None else "-"),
            ("sha256", capture.sha256 or "-"),
            ("blob", capture.blob_key or "-"),
        ]
        if capture.warc_filename:
            warc_file = Path(workspace.settings.warc_dir) / capture.warc_filename
            rows.append(("warc record", capture.warc_record_id or "-"))
            rows.append(("warc file", f"{warc_file} @ offset {capture.warc_offset}"))
        if capture.error:
            rows.append(("error", capture.error))
        for label, value in rows:
            console.print(f"{label:<20}{value}", markup=False)
        for line in media_lines(session, capture.id):
            console.print(line, markup=False)
        console.print(
            _first_seen_line("url first seen", first_seen_url(session, capture.url)), markup=False
        )
        if capture.sha256:
            seen = first_seen_sha256(session, capture.sha256)
            console.print(_first_seen_line("content first seen", seen), markup=False)
        console.print("custody", markup=False)
        for entry in CustodyLog(session).entries_for(capture.id):
            console.print(
                f"  #{entry.seq} {entry.at.isoformat()} {entry.actor} {entry.action} "
                f"{entry.entry_hash[:16]}…",
                markup=False,
            )
