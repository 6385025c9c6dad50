"""`marsad export wacz`: a workspace with Arabic, Farsi and Hebrew captures packaged as a WACZ,
then taken apart and checked — structure, resource hashes, index entries read back at their
offsets, the `wacz` package's own validator, and the custody entry for the export."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from wacz.main import main as wacz_main
from warcio.archiveiterator import ArchiveIterator

from marsad.collect.content import RawContent
from marsad.pipeline.ingest import Ingestor
from marsad.preserve.custody import CustodyLog
from marsad.preserve.wacz import iso_utc
from marsad.store.models import Capture, CustodyEntry
from marsad.workspace import Workspace
from tests.commandline import marsad_for
from tests.conftest import workspace_for
from tests.webserver import Route, local_site


def page(lang: str, title: str, body: str) -> bytes:
    return (
        f'<!DOCTYPE html><html lang="{lang}" dir="rtl"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body><article><h1>{title}</h1><p>{body}</p>"
        "</article></body></html>"
    ).encode()


PAGES = {
    "/ar/market": page(
        "ar",
        "افتتاح سوق جديد للخضار",
        "افتتحت البلدية صباح اليوم سوقا جديدا للخضار والفواكه في الحي الشرقي من المدينة، "
        "وقال مسؤول محلي إن السوق سيفتح أبوابه يوميا من السابعة صباحا حتى المساء.",
    ),
    "/fa/library": page(
        "fa",
        "گشایش کتابخانه‌ی تازه",
        "کتابخانه‌ی عمومی تازه‌ای روز دوشنبه در مرکز شهر گشایش یافت و به گفته‌ی مسئولان "
        "شهری، این کتابخانه هر روز از ساعت هشت صبح تا هشت شب باز خواهد بود.",
    ),
    "/he/park": page(
        "he",
        "גן ציבורי חדש נפתח",
        "העירייה פתחה היום גן ציבורי חדש בשכונה הצפונית, ולדברי דובר העירייה הגן יהיה "
        "פתוח לציבור בכל ימות השבוע משעות הבוקר ועד הערב.",
    ),
}
FILE_NOTE = "הודעה לעיתונות: מועד הפתיחה של הספרייה נדחה לשבוע הבא.\n"


@dataclass(frozen=True)
class Exported:
    workspace: Workspace
    wacz: Path
    captures: list[Capture]  # the successful captures, detached from their session
    cli: subprocess.CompletedProcess[str]


def successful_captures(workspace: Workspace) -> list[Capture]:
    with workspace.database.session() as session:
        query = select(Capture).where(Capture.error.is_(None)).order_by(Capture.id)
        captures = list(session.scalars(query))
        session.expunge_all()
        return captures


@pytest.fixture(scope="module")
def exported(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Exported]:
    """Three HTTP captures, a file capture and a failed fetch, exported once for the module
    on each database."""
    folder = tmp_path_factory.mktemp("wacz")
    with workspace_for(backend, folder) as workspace:
        yield ingest_and_export(workspace, folder)


def ingest_and_export(workspace: Workspace, folder: Path) -> Exported:
    note = folder / "note-he.txt"
    note.write_text(FILE_NOTE, encoding="utf-8")
    routes = {
        path: Route(body=body, headers={"Content-Type": "text/html; charset=utf-8"})
        for path, body in PAGES.items()
    }
    routes["/gone"] = Route(status=404, body=b"not here")
    with local_site(routes) as site:
        urls = [site.url(path) for path in [*PAGES, "/gone"]]
        Ingestor(workspace).ingest([*urls, str(note)], source_name="wacz test")
    target = folder / "out" / "archive.wacz"
    cli = marsad_for(workspace.settings, "export", "wacz", "-o", str(target))
    return Exported(workspace, target, successful_captures(workspace), cli)


def read_member(wacz: Path, name: str) -> bytes:
    with zipfile.ZipFile(wacz) as archive:
        return archive.read(name)


def datapackage(wacz: Path) -> dict[str, Any]:
    package: dict[str, Any] = json.loads(read_member(wacz, "datapackage.json"))
    return package


def cdxj_entries(wacz: Path) -> list[tuple[str, str, dict[str, Any]]]:
    """(SURT key, 14-digit timestamp, fields) per line of the index."""
    entries = []
    for line in read_member(wacz, "indexes/index.cdx").decode("utf-8").splitlines():
        key, timestamp, fields = line.split(" ", 2)
        entries.append((key, timestamp, json.loads(fields)))
    return entries


def test_package_has_the_wacz_layout(exported: Exported) -> None:
    with zipfile.ZipFile(exported.wacz) as archive:
        infos = {info.filename: info for info in archive.infolist()}
    warcs = [name for name in infos if name.startswith("archive/")]
    assert warcs and all(name.endswith(".warc.gz") for name in warcs)
    # WARCs are stored, not deflated, so replay tools can seek into them inside the zip.
    assert all(infos[name].compress_type == zipfile.ZIP_STORED for name in warcs)
    package = datapackage(exported.wacz)
    listed = {resource["path"] for resource in package["resources"]}
    assert set(infos) == listed | {"datapackage.json", "datapackage-digest.json"}
    assert {"indexes/index.cdx", "pages/pages.jsonl"} <= listed
    assert package["wacz_version"] == "1.1.1" and package["profile"] == "data-package"
    assert package["software"].startswith("Marsad ")


def test_every_resource_hash_and_size_matches(exported: Exported) -> None:
    package = datapackage(exported.wacz)
    for resource in package["resources"]:
        data = read_member(exported.wacz, resource["path"])
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest(), resource["path"]
        assert resource["bytes"] == len(data)
        assert resource["name"] == Path(resource["path"]).name
    digest = json.loads(read_member(exported.wacz, "datapackage-digest.json"))
    package_bytes = read_member(exported.wacz, "datapackage.json")
    assert digest == {
        "path": "datapackage.json",
        "hash": "sha256:" + hashlib.sha256(package_bytes).hexdigest(),
    }


def test_index_lines_resolve_to_their_records(exported: Exported) -> None:
    entries = cdxj_entries(exported.wacz)
    assert [(key, stamp) for key, stamp, _ in entries] == sorted(
        (key, stamp) for key, stamp, _ in entries
    )
    by_url = {capture.url: capture for capture in exported.captures}
    indexed: set[str] = set()
    for _key, timestamp, fields in entries:
        warc = read_member(exported.wacz, f"archive/{fields['filename']}")
        offset, length = int(fields["offset"]), int(fields["length"])
        # The record must start exactly at the offset and be exactly `length` bytes long.
        record = next(iter(ArchiveIterator(io.BytesIO(warc[offset : offset + length]))))
        payload = record.content_stream().read()
        assert record.rec_headers.get_header("WARC-Target-URI") == fields["url"]
        capture = by_url[fields["url"]]
        assert record.rec_headers.get_header("WARC-Record-ID") == capture.warc_record_id
        assert hashlib.sha256(payload).hexdigest() == capture.sha256
        assert timestamp == capture.fetched_at.strftime("%Y%m%d%H%M%S")
        if capture.http_status is not None:
            assert record.rec_type == "response" and fields["status"] == "200"
        else:
            assert record.rec_type == "resource"
        indexed.add(fields["url"])
    assert indexed == set(by_url)  # every successful capture, and nothing else (not the 404)


def test_index_reaches_arabic_farsi_hebrew_and_file_captures(exported: Exported) -> None:
    payloads = {
        fields["url"]: read_member(exported.wacz, f"archive/{fields['filename']}")
        for _key, _stamp, fields in cdxj_entries(exported.wacz)
    }
    paths = {url.split("/", 3)[-1]: url for url in payloads if url.startswith("http")}
    assert sorted(paths) == sorted(path.lstrip("/") for path in PAGES)
    assert any(url.startswith("file://") and url.endswith("note-he.txt") for url in payloads)


def test_pages_list_each_successful_capture_with_its_title(exported: Exported) -> None:
    lines = read_member(exported.wacz, "pages/pages.jsonl").decode("utf-8").splitlines()
    header, *pages = [json.loads(line) for line in lines]
    assert header["format"] == "json-pages-1.0"
    assert [page["url"] for page in pages] == [capture.url for capture in exported.captures]
    assert [page["ts"] for page in pages] == [
        iso_utc(capture.fetched_at) for capture in exported.captures
    ]
    titles = {page.get("title") for page in pages}
    assert {"افتتاح سوق جديد للخضار", "گشایش کتابخانه‌ی تازه", "גן ציבורי חדש נפתח"} <= titles
    # Written as UTF-8, not \u escapes, so the titles stay readable in the file itself.
    assert "גן ציבורי חדש נפתח" in "\n".join(lines)


def test_wacz_validator_accepts_the_package(
    exported: Exported, capsys: pytest.CaptureFixture[str]
) -> None:
    assert wacz_main(["validate", "-f", str(exported.wacz)]) == 0
    assert "Validation succeeded" in capsys.readouterr().out


def test_wacz_validator_rejects_a_tampered_copy(
    exported: Exported, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The check above can fail: the same package with one title edited in the page list is
    refused (its bytes no longer match the hash in datapackage.json)."""
    tampered = tmp_path / "tampered.wacz"
    with zipfile.ZipFile(exported.wacz) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "pages/pages.jsonl":
                data = data.replace("גן ציבורי".encode(), "גן פרטי".encode())
            target.writestr(info, data)
    assert wacz_main(["validate", "-f", str(tampered)]) == 1
    output = capsys.readouterr().out
    assert "Validation failed" in output and "hash" in output


