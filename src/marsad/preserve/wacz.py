"""`marsad export wacz`: the archive as one WACZ 1.1.1 package that replay tools open.

Layout (https://specs.webrecorder.net/wacz/1.1.1/):
  archive/*.warc.gz          Marsad's WARC files, byte for byte (stored, not deflated)
  indexes/index.cdx          CDXJ index (SURT keys, sorted) made by cdxj-indexer
  pages/pages.jsonl          one line per successful capture
  datapackage.json           every file above with its size and "sha256:..." hash
  datapackage-digest.json    the hash of datapackage.json

WARC files are copied under a shared lock (writers hold an exclusive one per record), so a
file still being written is copied at a record boundary. The package is built beside the
target and renamed into place.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cdxj_indexer.main import CDXJIndexer
from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad import __version__
from marsad.errors import ExportError
from marsad.preserve.selection import selected_captures, write_selection_warc
from marsad.preserve.warc import locked, warc_path
from marsad.store.models import Capture, Document

WACZ_VERSION = "1.1.1"
PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "Marsad captures"}


@dataclass(frozen=True)
class WaczSummary:
    path: Path
    pages: int
    warc_files: int
    sha256: str
    size: int


@dataclass(frozen=True)
class PackagedFile:
    path: str  # inside the package
    source: Path
    compress: int


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def snapshot_warcs(warc_dir: Path, filenames: list[str], target: Path) -> list[Path]:
    copies = []
    for filename in filenames:
        source = warc_path(warc_dir, filename)
        if not source.is_file():
            raise ExportError(f"WARC file {filename} is missing from {warc_dir}; run marsad verify")
        copy = target / filename
        with source.open("rb") as handle, locked(handle, exclusive=False), copy.open("wb") as out:
            shutil.copyfileobj(handle, out)
        copies.append(copy)
    return copies


def write_cdxj(warcs: list[Path], target: Path) -> None:
    """Index response/resource records with cdxj-indexer: SURT keys, sorted, file offsets."""
    with target.open("w", encoding="utf-8") as out:
        indexer = CDXJIndexer(out, [str(path) for path in warcs], sort=True)
        indexer.process_all()


def page_records(
    session: Session, capture_ids: Collection[int] | None = None
) -> list[dict[str, Any]]:
    titled = select(Document.capture_id, Document.title).where(
        Document.part == "", Document.title.is_not(None)
    )
    titles = {capture_id: title for capture_id, title in session.execute(titled)}
    query = (
        select(Capture)
        .where(Capture.warc_filename.is_not(None), Capture.error.is_(None))
        .order_by(Capture.id)
    )
    if capture_ids is not None:
        query = query.where(Capture.id.in_(capture_ids))
    pages = []
    for capture in session.scalars(query):
        page: dict[str, Any] = {
            "id": f"capture-{capture.id}",
            "url": capture.url,
            "ts": iso_utc(capture.fetched_at),
        }
        if titles.get(capture.id):
            page["title"] = titles[capture.id]
        pages.append(page)
    return pages


def write_pages(pages: list[dict[str, Any]], target: Path) -> None:
    with target.open("w", encoding="utf-8") as out:
        for line in [PAGES_HEADER, *pages]:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


def resource_entry(file: PackagedFile) -> dict[str, Any]:
    return {
        "name": Path(file.path).name,
        "path": file.path,
        "hash": "sha256:" + file_sha256(file.source),
        "bytes": file.source.stat().st_size,
    }


def write_wacz(
    session: Session,
    warc_dir: Path,
    output: Path,
    title: str,
    capture_ids: Collection[int] | None = None,
) -> WaczSummary:
    """The archive as a WACZ; with `capture_ids`, only those captures (their records copied
    into one WARC file of their own, see preserve/selection.py)."""
    selection = None if capture_ids is None else selected_captures(session, capture_ids)
    filenames = sorted(
        name
        for name in session.scalars(
            select(Capture.warc_filename).where(Capture.warc_filename.is_not(None)).distinct()
        )
        if name is not None
    )
    if not filenames or selection == []:
        raise ExportError("nothing to package: no capture has a WARC record yet")
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".wacz-") as work:
        folder = Path(work)
        for sub in ("archive", "indexes", "pages"):
            (folder / sub).mkdir()
        if selection is None:
            warcs = snapshot_warcs(warc_dir, filenames, folder / "archive")
        else:
            warcs = [write_selection_warc(selection, warc_dir, folder / "archive")]
        write_cdxj(warcs, folder / "indexes" / "index.cdx")
        pages = page_records(session, capture_ids)
        write_pages(pages, folder / "pages" / "pages.jsonl")
        files = [
            *(PackagedFile(f"archive/{path.name}", path, zipfile.ZIP_STORED) for path in warcs),
            PackagedFile("indexes/index.cdx", folder / "indexes/index.cdx", zipfile.ZIP_DEFLATED),
            PackagedFile("pages/pages.jsonl", folder / "pages/pages.jsonl", zipfile.ZIP_DEFLATED),
        ]
        created = iso_utc(datetime.now(UTC))
        package = {
            "profile": "data-package",
            "wacz_version": WACZ_VERSION,
            "title": title,
            "created": created,
            "modified": created,
            "software": f"Marsad {__version__}",
            "resources": [resource_entry(file) for file in files],
        }
        package_bytes = json.dumps(package, indent=2, ensure_ascii=False).encode("utf-8")
        digest = {
            "path": "datapackage.json",
            "hash": "sha256:" + hashlib.sha256(package_bytes).hexdigest(),
        }
        partial = output.with_name(output.name + ".partial")
        with zipfile.ZipFile(partial, "w", allowZip64=True) as archive:
            for file in files:
                archive.write(file.source, file.path, compress_type=file.compress)
            archive.writestr("datapackage.json", package_bytes, zipfile.ZIP_DEFLATED)
            archive.writestr(
                "datapackage-digest.json", json.dumps(digest, indent=2), zipfile.ZIP_DEFLATED
            )
        partial.replace(output)
    return WaczSummary(
        path=output,
        pages=len(pages),
        warc_files=len(warcs),
        sha256=file_sha256(output),
        size=output.stat().st_size,
    )
