"""`Ingestor` end to end on SQLite and PostgreSQL: capture, extract, identify — and bad input."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from marsad.errors import ConfigError
from marsad.pipeline.ingest import Ingestor, source_for
from marsad.store.models import Capture, Document, Source, StageRun
from marsad.workspace import Workspace
from tests.conftest import make_settings
from tests.webserver import Route, local_site

ARABIC_BODY = (
    "أعلنت الحركة يوم الثلاثاء افتتاح مكتب جديد لها في العاصمة بغداد، بحضور عدد من قادتها "
    "وممثلين عن فصائل أخرى، وفقاً لبيان نشر على موقعها الرسمي. وقال المتحدث باسم الحركة إن "
    "المكتب سيعنى بالشؤون الاجتماعية وتوزيع المساعدات على العائلات في المنطقة."
)


def arabic_page(charset: str = "utf-8") -> str:
    return (
        f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="{charset}">'
        "<title>افتتاح مكتب جديد</title></head><body><nav><a href='/'>الرئيسية</a> "
        "<a href='/news'>الأخبار</a></nav><article><h1>افتتاح مكتب جديد في بغداد</h1>"
        f"<p>{ARABIC_BODY}</p></article><footer>جميع الحقوق محفوظة</footer></body></html>"
    )


def count(workspace: Workspace, model: type) -> int:
    with workspace.database.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def only_document(workspace: Workspace) -> Document:
    with workspace.database.session() as session:
        return session.scalars(select(Document)).one()


def test_same_file_twice_is_one_capture_and_one_document(
    workspace: Workspace, tmp_path: Path
) -> None:
    page = tmp_path / "office.html"
    page.write_text(arabic_page(), encoding="utf-8")
    first = Ingestor(workspace).ingest([str(page)])
    second = Ingestor(workspace).ingest([str(page)])
    assert (first.new_captures, second.new_captures, second.unchanged) == (1, 0, 1)
    stages = len(workspace.registry.names())  # every installed stage ran once
    assert first.pipeline.succeeded == stages and second.pipeline.succeeded == 0
    assert count(workspace, Capture) == count(workspace, Document) == 1
    assert count(workspace, StageRun) == stages
    document = only_document(workspace)
    assert document.language == "ar" and document.title == "افتتاح مكتب جديد في بغداد"
    assert "جميع الحقوق محفوظة" not in (document.text or "")
    assert document.first_seen_at is not None


def test_windows_1256_page_is_decoded(workspace: Workspace, tmp_path: Path) -> None:
    page = tmp_path / "legacy.html"
    page.write_bytes(arabic_page("windows-1256").encode("cp1256"))
    Ingestor(workspace).ingest([str(page)])
    document = only_document(workspace)
    assert ARABIC_BODY[:40] in (document.text or "")
    assert document.language == "ar"


def test_binary_and_empty_files_are_recorded_failures(workspace: Workspace, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)))
    (inbox / "empty.html").write_bytes(b"")
    (inbox / "page.html").write_text(arabic_page(), encoding="utf-8")
    summary = Ingestor(workspace).ingest([str(inbox)])
    errors = sorted(error for _, _, error in summary.pipeline.failures)
    assert errors == [
        "UnsupportedFormat: a damaged or unreadable image: no decoder recognises it",
        "UnsupportedFormat: the content is empty",
    ]
    assert summary.new_captures == 3  # the bytes are preserved even when unreadable
    assert count(workspace, Document) == 3
    with workspace.database.session() as session:
        statuses = session.execute(select(StageRun.stage, StageRun.status)).all()
    # The unreadable ones stop at extract; the page goes through every stage.
    readable = [(name, "ok") for name in workspace.registry.names()]
    assert sorted(statuses) == sorted([("extract", "failed"), ("extract", "failed"), *readable])


@pytest.mark.slow
def test_fifty_megabyte_file(tmp_path: Path, database_url: str) -> None:
    big = tmp_path / "dump.html"
    paragraph = f"<p>{ARABIC_BODY}</p>\n".encode()
    with big.open("wb") as handle:
        handle.write(b"<html><body>")
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(paragraph * 100)
    # Default cap: refused before reading, recorded as a failed capture.
    strict, _, _ = Workspace.initialise(make_settings(tmp_path / "a", database_url))
    summary = Ingestor(strict).ingest([str(big)])
    assert summary.failed_captures[0][1].startswith("CaptureTooLarge: ")
    assert "MARSAD_MAX_CAPTURE_BYTES" in summary.failed_captures[0][1]
    assert count(strict, Document) == 0
    strict.close()
    # A raised cap: preserved, and extraction declines it with a clear reason.
    second_url = f"sqlite:///{tmp_path / 'b.db'}" if "sqlite" in database_url else database_url
    roomy, _, _ = Workspace.initialise(
        make_settings(tmp_path / "b", second_url, max_capture_bytes=str(64 * 1024 * 1024))
    )
    summary = Ingestor(roomy).ingest([str(big)])
    assert summary.new_captures == 1
    (failure,) = summary.pipeline.failures
    assert "over the extraction limit" in failure[2] and "preserved" in failure[2]
    with roomy.database.session() as session:
        capture = session.scalars(select(Capture).where(Capture.error.is_(None))).one()
        assert capture.size == big.stat().st_size
        assert roomy.blobs.path_of(capture.blob_key or "").stat().st_size == capture.size
    roomy.close()


def test_missing_path_is_a_recorded_failure(workspace: Workspace, tmp_path: Path) -> None:
    summary = Ingestor(workspace).ingest([str(tmp_path / "nowhere.html")])
    assert summary.failed_captures[0][1].startswith("CaptureNotFound: no such file")
    with workspace.database.session() as session:
        assert session.scalars(select(Capture.error)).one().startswith("CaptureNotFound")


def test_url_is_fetched_captured_and_processed(workspace: Workspace) -> None:
    routes = {
        "/ar/office": Route(body=arabic_page().encode(), headers={"Content-Type": "text/html"}),
    }
    with local_site(routes) as site:
        summary = Ingestor(workspace).ingest(
            [site.url("/ar/office"), site.url("/ar/deleted")], source_name="site", language="ar"
        )
    assert summary.new_captures == 1
    assert summary.failed_captures[0][1] == f"FetchError: HTTP 404 for {site.url('/ar/deleted')}"
    with workspace.database.session() as session:
        source = session.scalars(select(Source)).one()
        assert (source.name, source.kind, source.language_hint) == ("site", "web", "ar")
        failed = session.scalars(select(Capture).where(Capture.error.is_not(None))).one()
        assert failed.http_status == 404
    document = only_document(workspace)
    assert document.url == site.url("/ar/office") and document.language == "ar"


def test_language_hint_decides_only_for_too_little_text(
    workspace: Workspace, tmp_path: Path
) -> None:
    (tmp_path / "short.txt").write_text("OK\n", encoding="utf-8")
    Ingestor(workspace).ingest([str(tmp_path / "short.txt")], language="fa")
    document = only_document(workspace)
    assert (document.language, document.language_confidence) == ("fa", None)


def test_a_source_name_or_language_hint_longer_than_the_store_holds_is_refused(
    workspace: Workspace, tmp_path: Path
) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>خبر</p></body></html>", encoding="utf-8")
    with pytest.raises(ConfigError, match="the source name has 201 characters; at most 200 fit"):
        Ingestor(workspace).ingest([str(page)], source_name="s" * 201)
    with pytest.raises(ConfigError, match="the language hint has 17 characters; at most 16"):
        Ingestor(workspace).ingest([str(page)], language="a" * 17)
    assert count(workspace, Capture) == 0


def test_a_source_named_for_a_long_hostname_keeps_the_first_200_characters(
    workspace: Workspace,
) -> None:
    host = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 50, "example"])  # 250: valid in DNS
    with workspace.database.session() as session:
        source = source_for(session, None, f"https://{host}/page", None)
        assert len(host) == 250 and source.name == host[:200]
