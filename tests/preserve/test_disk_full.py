"""A full disk under the evidence store, for real: the home is a small tmpfs that fills up.

Captures that do not fit fail cleanly — recorded as failed, with the reason — and nothing in
the database points at a blob or WARC record that was not written; once space is freed, the
same ingest captures the rest. The database lives elsewhere (SQLite beside the home, or the
PostgreSQL server), as in a deployment whose evidence volume fills.
"""

from __future__ import annotations

import base64
import os
import random
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from marsad.collect.content import RawContent
from marsad.collect.crawl_book import CrawlBook
from marsad.collect.crawler import Crawler
from marsad.collect.fetcher import Fetcher
from marsad.config import Settings
from marsad.errors import EvidenceNotWritten
from marsad.pipeline.ingest import Ingestor
from marsad.preserve.blobs import BlobStore
from marsad.preserve.verify import verify_evidence
from marsad.preserve.warc import CaptureFacts, WarcWriter
from marsad.store.models import Capture, Document
from marsad.workspace import Workspace
from tests.collect.crawling import add_source, captured_urls, source_row
from tests.commandline import marsad_for
from tests.conftest import IN_CI, make_settings
from tests.webserver import Route, local_site

DISK = "256k"  # room for two or three of the pages below, blob and WARC record each
PAGES = 8


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True, text=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """An empty tmpfs of DISK bytes, unmounted afterwards."""
    folder = tmp_path / "evidence"
    folder.mkdir()
    try:
        _mount("-t", "tmpfs", "-o", f"size={DISK},mode=0755", "tmpfs", str(folder))
    except (OSError, subprocess.CalledProcessError) as error:
        reason = getattr(error, "stderr", None) or error
        message = f"cannot mount a small tmpfs (needs root): {reason}"
        if IN_CI:
            pytest.fail(message + " (required when CI=true)")
        pytest.skip(message)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "--lazy", str(folder)], check=False)


@pytest.fixture
def settings(small_disk: Path, database_url: str) -> Settings:
    return make_settings(small_disk / "home", database_url)


def page(number: int) -> bytes:
    """A news page whose bytes do not compress (so the WARC records are as big as the blobs)."""
    noise = base64.b64encode(random.Random(number).randbytes(36_000)).decode()
    return (
        f'<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>بيان رقم {number}</title>'
        f"</head><body><article><h1>بيان رقم {number}</h1><p>أعلنت الحركة افتتاح مكتب جديد "
        f"في بغداد بحضور ممثلين عن فصائل أخرى.</p></article><!-- {noise} --></body></html>"
    ).encode()


def assert_evidence_intact(workspace: Workspace) -> None:
    """Every capture row's blob and WARC record is there and matches; no half-written file."""
    with workspace.database.session() as session:
        report = verify_evidence(session, workspace.blobs, workspace.settings.warc_dir)
    assert report.problems == []
    for warc in workspace.settings.warc_dir.iterdir():
        with warc.open("rb") as stream:
            assert all(record.rec_type for record in ArchiveIterator(stream))
    assert not list(workspace.settings.home.rglob(".incoming-*"))


def test_a_full_disk_fails_captures_cleanly_and_a_rerun_takes_the_rest(
    workspace: Workspace, small_disk: Path
) -> None:
    routes = {f"/news/{number}": Route(body=page(number)) for number in range(PAGES)}
    with local_site(routes) as site:
        urls = [site.url(path) for path in routes]
        full = Ingestor(workspace).ingest(urls)
        assert 0 < full.new_captures < PAGES
        assert len(full.failed_captures) == PAGES - full.new_captures
        assert all(
            "EvidenceNotWritten" in error and "No space left on device" in error
            for _url, error in full.failed_captures
        )
        assert full.pipeline.failed == 0  # what was captured went through the stages
        assert_evidence_intact(workspace)
        with workspace.database.session() as session:
            kept = session.scalars(select(Capture).where(Capture.error.is_(None))).all()
            assert len(kept) == full.new_captures
            documents = session.scalars(select(Document)).all()
            assert {document.capture_id for document in documents} == {c.id for c in kept}

        _mount("-o", "remount,size=8m", str(small_disk))
        freed = Ingestor(workspace).ingest(urls)
        again = Ingestor(workspace).ingest(urls)
    assert freed.new_captures == PAGES - full.new_captures and not freed.failed_captures
    assert (again.new_captures, again.unchanged) == (0, PAGES)
    assert_evidence_intact(workspace)
    with workspace.database.session() as session:
        kept = session.scalars(select(Capture).where(Capture.error.is_(None))).all()
        assert sorted(capture.url for capture in kept) == sorted(urls)


