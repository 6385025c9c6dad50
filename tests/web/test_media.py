"""The document page shows a post's media beside its text (the photo inline, the PDF linked,
the photo's OCR text right to left, the hash lists it is on), and /media/ID serves only
captured media, typed by their bytes and sandboxed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marsad.pipeline.ingest import Ingestor
from marsad.store.models import Capture, Document, MediumHash
from tests.media.videos import CLIP_KEYFRAMES, make_clip
from tests.web.conftest import Signed
from tests.web.corpus import WebHome
from tests.web.media_corpus import PostWithMedia, add_post_with_media


@pytest.fixture(scope="module")
def post(home: WebHome, tmp_path_factory: pytest.TempPathFactory) -> PostWithMedia:
    return add_post_with_media(home, tmp_path_factory.mktemp("media"))


def test_the_post_page_shows_its_photo_ocr_text_and_pdf(
    analyst: Signed, post: PostWithMedia
) -> None:
    page = analyst.get(f"/documents/{post.post_id}").text

    assert 'side-by-side with-media">' in page  # the gloss translation makes it three columns
    assert f'<img src="/media/{post.photo_capture_id}"' in page
    assert f'<a class="pdf" href="/media/{post.pdf_capture_id}" download>' in page
    photo = page.split(f'id="medium-{post.photo_capture_id}"')[1].split("</figure>")[0]
    assert '<div class="ocr-text" dir="rtl" lang="ar">' in photo
    assert "افتتاح مركز صحي" in photo  # read by Tesseract from the picture
    assert "OCR confidence" in photo
    assert "statement poster &lt;b&gt;label&lt;/b&gt;" in photo and "<b>label" not in page


def test_a_page_without_media_has_no_media_column(analyst: Signed, home: WebHome) -> None:
    page = analyst.get(f"/documents/{home.documents['en-meeting.html']}").text
    assert "with-media" not in page and "/media/" not in page


def test_media_are_served_by_their_bytes_and_sandboxed(
    analyst: Signed, post: PostWithMedia
) -> None:
    photo = analyst.get(f"/media/{post.photo_capture_id}")
    assert photo.status_code == 200 and photo.content.startswith(b"\x89PNG")
    assert photo.headers["content-type"] == "image/png"
    assert photo.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert photo.headers["x-content-type-options"] == "nosniff"
    assert photo.headers["content-disposition"].startswith("inline;")
    pdf = analyst.get(f"/media/{post.pdf_capture_id}")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("attachment;")
    assert analyst.get(f"/media/{post.page_capture_id}").status_code == 404


def test_bytes_that_are_no_picture_are_never_served_as_one(
    analyst: Signed, home: WebHome, post: PostWithMedia
) -> None:
    """A capture whose row says "image" but whose bytes are markup (an SVG with script, say)
    goes out as an opaque download, never as something the browser renders."""
    with home.workspace.database.session() as session:
        capture = session.get_one(Capture, post.page_capture_id)
        session.add(MediumHash(capture_id=capture.id, kind="image", sha256=capture.sha256 or "",
                               md5="0" * 32))  # fmt: skip
    try:
        served = analyst.get(f"/media/{post.page_capture_id}")
        assert served.status_code == 200
        assert served.headers["content-type"] == "application/octet-stream"
        assert served.headers["content-disposition"].startswith("attachment;")
        assert served.headers["content-security-policy"] == "default-src 'none'; sandbox"
    finally:
        with home.workspace.database.session() as session:
            session.delete(session.get_one(MediumHash, post.page_capture_id))


def test_media_need_a_signed_in_reader(home: WebHome, post: PostWithMedia) -> None:
    from fastapi.testclient import TestClient

    from marsad.web.app import create_app

    with TestClient(create_app(home.workspace)) as anonymous:
        answer = anonymous.get(f"/media/{post.photo_capture_id}", follow_redirects=False)
    assert answer.status_code in (303, 401)
    with home.workspace.database.session() as session:
        assert session.scalars(select(MediumHash.kind)).all()


def test_a_hash_list_alert_on_the_post_is_in_the_inbox(
    analyst: Signed, home: WebHome, post: PostWithMedia
) -> None:
    rule = {
        "name": "listed media",
        "conditions": {"hash_lists": ["shared"]},
        "webhook_url": "http://127.0.0.1:9/hooks/marsad",
    }
    assert analyst.send("POST", "/api/v1/alerts", json=rule).status_code == 201
    home.workspace.runner().run([post.post_id], stage_names=["alerts"], force=True)

    inbox = analyst.get("/inbox").text

    assert "on hash list shared: statement poster &lt;b&gt;label&lt;/b&gt; (md5)" in inbox
    assert "<b>label" not in inbox


@pytest.fixture(scope="module")
def video(home: WebHome, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, int]:
    """(document id, capture id) of an ingested video."""
    path = tmp_path_factory.mktemp("video") / "speech.mp4"
    make_clip(path)
    summary = Ingestor(home.workspace).ingest([str(path)])
    assert summary.failed_captures == [] and summary.pipeline.failures == []
    with home.workspace.database.session() as session:
        capture = session.scalars(select(Capture).where(Capture.url == path.as_uri())).one()
        document = session.scalars(select(Document).where(Document.capture_id == capture.id)).one()
        return document.id, capture.id


def test_a_video_is_listed_with_its_keyframes_and_served_as_a_download(
    analyst: Signed, video: tuple[int, int]
) -> None:
    document_id, capture_id = video

    page = analyst.get(f"/documents/{document_id}").text

    assert f"video, {CLIP_KEYFRAMES} keyframe(s) hashed with PDQ" in page
    assert f'<a class="video" href="/media/{capture_id}" download>Video, {CLIP_KEYFRAMES}' in page
    served = analyst.get(f"/media/{capture_id}")
    assert served.headers["content-type"] == "video/mp4"
    assert served.headers["content-disposition"].startswith("attachment;")
    assert served.headers["content-security-policy"] == "default-src 'none'; sandbox"