def test_export_is_recorded_in_the_custody_chain(exported: Exported) -> None:
    with exported.workspace.database.session() as session:
        last = session.scalars(select(CustodyEntry).order_by(CustodyEntry.seq.desc())).first()
        assert last is not None
        assert last.action == "exported" and last.actor.startswith("analyst:")
        assert last.sha256 == hashlib.sha256(exported.wacz.read_bytes()).hexdigest()
        assert last.details["file"] == "archive.wacz"
        assert last.details["pages"] == len(exported.captures)
        assert list(CustodyLog(session).walk()) == []
    assert f"exported {len(exported.captures)} pages" in exported.cli.stderr
    assert not list(exported.wacz.parent.glob("*.partial"))


def test_empty_archive_is_a_clear_error(workspace: Workspace, tmp_path: Path) -> None:
    """Nothing captured yet: no package (a WACZ needs at least one WARC), a one-line error,
    no file left behind and nothing logged."""
    target = tmp_path / "empty.wacz"
    result = marsad_for(workspace.settings, "export", "wacz", "-o", str(target), check=False)
    assert result.returncode != 0
    assert "nothing to package" in result.stderr and "Traceback" not in result.stderr
    assert not target.exists() and not list(tmp_path.glob("*.partial"))
    with workspace.database.session() as session:
        assert session.scalars(select(CustodyEntry)).first() is None


def test_export_on_each_database_is_valid_and_logged(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same export on SQLite and PostgreSQL: one capture recorded, packaged, validated."""
    with workspace.database.session() as session:
        workspace.capture_recorder(session).record(
            RawContent(
                url="https://news.example.org/fa/library",
                data=PAGES["/fa/library"],
                content_type="text/html; charset=utf-8",
                http_status=200,
            ),
            None,
        )
    target = tmp_path / "one.wacz"
    marsad_for(workspace.settings, "export", "wacz", "-o", str(target))
    assert wacz_main(["validate", "-f", str(target)]) == 0, capsys.readouterr().out
    ((_key, _stamp, fields),) = cdxj_entries(target)
    assert fields["url"] == "https://news.example.org/fa/library"
    with workspace.database.session() as session:
        actions = [entry.action for entry in session.scalars(select(CustodyEntry))]
        assert actions == ["captured", "exported"]
        assert list(CustodyLog(session).walk()) == []
