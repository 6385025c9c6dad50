"""`marsad hashlist import`: shared hash lists the captured media are matched against."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from marsad.cli.console import console

hashlist_app = typer.Typer(help="Shared hash lists (SHA-256, MD5, PDQ).", no_args_is_help=True)


def import_list(
    path: Annotated[
        Path, typer.Argument(help="CSV (sha256/md5/pdq, label) or ThreatExchange JSON.")
    ],
    name: Annotated[
        str | None, typer.Option("--name", help="The list's name (default: the file's name).")
    ] = None,
) -> None:
    """Add a list's hashes and flag the media already captured that match them (PDQ within
    MARSAD_PDQ_MAX_DISTANCE bits), then check the alert rules again on their documents (a
    hash-match rule fires now); media captured later are matched as they arrive."""
    from marsad.media.attached import documents_showing
    from marsad.media.hashlists import import_hash_list
    from marsad.media.settings import PDQ_MAX_DISTANCE
    from marsad.workspace import Workspace

    with Workspace.open() as workspace:
        with workspace.database.session() as session:
            distance = workspace.settings.value_of(PDQ_MAX_DISTANCE)
            summary = import_hash_list(session, path, name or path.name, distance)
            flagged_documents = documents_showing(session, summary.matched_capture_ids)
        if flagged_documents:
            workspace.runner().run(flagged_documents, stage_names=["alerts"], force=True)
    console.print(
        f"{summary.added} hashes added, {summary.already_listed} already listed, "
        f"{summary.skipped_rows} rows skipped (no well-formed hash); "
        f"{summary.new_matches} captured media match",
        markup=False,
    )
