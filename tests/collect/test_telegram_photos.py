"""Photos of t.me/s channel posts, served by a real local HTTP server: captured beside their
post, hashed (SHA-256, MD5, PDQ), read by OCR into a searchable document, captured once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from marsad.collect.crawler import Crawler
from marsad.collect.fetcher import Fetcher
from marsad.media.hashes import pdq_of
from marsad.store.models import Capture, Document, MediumHash, Source
from marsad.store.search.query import search_documents
from marsad.text.normalize import default_normalizer
from marsad.workspace import Workspace
from tests.conftest import make_settings
from tests.media.statements import ARABIC, statement_image, statement_png
from tests.webserver import LocalSite, Route, local_site

PHOTO_PATH = "/file/statement-photo.png"
CHANNEL = "marsad_media"
PAGE = """<!doctype html><html><body><section class="tgme_channel_history">
<div class="tgme_widget_message_wrap"><div class="tgme_widget_message text_not_supported_wrap"
  data-post="{channel}/1"><div class="tgme_widget_message_bubble">
  <a class="tgme_widget_message_photo_wrap" href="https://t.me/{channel}/1"
     style="width:800px;background-image:url('{photo}')"></a>
  <div class="tgme_widget_message_text js-message_text" dir="auto">بيان اليوم</div>
  <div class="tgme_widget_message_footer"><a class="tgme_widget_message_date"
     href="https://t.me/{channel}/1"><time datetime="2024-03-12T09:00:00+00:00">09:00</time>
  </a></div></div></div></div>
</section></body></html>"""


@pytest.fixture
def site() -> Iterator[LocalSite]:
    with local_site({}) as running:
        page = PAGE.format(channel=CHANNEL, photo=running.url(PHOTO_PATH))
        running.routes[f"/s/{CHANNEL}"] = Route(
            body=page.encode(), headers={"Content-Type": "text/html; charset=utf-8"}
        )
        running.routes[PHOTO_PATH] = Route(
            body=statement_png(ARABIC), headers={"Content-Type": "image/png"}
        )
        yield running


@pytest.fixture
def channel_workspace(tmp_path: Path, database_url: str, site: LocalSite) -> Iterator[Workspace]:
    settings = make_settings(
        tmp_path / "home", database_url, telegram_base_url=site.base_url, fetch_attempts="1"
    )
    workspace, _before, _after = Workspace.initialise(settings)
    yield workspace
    workspace.close()


def crawl_channel(workspace: Workspace) -> int:
    """One crawl of the channel (capture, then every stage); returns its new captures."""
    with workspace.database.session() as session:
        source = session.scalars(select(Source).where(Source.name == CHANNEL)).first()
        if source is None:
            source = Source(name=CHANNEL, kind="telegram", locator=CHANNEL, schedule="1h")
            session.add(source)
            session.flush()
        source_id = source.id
    with Fetcher(workspace.settings) as fetcher:
        crawl = Crawler(workspace).crawl_source(source_id, fetcher)
    assert crawl.error is None and crawl.captures.failed_captures == []
    assert crawl.captures.pipeline.failures == []
    return crawl.captures.new_captures


def test_a_post_photo_is_captured_hashed_and_its_text_searchable(
    channel_workspace: Workspace, site: LocalSite
) -> None:
    assert crawl_channel(channel_workspace) == 2  # the channel page and the photo

    photo_url = site.url(PHOTO_PATH)
    with channel_workspace.database.session() as session:
        capture = session.scalars(select(Capture).where(Capture.url == photo_url)).one()
        medium = session.get_one(MediumHash, capture.id)
        document = session.scalars(select(Document).where(Document.capture_id == capture.id)).one()
        post = session.scalars(select(Document).where(Document.part == "1")).one()
        assert capture.warc_record_id is not None and medium.sha256 == capture.sha256
        assert medium.pdq == pdq_of(statement_image(ARABIC))[0]
        assert document.properties["attached_to"] == post.url == f"{site.base_url}/{CHANNEL}/1"
        assert photo_url in post.properties["media"]
        found = search_documents(session, default_normalizer(), "الحشد الشعبي مركز صحي")
        assert [hit.document.id for hit in found.hits] == [document.id]


def test_a_recrawl_does_not_capture_the_photo_twice(
    channel_workspace: Workspace, site: LocalSite
) -> None:
    crawl_channel(channel_workspace)

    assert crawl_channel(channel_workspace) == 0
    assert site.hits(PHOTO_PATH) == 1
