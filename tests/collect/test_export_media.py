"""Media of a Telegram Desktop export: the photo and the PDF its messages name are captured by
a real crawl as media of their message — blob, WARC record, MD5/PDQ hashes, OCR text — tied to
the post, once; files outside the export's folder are never read."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from marsad.collect.export_media import message_media_files
from marsad.media.attached import media_of
from marsad.media.hashes import pdq_of
from marsad.store.models import Capture, Document, MediumHash, Source
from marsad.workspace import Workspace
from tests.collect.crawling import add_source, crawl_now
from tests.collect.test_telegram import FIXTURES
from tests.conftest import make_settings
from tests.media.statements import ARABIC, FARSI, statement_image, statement_png, text_layer_pdf

CHANNEL_ID = 1987654321
PHOTO = "photos/photo_3@03-10-2026_18-05-00.jpg"
PDF = "files/timetable.pdf"


@pytest.fixture
def export_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "ChatExport_2026-10-09"
    (folder / "photos").mkdir(parents=True)
    (folder / "files").mkdir()
    shutil.copy(FIXTURES / "export-result.json", folder / "result.json")
    (folder / PHOTO).write_bytes(statement_png(ARABIC))  # Telegram's name, any picture's bytes
    (folder / PDF).write_bytes(text_layer_pdf(FARSI))
    return folder


def export_workspace(tmp_path: Path, database_url: str, **overrides: str) -> Workspace:
    settings = make_settings(tmp_path / "home", database_url, **overrides)
    workspace, _before, _after = Workspace.initialise(settings)
    return workspace


@pytest.fixture
def workspace(tmp_path: Path, database_url: str) -> Iterator[Workspace]:
    workspace = export_workspace(tmp_path, database_url)
    yield workspace
    workspace.close()


def crawl_export(workspace: Workspace, export_dir: Path) -> int:
    """One crawl of the export (captures, then every stage); returns its new captures."""
    with workspace.database.session() as session:
        found = session.scalars(select(Source.id).where(Source.name == "export")).first()
    source_id = found or add_source(workspace, "export", "telegram-export", str(export_dir))
    crawl = crawl_now(workspace, source_id)
    assert crawl.error is None and crawl.captures.failed_captures == []
    assert crawl.captures.pipeline.failures == []
    return crawl.captures.new_captures


def test_the_photo_and_pdf_of_exported_messages_are_captured_as_their_media(
    workspace: Workspace, export_dir: Path
) -> None:
    assert crawl_export(workspace, export_dir) == 3  # the messages, the photo, the PDF

    photo_url = (export_dir / PHOTO).resolve().as_uri()
    pdf_url = (export_dir / PDF).resolve().as_uri()
    with workspace.database.session() as session:
        photo = session.scalars(select(Capture).where(Capture.url == photo_url)).one()
        hashes = session.get_one(MediumHash, photo.id)
        assert photo.warc_record_id is not None and hashes.sha256 == photo.sha256
        assert hashes.pdq == pdq_of(statement_image(ARABIC))[0]
        read = session.scalars(select(Document).where(Document.capture_id == photo.id)).one()
        assert read.properties["attached_to"] == f"https://t.me/c/{CHANNEL_ID}/3"
        assert "افتتاح مركز صحي" in (read.text or "")  # OCR
        assert read.properties["medium"]["read"][0]["method"] == "ocr"
        pdf = session.scalars(select(Capture).where(Capture.url == pdf_url)).one()
        pdf_read = session.scalars(select(Document).where(Document.capture_id == pdf.id)).one()
        assert pdf_read.properties["attached_to"] == f"https://t.me/c/{CHANNEL_ID}/6"
        assert "سپاه پاسداران" in (pdf_read.text or "")  # the text layer
        post = session.scalars(select(Document).where(Document.part == "3")).one()
        assert [m.capture.url for m in media_of(session, post)] == [photo_url]


def test_a_second_import_captures_no_medium_again(workspace: Workspace, export_dir: Path) -> None:
    crawl_export(workspace, export_dir)

    assert crawl_export(workspace, export_dir) == 0
    with workspace.database.session() as session:
        assert len(session.scalars(select(MediumHash)).all()) == 2


def test_media_can_be_left_out(tmp_path: Path, database_url: str, export_dir: Path) -> None:
    workspace = export_workspace(tmp_path, database_url, telegram_export_media="0")
    try:
        assert crawl_export(workspace, export_dir) == 1
    finally:
        workspace.close()


def test_only_pictures_pdfs_and_videos_inside_the_export_are_read(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    (folder / "files").mkdir(parents=True)
    (tmp_path / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n outside the export")
    (folder / "files" / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    (folder / "files" / "poster.png").write_bytes(statement_png(ARABIC))
    (folder / "files" / "leaflet.pdf").write_bytes(b"%PDF-1.4\n")

    def files_of(message: dict[str, str]) -> list[str]:
        return [path.name for path in message_media_files(message, folder)]

    assert files_of({"photo": "../secret.png"}) == []
    assert files_of({"file": "files/clip.mp4", "mime_type": "video/mp4"}) == ["clip.mp4"]
    assert files_of({"file": "files/clip.mp4", "mime_type": "audio/ogg"}) == []
    assert files_of({"file": "files/poster.png", "mime_type": "image/png"}) == ["poster.png"]
    assert files_of({"file": "files/leaflet.pdf"}) == ["leaflet.pdf"]  # typed by its name
    assert files_of({"photo": "(File not included. Change data exporting settings)"}) == []
    assert files_of({"photo": "photos/missing.jpg"}) == []


def test_a_picture_that_is_not_one_is_a_recorded_failure(
    workspace: Workspace, export_dir: Path
) -> None:
    (export_dir / PHOTO).write_text("<svg onload='alert(1)'></svg>", encoding="utf-8")
    source_id = add_source(workspace, "export", "telegram-export", str(export_dir))
    crawl = crawl_now(workspace, source_id)
    (failed,) = crawl.captures.failed_captures
    assert "its bytes are none of them" in json.dumps(str(failed), ensure_ascii=False)
