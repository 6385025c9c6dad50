"""Videos of t.me/s channel posts, served by a real local HTTP server: captured beside their
post (up to MARSAD_VIDEO_MAX_BYTES, above the capture cap), hashed (SHA-256, MD5, keyframe
PDQ), recorded as a medium without text, captured once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from marsad.store.models import Capture, Document, MediumHash, MediumKeyframe
from marsad.workspace import Workspace
from tests.collect.crawling import add_source, crawl_now
from tests.conftest import make_settings
from tests.media.videos import CLIP_KEYFRAMES, make_clip
from tests.webserver import LocalSite, Route, local_site

VIDEO_PATH = "/file/post-video.mp4"
CHANNEL = "marsad_video"
PAGE = """<!doctype html><html><body><section class="tgme_channel_history">
<div class="tgme_widget_message_wrap"><div class="tgme_widget_message" data-post="{channel}/1">
  <div class="tgme_widget_message_bubble">
  <a class="tgme_widget_message_video_player js-message_video_player"
     href="https://t.me/{channel}/1">
    <i class="tgme_widget_message_video_thumb" style="background-image:url('/thumb.jpg')"></i>
    <div class="tgme_widget_message_video_wrap"><video src="{video}"
      class="tgme_widget_message_video js-message_video" width="100%"></video></div>
    <time class="message_video_duration js-message_video_duration">0:02</time></a>
  <div class="tgme_widget_message_text js-message_text" dir="auto">كلمة اليوم</div>
  <div class="tgme_widget_message_footer"><a class="tgme_widget_message_date"
     href="https://t.me/{channel}/1"><time datetime="2024-03-12T09:00:00+00:00">09:00</time>
  </a></div></div></div></div>
</section></body></html>"""


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return make_clip(tmp_path_factory.mktemp("video") / "clip.mp4")


@pytest.fixture
def site(clip: bytes) -> Iterator[LocalSite]:
    with local_site({}) as running:
        page = PAGE.format(channel=CHANNEL, video=running.url(VIDEO_PATH))
        running.routes[f"/s/{CHANNEL}"] = Route(
            body=page.encode(), headers={"Content-Type": "text/html; charset=utf-8"}
        )
        running.routes[VIDEO_PATH] = Route(body=clip, headers={"Content-Type": "video/mp4"})
        yield running


@pytest.fixture
def channel_workspace(
    tmp_path: Path, database_url: str, site: LocalSite, clip: bytes
) -> Iterator[Workspace]:
    # The capture cap is below the video's size: only MARSAD_VIDEO_MAX_BYTES lets it in.
    settings = make_settings(
        tmp_path / "home",
        database_url,
        telegram_base_url=site.base_url,
        fetch_attempts="1",
        max_capture_bytes=str(len(clip) // 2),
    )
    workspace, _before, _after = Workspace.initialise(settings)
    yield workspace
    workspace.close()


def crawl_channel(workspace: Workspace) -> int:
    with workspace.database.session() as session:
        source_id = session.scalar(select(func.min(Capture.source_id)))
    if source_id is None:
        source_id = add_source(workspace, CHANNEL, "telegram", CHANNEL)
    crawl = crawl_now(workspace, source_id)
    assert crawl.error is None and crawl.captures.failed_captures == []
    assert crawl.captures.pipeline.failures == []
    return crawl.captures.new_captures


def test_a_post_video_is_captured_hashed_with_keyframes_and_tied_to_its_post(
    channel_workspace: Workspace, site: LocalSite, clip: bytes
) -> None:
    assert crawl_channel(channel_workspace) == 2  # the channel page and the video

    video_url = site.url(VIDEO_PATH)
    with channel_workspace.database.session() as session:
        capture = session.scalars(select(Capture).where(Capture.url == video_url)).one()
        medium = session.get_one(MediumHash, capture.id)
        keyframes = session.scalar(
            select(func.count()).where(MediumKeyframe.capture_id == capture.id)
        )
        document = session.scalars(select(Document).where(Document.capture_id == capture.id)).one()
        post = session.scalars(select(Document).where(Document.part == "1")).one()
        assert capture.warc_record_id is not None and capture.size == len(clip)
        assert medium.kind == "video" and keyframes == CLIP_KEYFRAMES
        assert document.properties["attached_to"] == post.url == f"{site.base_url}/{CHANNEL}/1"
        assert document.properties["medium"] == {"kind": "video", "keyframes": CLIP_KEYFRAMES}
        assert video_url in post.properties["media"]


def test_a_recrawl_does_not_capture_the_video_twice(
    channel_workspace: Workspace, site: LocalSite
) -> None:
    crawl_channel(channel_workspace)

    assert crawl_channel(channel_workspace) == 0
    assert site.hits(VIDEO_PATH) == 1
