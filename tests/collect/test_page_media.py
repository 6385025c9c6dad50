"""Media of captured pages (a web source's `media` option), from a real HTTP server on
127.0.0.1: the pictures and PDFs a page embeds or links are captured beside it through the
same fetcher (its SSRF guard refuses a private address), hashed and read, tied to the page,
once; an SVG is never fetched and bytes that are no picture are a recorded failure."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from sqlalchemy import select

from marsad.collect.page_media import page_media
from marsad.config import Settings
from marsad.media.attached import media_of
from marsad.media.describe import keyframe_count
from marsad.store.models import Capture, Document, MediumHash
from marsad.workspace import Workspace
from tests.collect.crawling import add_source, captured_urls, crawl_now, errors_by_url
from tests.conftest import make_settings
from tests.media.statements import ARABIC, HEBREW, statement_png, text_layer_pdf
from tests.media.videos import CLIP_KEYFRAMES, make_clip
from tests.webserver import LocalSite, Route, local_site

HTML = {"Content-Type": "text/html; charset=utf-8"}
ARTICLE = """<html><head><title>بيان البلدية</title></head><body><h1>بيان البلدية</h1>
<p>نشرت البلدية اليوم بياناً عن افتتاح مركز صحي جديد، مع صورة البيان وملفه.</p>
<img src="/media/statement.png" alt="">
<img src="/media/logo.svg" alt="">
<img src="/media/not-a-picture.jpg" alt="">
<img src="http://169.254.169.254/latest/meta-data/photo.png" alt="">
<img src="data:image/png;base64,iVBORw0KGgo=" alt="">
<p><a href="/files/communique.pdf#page=2">الملف</a> <a href="/news/other">خبر آخر</a></p>
</body></html>"""


VIDEO_ARTICLE = """<html><head><title>كلمة</title></head><body><h1>كلمة المتحدث</h1>
<p>نشرت البلدية اليوم تسجيلاً مصوراً لكلمة المتحدث باسمها عن افتتاح المركز الصحي.</p>
<video controls><source src="/media/speech.mp4" type="video/mp4"></video>
</body></html>"""


def site_routes() -> dict[str, Route]:
    return {
        "/": Route(body=b'<html><body><a href="/news/1">news</a></body></html>', headers=HTML),
        "/news/1": Route(body=ARTICLE.encode(), headers=HTML),
        "/media/statement.png": Route(
            body=statement_png(ARABIC), headers={"Content-Type": "image/png"}
        ),
        "/media/logo.svg": Route(
            body=b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
            headers={"Content-Type": "image/svg+xml"},
        ),
        "/media/not-a-picture.jpg": Route(body=b"<html>error</html>", headers=HTML),
        "/files/communique.pdf": Route(
            body=text_layer_pdf(HEBREW), headers={"Content-Type": "application/pdf"}
        ),
    }


@pytest.fixture
def site() -> Iterator[LocalSite]:
    with local_site(site_routes()) as running:
        yield running


@pytest.fixture
def workspace(tmp_path: Path, database_url: str) -> Iterator[Workspace]:
    settings: Settings = make_settings(
        tmp_path / "home", database_url, fetch_attempts="1", fetch_timeout="5"
    )
    workspace, _before, _after = Workspace.initialise(settings)
    yield workspace
    workspace.close()


def test_a_pages_pictures_and_pdfs_are_captured_beside_it(
    workspace: Workspace, site: LocalSite
) -> None:
    source_id = add_source(workspace, "municipality", "web", site.url("/"), media=True)

    crawl = crawl_now(workspace, source_id)

    assert crawl.error is None and crawl.captures.pipeline.failures == []
    page_url = site.url("/news/1")
    picture, pdf = site.url("/media/statement.png"), site.url("/files/communique.pdf")
    assert {picture, pdf} <= set(captured_urls(workspace))
    errors = errors_by_url(workspace)
    assert "no picture, PDF or video" in errors[site.url("/media/not-a-picture.jpg")]
    assert "169.254.169.254" in errors["http://169.254.169.254/latest/meta-data/photo.png"]
    assert site.hits("/media/logo.svg") == 0
    with workspace.database.session() as session:
        page = session.scalars(select(Document).where(Document.url == page_url)).one()
        assert page.properties["media"][:2] == [picture, site.url("/media/not-a-picture.jpg")]
        assert [m.capture.url for m in media_of(session, page)] == [picture, pdf]
        photo = session.scalars(select(Capture).where(Capture.url == picture)).one()
        read = session.scalars(select(Document).where(Document.capture_id == photo.id)).one()
        assert read.properties["attached_to"] == page_url
        assert "افتتاح مركز صحي" in (read.text or "")
        assert photo.warc_record_id is not None
        assert session.get_one(MediumHash, photo.id).pdq is not None


def test_a_recrawl_fetches_no_medium_again(workspace: Workspace, site: LocalSite) -> None:
    source_id = add_source(workspace, "municipality", "web", site.url("/"), media=True)
    crawl_now(workspace, source_id)
    site.routes["/"] = Route(
        body=b'<html><body><a href="/news/1">news</a> <a href="/news/2">more</a></body></html>',
        headers=HTML,
    )
    site.routes["/news/2"] = Route(body=ARTICLE.replace("اليوم", "أمس").encode(), headers=HTML)

    crawl_now(workspace, source_id)

    assert site.hits("/news/2") == 1  # a new page with the same media
    assert site.hits("/media/statement.png") == 1 and site.hits("/files/communique.pdf") == 1


def test_without_the_option_no_medium_is_fetched(workspace: Workspace, site: LocalSite) -> None:
    source_id = add_source(workspace, "municipality", "web", site.url("/"))

    crawl_now(workspace, source_id)

    assert site.hits("/news/1") == 1 and site.hits("/media/statement.png") == 0
    with workspace.database.session() as session:
        page = session.scalars(select(Document).where(Document.url == site.url("/news/1"))).one()
        assert "media" not in page.properties


def test_a_pages_video_is_captured_beside_it_with_its_keyframes(
    workspace: Workspace, site: LocalSite, tmp_path: Path
) -> None:
    site.routes["/news/1"] = Route(body=VIDEO_ARTICLE.encode(), headers=HTML)
    site.routes["/media/speech.mp4"] = Route(
        body=make_clip(tmp_path / "clip.mp4"), headers={"Content-Type": "video/mp4"}
    )
    source_id = add_source(workspace, "municipality", "web", site.url("/"), media=True)

    crawl = crawl_now(workspace, source_id)

    assert crawl.error is None and crawl.captures.pipeline.failures == []
    assert errors_by_url(workspace) == {}
    video = site.url("/media/speech.mp4")
    with workspace.database.session() as session:
        page = session.scalars(select(Document).where(Document.url == site.url("/news/1"))).one()
        [medium] = media_of(session, page)
        assert medium.capture.url == video and medium.hashes.kind == "video"
        assert keyframe_count(session, medium.capture.id) == CLIP_KEYFRAMES


def test_page_media_are_embedded_then_linked_deduplicated_and_bounded() -> None:
    root = lxml.html.document_fromstring(
        '<img src="a.png"><img src="a.png#x"><embed src="b.pdf"><object data="c"></object>'
        '<a href="d.PDF">d</a><a href="page.html">e</a><a href="f.svg">f</a>'
        '<img src="javascript:alert(1)"><img src="ftp://host/g.png">'
        '<video src="h.mp4"></video><a href="i.webm">i</a>'
    )
    base = "https://example.org/news/"
    found = page_media(root, base, limit=10)
    assert found == [
        *(base + "a.png", base + "b.pdf", base + "c", base + "h.mp4"),
        *(base + "d.PDF", base + "i.webm"),
    ]
    assert page_media(root, base, limit=2) == found[:2]
