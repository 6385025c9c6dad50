"""The `warc` source kind and `marsad ingest FILE.warc[.gz]`: WARC files written here by warcio
(responses, a request, a revisit, a resource, a record cut short) imported into a real
workspace; each response keeps its original URL and date, damage is a recorded failure, and a
second import records nothing new."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from marsad.collect.fetcher import Fetcher
from marsad.collect.kinds import CollectContext
from marsad.collect.warc import WarcCollector
from marsad.pipeline.ingest import Ingestor, IngestSummary
from marsad.store.models import Capture, CustodyEntry, Document, Source
from marsad.workspace import Workspace
from tests.commandline import marsad_for


@dataclass(frozen=True)
class Page:
    url: str
    date: str  # WARC-Date
    body: bytes
    content_type: str = "text/html; charset=utf-8"

    @property
    def fetched_at(self) -> datetime:
        return datetime.fromisoformat(self.date.replace("Z", "+00:00"))


def html(lang: str, title: str, text: str) -> bytes:
    return (
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><article><h1>{title}</h1><p>{text}</p></article></body></html>"
    ).encode()


ARABIC = Page(
    "https://news.example.org/ar/2024/03/bridge",
    "2024-03-05T10:20:30Z",
    html("ar", "افتتاح جسر جديد", "افتتحت البلدية جسرا جديدا فوق النهر صباح الثلاثاء."),
)
FARSI = Page(
    "https://news.example.org/fa/2024/03/library",
    "2024-03-06T08:00:00Z",
    html("fa", "گشایش کتابخانه", "کتابخانه‌ی تازه‌ی شهر روز چهارشنبه گشایش یافت."),
)
HEBREW_NOTE = Page(
    "https://files.example.org/he/notice.txt",
    "2024-03-07T12:00:00Z",
    "הודעה: הספרייה העירונית תהיה סגורה ביום שישי.".encode(),
    content_type="text/plain; charset=utf-8",
)
TRUNCATED = Page(
    "https://news.example.org/he/2024/03/park",
    "2024-03-08T09:30:00Z",
    html("he", "גן חדש", "העירייה פתחה גן ציבורי חדש בשכונה הצפונית. " * 20),
)
IMPORTED = (ARABIC, FARSI, HEBREW_NOTE)  # what a good import captures


def http_headers(page: Page) -> StatusAndHeaders:
    headers = [("Content-Type", page.content_type), ("Content-Length", str(len(page.body)))]
    return StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")


def response(writer: WARCWriter, page: Page) -> Any:
    return writer.create_warc_record(
        page.url,
        "response",
        payload=io.BytesIO(page.body),
        length=len(page.body),
        http_headers=http_headers(page),
        warc_headers_dict={"WARC-Date": page.date},
    )


def write_warc(path: Path, gzip: bool) -> None:
    """warcinfo, response + request, response, revisit, resource, and a last response that
    the file then loses its end of (a crawler killed mid-write)."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        arabic = response(writer, ARABIC)
        writer.write_record(arabic)
        request = StatusAndHeaders(
            "GET /ar/2024/03/bridge", [("Host", "news.example.org")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                ARABIC.url,
                "request",
                payload=io.BytesIO(b""),
                length=0,
                http_headers=request,
                warc_headers_dict={
                    "WARC-Date": ARABIC.date,
                    "WARC-Concurrent-To": arabic.rec_headers.get_header("WARC-Record-ID"),
                },
            )
        )
        writer.write_record(response(writer, FARSI))
        writer.write_record(
            writer.create_revisit_record(
                ARABIC.url,
                digest=arabic.rec_headers.get_header("WARC-Payload-Digest"),
                refers_to_uri=ARABIC.url,
                refers_to_date=ARABIC.date,
                http_headers=http_headers(ARABIC),
            )
        )
        writer.write_record(
            writer.create_warc_record(
                HEBREW_NOTE.url,
                "resource",
                payload=io.BytesIO(HEBREW_NOTE.body),
                length=len(HEBREW_NOTE.body),
                warc_content_type=HEBREW_NOTE.content_type,
                warc_headers_dict={"WARC-Date": HEBREW_NOTE.date},
            )
        )
        complete = handle.tell()
        writer.write_record(response(writer, TRUNCATED))
        end = handle.tell()
    with path.open("r+b") as handle:
        handle.truncate(complete + (end - complete) // 2)


@pytest.fixture(params=["warc.gz", "warc"])
def warc_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / f"crawl-2024-03.{request.param}"
    write_warc(path, gzip=request.param == "warc.gz")
    return path


def damaged_url(warc: Path) -> str:
    """Where the damage is recorded. A plain WARC's cut record still shows its URL; in a WARC.gz
    the cut gzip member cannot be read at all, so the failure names the file."""
    return warc.resolve().as_uri() if warc.name.endswith(".gz") else TRUNCATED.url


def as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def captures(workspace: Workspace) -> list[Capture]:
    with workspace.database.session() as session:
        found = list(session.scalars(select(Capture).order_by(Capture.id)))
        session.expunge_all()
        return found


def count(workspace: Workspace, model: type) -> int:
    with workspace.database.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def assert_imported(workspace: Workspace, warc: Path) -> None:
    """Each response/resource a capture with its original URL, date, type and bytes; the cut
    record one failed capture; the request and the revisit nothing."""
    found = captures(workspace)
    good = {capture.url: capture for capture in found if capture.error is None}
    assert sorted(good) == sorted(page.url for page in IMPORTED)
    for page in IMPORTED:
        capture = good[page.url]
        assert as_utc(capture.fetched_at) == page.fetched_at
        assert capture.sha256 == hashlib.sha256(page.body).hexdigest()
        assert capture.content_type == page.content_type
        assert workspace.blobs.read(capture.blob_key) == page.body
    assert good[ARABIC.url].http_status == 200 and good[HEBREW_NOTE.url].http_status is None
    (failure,) = [capture for capture in found if capture.error is not None]
    error = failure.error or ""
    assert failure.url == damaged_url(warc) and error.startswith("WarcMalformed: ")
    if warc.name.endswith(".gz"):
        assert f"{warc.name} is damaged at byte " in error and "\n" not in error
    else:
        assert f"record for {TRUNCATED.url} at {warc.resolve().as_uri()}#offset=" in error
        assert "is truncated" in error


def test_warc_source_added_and_crawled_from_the_command_line(
    workspace: Workspace, warc_file: Path
) -> None:
    marsad_for(workspace.settings, "source", "add", "warc", str(warc_file), "--name", "march crawl")
    crawled = marsad_for(workspace.settings, "crawl")
    assert "crawled 1 sources: 3 new, 0 unchanged, 1 not captured" in crawled.stdout
    assert_imported(workspace, warc_file)
    with workspace.database.session() as session:
        source = session.scalars(select(Source).where(Source.name == "march crawl")).one()
        assert source.kind == "warc" and source.locator == str(warc_file.resolve())
        assert {capture.source_id for capture in session.scalars(select(Capture))} == {source.id}
        # The pipeline ran on what was imported: the pages' own titles were extracted.
        titles = set(session.scalars(select(Document.title)))
        assert {"افتتاح جسر جديد", "گشایش کتابخانه"} <= titles


def test_ingest_of_a_warc_file_then_reimport_records_nothing_new(
    workspace: Workspace, warc_file: Path
) -> None:
    first = Ingestor(workspace).capture([str(warc_file)])
    assert first.new_captures == 3 and len(first.failed_captures) == 1
    assert_imported(workspace, warc_file)
    before = (count(workspace, Capture), count(workspace, Document), count(workspace, CustodyEntry))
    again = Ingestor(workspace).capture([str(warc_file)])
    assert again.new_captures == 0 and again.unchanged == 3
    after = (count(workspace, Capture), count(workspace, Document), count(workspace, CustodyEntry))
    assert after == before


def test_recrawl_of_a_warc_source_records_nothing_new(
    workspace: Workspace, warc_file: Path
) -> None:
    def crawl() -> int:
        with Fetcher(workspace.settings) as fetcher:
            context = CollectContext(fetcher=fetcher, settings=workspace.settings, state={})
            attempts = list(WarcCollector().attempts(str(warc_file), context))
        summary = IngestSummary()
        Ingestor(workspace).record_attempts(attempts, lambda _session: None, summary)
        return summary.new_captures

    assert crawl() == 3
    before = [capture.id for capture in captures(workspace)]
    assert crawl() == 0
    assert [capture.id for capture in captures(workspace)] == before


def test_imported_capture_points_back_at_its_original_record(
    workspace: Workspace, warc_file: Path
) -> None:
    """The custody entry names the source file and byte offset; the record there is the one
    imported, and Marsad's own WARC keeps a copy with the original date."""
    Ingestor(workspace).capture([str(warc_file)])
    with workspace.database.session() as session:
        capture = session.scalars(select(Capture).where(Capture.url == FARSI.url)).one()
        entry = session.scalars(
            select(CustodyEntry).where(CustodyEntry.capture_id == capture.id)
        ).one()
        own_warc = workspace.settings.warc_dir / str(capture.warc_filename)
        own_offset = int(capture.warc_offset or 0)
    assert entry.action == "imported"
    origin, _, offset = entry.details["imported_from"].partition("#offset=")
    assert origin == warc_file.resolve().as_uri()
    for path, at in ((warc_file, int(offset)), (own_warc, own_offset)):
        with path.open("rb") as handle:
            handle.seek(at)
            record = next(iter(ArchiveIterator(handle)))
            assert record.rec_headers.get_header("WARC-Target-URI") == FARSI.url
            assert record.rec_headers.get_header("WARC-Date").startswith(FARSI.date[:19])
            assert record.content_stream().read() == FARSI.body


def test_bytes_that_are_not_a_warc_record_end_the_import_with_a_failure(
    workspace: Workspace, tmp_path: Path
) -> None:
    """Records before the junk are kept; the junk is one failure naming the file and offset."""
    good = tmp_path / "good.warc"
    with good.open("wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        writer.write_record(response(writer, ARABIC))
    junk = tmp_path / "mixed.warc"
    junk.write_bytes(good.read_bytes() + b"<html>not a WARC record</html>\r\n\r\n")
    summary = Ingestor(workspace).capture([str(junk)])
    assert summary.new_captures == 1
    ((url, error),) = summary.failed_captures
    assert url == junk.resolve().as_uri()
    assert f"mixed.warc is damaged at byte {good.stat().st_size} " in error


def test_a_file_named_like_an_archive_that_is_not_one_is_one_failure(
    workspace: Workspace, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.warc"
    notes.write_text("ملاحظات المحلل عن الأرشيف\nnot an archive\n", encoding="utf-8")
    summary = Ingestor(workspace).capture([str(notes)])
    assert summary.new_captures == 0 and summary.archive_records_lost == 1
    ((url, error),) = summary.failed_captures
    assert url == notes.resolve().as_uri()
    assert error.startswith("WarcMalformed: notes.warc is not a WARC or ARC archive (")
    assert "\n" not in error
