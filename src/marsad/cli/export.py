"""`marsad export KIND`: records as JSON Lines or CSV, to a file or stdout."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer

from marsad.cli.console import errors
from marsad.cli.preserve import analyst
from marsad.errors import ExportError
from marsad.export.fields import EXPORT_FIELDS, HASHLIST_FIELDS
from marsad.export.tabular import FORMATS, write_records

PACKAGE_KINDS = ("wacz", "stix", "ftm")


def export_wacz(output: Path | None, captures: list[int], cited_by: Path | None = None) -> None:
    """The archive (or the chosen captures, or a report's evidence) as a WACZ file; the
    export is logged in the custody chain."""
    from marsad.preserve.custody import CustodyLog
    from marsad.preserve.wacz import write_wacz  # the CDXJ indexer takes 0.1 s to import
    from marsad.report.evidence import cited_capture_ids
    from marsad.workspace import Workspace

    if output is None or output.suffix != ".wacz":
        raise ExportError("a WACZ export needs a file: marsad export wacz -o FILE.wacz")
    with Workspace.open() as workspace, workspace.database.session() as session:
        selection: list[int] | None = list(captures) if captures or cited_by else None
        if cited_by is not None and selection is not None:
            try:
                markdown = cited_by.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise ExportError(f"cannot read the report {cited_by}: {error}") from None
            selection += [c for c in cited_capture_ids(session, markdown) if c not in selection]
        title = "Marsad archive" if selection is None else "Marsad selection"
        summary = write_wacz(session, workspace.settings.warc_dir, output, title, selection)
        details = {"kind": "wacz", "file": output.name, "bytes": summary.size}
        if selection is not None:
            details["captures"] = selection
        details.update(pages=summary.pages, warc_files=summary.warc_files)
        CustodyLog(session, workspace.custody_seal).append(
            "exported", analyst(), sha256=summary.sha256, details=details
        )
    errors.print(
        f"exported {summary.pages} pages from {summary.warc_files} WARC files to {output} "
        f"(sha256 {summary.sha256})"
    )


def export_stix(output: Path | None) -> None:
    """A STIX 2.1 bundle (one JSON document) to stdout or atomically to a file."""
    from marsad.export.stix import stix_bundle
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, workspace.database.session() as session:
        bundle, objects = stix_bundle(session)
    if output is None:
        sys.stdout.write(bundle + "\n")
    else:
        partial = output.with_name(output.name + ".partial")
        partial.write_text(bundle + "\n", encoding="utf-8")
        partial.replace(output)
    errors.print(
        f"exported a STIX 2.1 bundle of {objects} objects" + (f" to {output}" if output else "")
    )


def export_ftm(output_format: str, output: Path | None) -> None:
    """FollowTheMoney entities, one JSON object per line, to stdout or atomically to a file."""
    from marsad.export.ftm import ftm_lines  # followthemoney takes 0.4 s to import
    from marsad.workspace import Workspace

    if output_format != "jsonl":
        raise ExportError("FollowTheMoney entities are JSON lines only: use --format jsonl")
    count = 0
    with Workspace.open() as workspace, workspace.database.session() as session:
        partial = output.with_name(output.name + ".partial") if output else None
        with partial.open("w", encoding="utf-8") if partial else nullcontext(sys.stdout) as handle:
            for line in ftm_lines(session):
                handle.write(line + "\n")
                count += 1
        if partial is not None and output is not None:
            partial.replace(output)
    errors.print(f"exported {count} FollowTheMoney entities" + (f" to {output}" if output else ""))


def export(
    kind: Annotated[
        str,
        typer.Argument(help=f"One of: {', '.join([*EXPORT_FIELDS, 'hashlist', *PACKAGE_KINDS])}."),
    ],
    output_format: Annotated[
        str, typer.Option("--format", "-f", help=f"One of: {', '.join(FORMATS)}.")
    ] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    capture: Annotated[
        list[int] | None, typer.Option("--capture", help="wacz: package only this capture.")
    ] = None,
    cited_by: Annotated[
        Path | None,
        typer.Option("--cited-by", help="wacz: package the captures this report cites."),
    ] = None,
) -> None:
    """Export documents, entities, mentions, relations, events, translations or dates; or the
    archive itself as a WACZ package (`marsad export wacz -o FILE.wacz`)."""
    from marsad.export.hashlist import hash_records
    from marsad.export.records import records_of
    from marsad.workspace import Workspace

    if kind == "wacz":
        export_wacz(output, capture or [], cited_by)
        return
    if kind == "stix":
        export_stix(output)
        return
    if kind == "ftm":
        export_ftm(output_format, output)
        return
    fields = HASHLIST_FIELDS if kind == "hashlist" else EXPORT_FIELDS.get(kind)
    if fields is None:
        known = ", ".join([*EXPORT_FIELDS, "hashlist", *PACKAGE_KINDS])
        raise ExportError(f"unknown export kind {kind!r}; choose from {known}")
    if output_format not in FORMATS:
        raise ExportError(f"unknown format {output_format!r}; choose from {', '.join(FORMATS)}")
    with Workspace.open() as workspace, workspace.database.session() as session:
        records = (
            hash_records(session, workspace.blobs)
            if kind == "hashlist"
            else records_of(kind, session)
        )
        if output is None:
            count = write_records(records, fields, output_format, sys.stdout)
        else:
            # Write beside the target and rename, so a failed export never leaves half a file.
            partial = output.with_name(output.name + ".partial")
            with partial.open("w", encoding="utf-8", newline="") as handle:
                count = write_records(records, fields, output_format, handle)
            partial.replace(output)
    errors.print(f"exported {count} {kind}" + (f" to {output}" if output else ""))