def test_a_crawl_that_lost_bytes_to_a_full_disk_is_a_failed_crawl(
    workspace: Workspace, small_disk: Path
) -> None:
    """Its collector state is not saved (a channel's cursor would skip the lost posts) and the
    source backs off; once space is freed, the next crawl captures the page."""
    with local_site({"/news": Route(body=page(0) * 8)}) as site:
        source_id = add_source(workspace, "full disk", "web", site.url("/news"))
        (crawl,) = Crawler(workspace).crawl_due()
        assert crawl.error is not None and "No space left on device" in crawl.error
        row = source_row(workspace, source_id)
        assert row.last_error == crawl.error and CrawlBook.of(row).failures == 1
        assert "collector" not in (row.state or {})

        _mount("-o", "remount,size=8m", str(small_disk))
        with Fetcher(workspace.settings) as fetcher:
            again = Crawler(workspace).crawl_source(source_id, fetcher)
    assert again.error is None and again.captures.new_captures == 1
    assert "collector" in (source_row(workspace, source_id).state or {})  # saved this time
    assert site.url("/news") in captured_urls(workspace)
    assert_evidence_intact(workspace)


def test_a_blob_that_does_not_fit_leaves_no_temporary_file(small_disk: Path) -> None:
    blobs = BlobStore(small_disk / "blobs")
    blobs.put(b"small")
    with pytest.raises(EvidenceNotWritten, match="No space left on device"):
        blobs.put(os.urandom(400_000))
    assert [path.name for path in (small_disk / "blobs").rglob("*") if path.is_file()] == [
        blobs.put(b"small").sha256
    ]


def test_a_warc_record_cut_short_is_cut_off_the_file(small_disk: Path) -> None:
    warcs = WarcWriter(small_disk / "warc", 10_000_000, "Marsad-test")
    fits = RawContent(url="https://site.example/a", data=b"<p>a</p>", http_status=200)
    first = warcs.write_capture(fits, CaptureFacts(1, None, "captured"))
    path = small_disk / "warc" / first.filename
    size = path.stat().st_size
    too_big = RawContent(url="https://site.example/b", data=os.urandom(400_000), http_status=200)
    with pytest.raises(EvidenceNotWritten, match="No space left on device"):
        warcs.write_capture(too_big, CaptureFacts(2, None, "captured"))
    assert path.stat().st_size == size
    after = warcs.write_capture(fits, CaptureFacts(3, None, "captured"))
    assert (after.filename, after.offset) == (first.filename, size)
    with path.open("rb") as stream:
        assert [record.rec_type for record in ArchiveIterator(stream)] == [
            "warcinfo",
            *["response", "request", "metadata"] * 2,
        ]


def test_a_database_disk_that_fills_mid_run_ends_the_command_in_one_line(
    small_disk: Path, tmp_path: Path
) -> None:
    """SQLite on the small disk (the evidence beside it has room): the pipeline's writes fill
    it, and the command says so in one line; after freeing space the same ingest finishes."""
    _mount("-o", "remount,size=16m", str(small_disk))  # room for the schema
    settings = make_settings(tmp_path / "home", f"sqlite:///{small_disk / 'marsad.db'}")
    marsad_for(settings, "init")
    pages = tmp_path / "pages"
    pages.mkdir()
    words = ["أعلنت", "الحركة", "افتتاح", "مكتب", "جديد", "في", "بغداد", "بحضور", "ممثلين"]
    for number in range(12):
        rng = random.Random(number)
        text = " ".join(rng.choice(words) + str(rng.randint(0, 99999)) for _ in range(5000))
        html = f"<html lang='ar'><body><article><h1>بيان {number}</h1><p>{text}</p></article>"
        (pages / f"{number}.html").write_text(html + "</body></html>", encoding="utf-8")
    filler = small_disk / "filler"
    disk = os.statvfs(small_disk)
    free = disk.f_bavail * disk.f_frsize
    with filler.open("wb", buffering=0) as handle:
        handle.write(b"\0" * (free - 256 * 1024))  # room for the WAL to open, not for the texts

    full = marsad_for(settings, "ingest", str(pages), check=False)
    assert full.returncode == 1
    assert full.stderr.startswith("error: the database failed: "), full.stderr
    assert "Traceback" not in full.stderr and "[SQL:" not in full.stderr

    filler.unlink()
    freed = marsad_for(settings, "ingest", str(pages)).stdout
    # The pages captured before the disk filled are kept, and their stages run now.
    with Workspace.open(settings) as workspace:
        runs = 12 * len(workspace.registry.names())
    assert f"0 not captured; stages: {runs} ok, 0 failed" in freed, freed
    assert "captures 12 (0 failed) · documents 12" in marsad_for(settings, "status").stdout
    assert "all evidence intact" in marsad_for(settings, "verify").stdout
