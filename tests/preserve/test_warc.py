"""The WARC writer: real HTTP responses and files become WARC records that warcio reads back."""

import gzip
import random
from pathlib import Path

from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from marsad.collect.content import RawContent
from marsad.pipeline.ingest import Ingestor
from marsad.preserve.warc import CaptureFacts, WarcWriter, check_record
from marsad.store.models import Capture
from marsad.workspace import Workspace
from tests.webserver import Route, local_site

FARSI_PAGE = (
    '<html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>گزارش</title></head>'
    "<body><p>نشست هماهنگی گروه‌ها روز سه‌شنبه در بغداد برگزار شد.</p></body></html>"
).encode()


def records_from(path: Path, offset: int, count: int) -> list[tuple[str, dict[str, str], bytes]]:
    """(type, WARC headers, payload) of `count` records starting at `offset`."""
    found = []
    with path.open("rb") as handle:
        handle.seek(offset)
        for record in ArchiveIterator(handle):
            headers = dict(record.rec_headers.headers)
            found.append((record.rec_type, headers, record.content_stream().read(), record))
            if len(found) == count:
                break
    return [(kind, headers, payload) for kind, headers, payload, _ in found]


def only_capture(workspace: Workspace) -> Capture:
    with workspace.database.session() as session:
        return session.scalars(select(Capture)).one()


def test_http_capture_is_a_response_request_and_metadata_record(workspace: Workspace) -> None:
    routes = {
        "/news/1": Route(body=FARSI_PAGE, headers={"Content-Type": "text/html; charset=utf-8"})
    }
    with local_site(routes) as site:
        Ingestor(workspace).capture([site.url("/news/1")])
    capture = only_capture(workspace)
    assert capture.warc_filename and capture.warc_offset is not None and capture.warc_record_id
    path = workspace.settings.warc_dir / capture.warc_filename
    with path.open("rb") as handle:
        handle.seek(capture.warc_offset)
        record = next(iter(ArchiveIterator(handle)))
        assert record.rec_type == "response"
        assert record.http_headers.get_statuscode() == "200"
        assert record.http_headers.get_header("Content-Type") == "text/html; charset=utf-8"
        assert record.content_stream().read() == FARSI_PAGE
    (_, response, _), (kind, request, _), (meta_kind, meta, fields) = records_from(
        path, capture.warc_offset, 3
    )
    assert response["WARC-Record-ID"] == capture.warc_record_id
    assert response["WARC-Payload-Digest"] == f"sha256:{capture.sha256}"
    assert response["WARC-Target-URI"] == site.url("/news/1")
    assert kind == "request" and request["WARC-Concurrent-To"] == capture.warc_record_id
    assert meta_kind == "metadata" and meta["WARC-Concurrent-To"] == capture.warc_record_id
    assert f"marsad-capture-id: {capture.id}\r\n".encode() in fields
    assert b"marsad-source: 127.0.0.1\r\n" in fields


def test_gzip_encoded_response_keeps_a_consistent_record(workspace: Workspace) -> None:
    """httpx decodes the body; the record must not claim it is still gzipped."""
    routes = {
        "/z": Route(
            body=gzip.compress(FARSI_PAGE),
            headers={"Content-Type": "text/html", "Content-Encoding": "gzip"},
        )
    }
    with local_site(routes) as site:
        Ingestor(workspace).capture([site.url("/z")])
    capture = only_capture(workspace)
    path = workspace.settings.warc_dir / str(capture.warc_filename)
    with path.open("rb") as handle:
        handle.seek(int(capture.warc_offset or 0))
        record = next(iter(ArchiveIterator(handle)))
        assert record.http_headers.get_header("Content-Encoding") is None
        assert record.http_headers.get_header("X-Marsad-Original-Content-Encoding") == "gzip"
        assert record.http_headers.get_header("Content-Length") == str(len(FARSI_PAGE))
        assert record.content_stream().read() == FARSI_PAGE
    check = check_record(path, int(capture.warc_offset or 0))
    assert check.payload_sha256 == capture.sha256 and check.digest_problems == ()


def test_file_capture_is_a_resource_record(workspace: Workspace, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_bytes(FARSI_PAGE)
    Ingestor(workspace).capture([str(page)])
    capture = only_capture(workspace)
    path = workspace.settings.warc_dir / str(capture.warc_filename)
    (kind, headers, payload), (next_kind, _, _) = records_from(path, capture.warc_offset or 0, 2)
    assert kind == "resource" and payload == FARSI_PAGE
    assert headers["Content-Type"] == "text/html"
    assert headers["WARC-Target-URI"] == page.resolve().as_uri()
    assert next_kind == "metadata"  # no request record: nothing was requested


def test_files_rotate_at_the_size_limit_and_start_with_warcinfo(tmp_path: Path) -> None:
    writer = WarcWriter(tmp_path, max_bytes=1000, user_agent="test")
    locations = [
        writer.write_capture(
            RawContent(url=f"file:///doc{n}.bin", data=random.Random(n).randbytes(2000)),
            CaptureFacts(n, None, "captured"),
        )
        for n in range(3)
    ]
    names = [location.filename for location in locations]
    assert len(set(names)) == 3
    assert all(name.startswith("marsad-") and name.endswith(".warc.gz") for name in names)
    for location in locations:
        (kind, _, _) = records_from(tmp_path / location.filename, 0, 1)[0]
        assert kind == "warcinfo"


def test_records_before_a_torn_write_stay_readable(tmp_path: Path) -> None:
    """Each record is its own gzip member: a crash mid-write loses only the torn record."""
    writer = WarcWriter(tmp_path, max_bytes=10**9, user_agent="test")
    first = writer.write_capture(
        RawContent(url="file:///a.txt", data="שלום".encode()), CaptureFacts(1, None, "captured")
    )
    path = tmp_path / first.filename
    whole = path.read_bytes()
    second = writer.write_capture(
        RawContent(url="file:///b.txt", data=b"x" * 5000), CaptureFacts(2, None, "captured")
    )
    assert second.filename == first.filename and second.offset >= len(whole)
    path.chmod(0o644)
    torn = path.read_bytes()[: second.offset + 40]
    path.write_bytes(torn)
    check = check_record(path, first.offset)
    assert check.record_id == first.record_id and check.digest_problems == ()
