"""The `telegram` kind against t.me/s-shaped pages served by a real local HTTP server, recorded
into a real workspace (SQLite and PostgreSQL) and run through the pipeline."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from marsad.collect.fetcher import Fetcher
from marsad.collect.kinds import CollectContext, SourceCollector
from marsad.collect.registry import collector_for
from marsad.collect.telegram import (
    CURSOR_KEY,
    TelegramChannelCollector,
    channel_name,
    parse_channel_page,
    parse_views,
)
from marsad.config import Settings
from marsad.errors import CaptureError, InvalidLocator, NoPostsFound
from marsad.preserve.captures import CaptureRecorder
from marsad.store.models import Capture, Document, Source, StageRun
from marsad.workspace import Workspace
from tests.conftest import make_settings
from tests.webserver import LocalSite, Route, local_site

FIXTURES = Path(__file__).parent / "fixtures" / "telegram"
HTML = {"Content-Type": "text/html; charset=utf-8"}
# No spacing between requests and no retries: the local server answers at once or not at all.
FAST_FETCH = {
    **{"fetch_host_interval": "0", "fetch_attempts": "1"},
    **{"telegram_photos": "0", "telegram_videos": "0"},  # media: test_telegram_{photos,videos}
}


def page(name: str, status: int = 200) -> Route:
    return Route(status=status, body=(FIXTURES / name).read_bytes(), headers=HTML)


def channel_routes(newest: str = "page-newest.html") -> dict[str, Route]:
    return {
        "/s/marsad_demo": page(newest),
        "/s/marsad_demo?before=7": page("page-before-7.html"),
        "/s/marsad_demo?before=4": page("page-before-4.html"),
    }


@dataclass
class CrawlResult:
    urls: list[str] = field(default_factory=list)
    new_captures: int = 0
    failures: list[str] = field(default_factory=list)
    document_ids: list[int] = field(default_factory=list)


def crawl(
    workspace: Workspace,
    collector: SourceCollector,
    locator: str,
    settings: Settings,
    state: dict[str, Any],
    language: str | None = None,
) -> CrawlResult:
    """What the crawler does with a collector's attempts: each one recorded on its own."""
    result = CrawlResult()
    with workspace.database.session() as session:
        source = session.scalars(select(Source).where(Source.name == locator)).first()
        if source is None:
            source = Source(name=locator, kind=collector.kind, locator=locator)
            session.add(source)
            session.flush()
        source_id = source.id
    with Fetcher(settings) as fetcher:
        context = CollectContext(fetcher=fetcher, settings=settings, state=state)
        for url, read in collector.attempts(locator, context):
            result.urls.append(url)
            with workspace.database.session() as session:
                source = session.get(Source, source_id)
                recorder = CaptureRecorder(session, workspace.blobs)
                try:
                    outcome = recorder.record_collected(read(), source, language)
                except CaptureError as error:
                    failed = recorder.record_failure(url, error, source)
                    result.failures.append(failed.capture.error or "")
                    continue
                result.new_captures += outcome.is_new
                result.document_ids.extend(document.id for document in outcome.documents)
    return result


@pytest.fixture
def site() -> Iterator[LocalSite]:
    with local_site(channel_routes()) as running:
        yield running


@pytest.fixture
def channel_settings(tmp_path: Path, database_url: str, site: LocalSite) -> Settings:
    return make_settings(
        tmp_path / "home", database_url, telegram_base_url=site.base_url, **FAST_FETCH
    )


@pytest.fixture
def channel_workspace(channel_settings: Settings) -> Iterator[Workspace]:
    workspace, _before, _after = Workspace.initialise(channel_settings)
    yield workspace
    workspace.close()


def documents_by_part(workspace: Workspace) -> dict[str, list[Document]]:
    found: dict[str, list[Document]] = {}
    with workspace.database.session() as session:
        for document in session.scalars(select(Document).order_by(Document.id)):
            session.expunge(document)
            found.setdefault(document.part, []).append(document)
    return found


# --- reading pages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shown", "count"),
    [("987", 987), ("1.2K", 1200), ("15.6K", 15600), ("3.4M", 3_400_000), ("2,104", 2104)],
)
def test_view_counts_as_shown_under_posts(shown: str, count: int) -> None:
    assert parse_views(shown) == count


def test_unreadable_view_count_is_none() -> None:
    assert parse_views("not-a-number") is None


@pytest.mark.parametrize(
    "locator",
    [
        "marsad_demo",
        "@marsad_demo",
        "t.me/marsad_demo",
        "https://t.me/s/marsad_demo",
        "https://t.me/marsad_demo/9",
    ],
)
def test_channel_locators(locator: str) -> None:
    assert channel_name(locator) == "marsad_demo"


@pytest.mark.parametrize("locator", ["", "a b", "../etc", "https://t.me/s/", "ma"])
def test_bad_channel_locator_is_refused(locator: str) -> None:
    with pytest.raises(InvalidLocator):
        channel_name(locator)


def parse_fixture(name: str) -> dict[str, Any]:
    posts = parse_channel_page(
        (FIXTURES / name).read_bytes(), "text/html", "https://t.me/s/marsad_demo", "https://t.me"
    )
    return {post.part: post for post in posts}


def test_page_posts_with_text_date_views_and_links() -> None:
    posts = parse_fixture("page-newest.html")
    assert list(posts) == ["7", "9"]  # 8 is a service message
    arabic = posts["7"]
    assert arabic.url == "https://t.me/marsad_demo/7"
    assert arabic.text.splitlines() == [
        "أعلنت بلدية المدينة افتتاح مكتبة عامة جديدة في حي الزهراء.",
        "وقال رئيس البلدية إن المكتبة ستفتح أبوابها يوم الأحد.",
        "",
        "التفاصيل: news.example.org/library #بلدية",
    ]
    assert arabic.title == "أعلنت بلدية المدينة افتتاح مكتبة عامة جديدة في حي الزهراء."
    assert arabic.published == datetime(2026, 11, 20, 8, 15, tzinfo=UTC)
    assert arabic.views == 1200
    assert arabic.author == "Marsad Demo News"
    assert arabic.links == ("https://news.example.org/library",)
    assert arabic.media == ("https://cdn4.example-cdn.org/file/library-opening.jpg",)


def test_reply_quote_is_not_part_of_the_post() -> None:
    reply = parse_fixture("page-newest.html")["9"]
    assert reply.text == (
        "The city council approved the new budget for public parks on Thursday.\n"
        "Work on three parks starts next month."
    )
    assert reply.author == "Desk Editor"  # the post's signature, not the quoted author
    assert reply.views == 987


def test_forwarded_video_and_document_posts() -> None:
    posts = parse_fixture("page-before-7.html")
    farsi = posts["5"]
    assert farsi.forwarded_from == "Tehran City Desk"
    assert farsi.media == ("https://cdn4.example-cdn.org/file/park-opening.mp4",)
    assert "صد درخت" in farsi.text and "🌳" in farsi.text
    assert farsi.views == 15600
    hebrew = posts["6"]
    assert hebrew.text.startswith("עיריית חיפה הודיעה")
    assert hebrew.media == ("https://t.me/marsad_demo/6",)
    assert posts["4"].views == 3_400_000


def test_photo_album_without_text_and_link_preview() -> None:
    posts = parse_fixture("page-before-4.html")
    album = posts["3"]
    assert album.text == "" and album.title is None
    assert album.media == (
        "https://cdn4.example-cdn.org/file/market-1.jpg",
        "https://cdn4.example-cdn.org/file/market-2.jpg",
    )
    assert posts["2"].links == ("https://aid.example.net/convoy-report",)


def test_malformed_page_keeps_the_readable_posts() -> None:
    posts = parse_fixture("page-broken.html")
    assert list(posts) == ["41", "42"]  # the block without a post id is skipped
    assert posts["41"].views is None and posts["41"].published is None
    assert posts["42"].text.startswith("ستُستأنف رحلات العبّارة")


def test_a_post_id_no_telegram_message_has_is_skipped() -> None:
    """400 digits would not fit the store's post key (PostgreSQL refuses, SQLite kept it)."""
    page = (FIXTURES / "page-broken.html").read_bytes()
    page = page.replace(b"broken_demo/42", b"broken_demo/" + b"9" * 400)
    posts = parse_channel_page(page, "text/html", "https://t.me/s/broken_demo", "https://t.me")
    assert [post.part for post in posts] == ["41"]


@pytest.mark.parametrize(
    "data", [b"", b"\x89PNG\r\n\x1a\n\x00\x00", (FIXTURES / "page-not-a-channel.html").read_bytes()]
)
def test_page_without_posts_is_a_capture_error(data: bytes) -> None:
    with pytest.raises(NoPostsFound):
        parse_channel_page(data, None, "https://t.me/s/no_such_demo", "https://t.me")


# --- crawling, recording, pipeline -------------------------------------------------------------


def test_telegram_kind_is_registered() -> None:
    assert isinstance(collector_for("telegram"), TelegramChannelCollector)


def test_crawl_walks_back_three_pages_and_records_posts(
    channel_workspace: Workspace, channel_settings: Settings, site: LocalSite
) -> None:
    state: dict[str, Any] = {}
    result = crawl(
        channel_workspace, TelegramChannelCollector(), "marsad_demo", channel_settings, state
    )
    assert [path for path, _headers in site.requests] == [
        "/s/marsad_demo",
        "/s/marsad_demo?before=7",
        "/s/marsad_demo?before=4",
    ]
    assert result.new_captures == 3 and result.failures == []
    assert state[CURSOR_KEY] == 9
    documents = documents_by_part(channel_workspace)
    assert sorted(documents, key=int) == ["1", "2", "3", "4", "5", "6", "7", "9"]
    assert "" not in documents  # a channel page is not a document of its own

    pipeline = channel_workspace.runner().run(result.document_ids)
    assert pipeline.failed == 0
    documents = documents_by_part(channel_workspace)
    arabic, farsi, hebrew = documents["7"][0], documents["5"][0], documents["6"][0]
    assert arabic.url == f"{site.base_url}/marsad_demo/7"
    # The extract stage left the post's own text alone (the page holds three posts).
    assert arabic.text == parse_fixture("page-newest.html")["7"].text
    assert (arabic.language, farsi.language, hebrew.language) == ("ar", "fa", "he")
    assert documents["9"][0].language == "en"
    # The publication day is the post's own and survives the dates stage.
    assert arabic.published == "2026-11-20"
    assert (arabic.published_precision, arabic.published_certainty) == ("day", "certain")
    assert arabic.published_expression == "post timestamp 2026-11-20T08:15:00+00:00"
    assert arabic.content_hash is not None
    assert arabic.properties["views"] == 1200
    assert arabic.properties["links"] == ["https://news.example.org/library"]
    assert farsi.properties["forwarded_from"] == "Tehran City Desk"
    assert farsi.properties["media"] == ["https://cdn4.example-cdn.org/file/park-opening.mp4"]


def test_captured_page_bytes_are_preserved(
    channel_workspace: Workspace, channel_settings: Settings
) -> None:
    crawl(channel_workspace, TelegramChannelCollector(), "marsad_demo", channel_settings, {})
    with channel_workspace.database.session() as session:
        capture = session.scalars(select(Capture).where(Capture.url.like("%before=7"))).one()
        assert (
            channel_workspace.blobs.read(capture.blob_key)
            == (FIXTURES / "page-before-7.html").read_bytes()
        )
        parts = session.scalars(select(Document.part).where(Document.capture_id == capture.id))
        assert sorted(parts) == ["4", "5", "6"]


def test_next_crawl_stops_at_known_posts_and_records_only_new_or_edited_ones(
    channel_workspace: Workspace, channel_settings: Settings, site: LocalSite
) -> None:
    state: dict[str, Any] = {}
    collector = TelegramChannelCollector()
    crawl(channel_workspace, collector, "marsad_demo", channel_settings, state)
    site.routes["/s/marsad_demo"] = page("page-newest-later.html")
    site.requests.clear()

    later = crawl(channel_workspace, collector, "marsad_demo", channel_settings, state)
    assert [path for path, _headers in site.requests] == ["/s/marsad_demo"]
    assert later.new_captures == 1  # the page changed (views, an edit, a new post)
    assert state[CURSOR_KEY] == 10
    documents = documents_by_part(channel_workspace)
    assert len(documents["7"]) == 1  # only its view count moved: no new document
    assert [d.text.splitlines()[-1] for d in documents["9"] if d.text] == [
        "Work on three parks starts next month.",
        "Work on four parks starts next month.",
    ]
    assert len(documents["10"]) == 1
    assert len(later.document_ids) == 2

    again = crawl(channel_workspace, collector, "marsad_demo", channel_settings, state)
    assert again.new_captures == 0 and again.document_ids == []


def test_failed_page_is_recorded_and_the_cursor_waits(
    channel_workspace: Workspace, channel_settings: Settings, site: LocalSite
) -> None:
    site.routes["/s/marsad_demo?before=7"] = Route(status=500, body=b"oops")
    state: dict[str, Any] = {CURSOR_KEY: 2}
    result = crawl(
        channel_workspace, TelegramChannelCollector(), "marsad_demo", channel_settings, state
    )
    assert len(result.failures) == 1 and "500" in result.failures[0]
    assert state[CURSOR_KEY] == 2  # the gap before post 7 is walked again next time
    assert sorted(documents_by_part(channel_workspace)) == ["7", "9"]


def test_page_limit_bounds_the_walk(tmp_path: Path, database_url: str, site: LocalSite) -> None:
    settings = make_settings(
        tmp_path / "home",
        database_url,
        telegram_base_url=site.base_url,
        telegram_max_pages="2",
        **FAST_FETCH,
    )
    with Workspace.initialise(settings)[0] as workspace:
        state: dict[str, Any] = {}
        result = crawl(workspace, TelegramChannelCollector(), "marsad_demo", settings, state)
        assert len(result.urls) == 2 and state[CURSOR_KEY] == 9
        assert sorted(documents_by_part(workspace), key=int) == ["4", "5", "6", "7", "9"]


def test_channel_without_posts_is_a_recorded_failure(
    channel_workspace: Workspace, channel_settings: Settings, site: LocalSite
) -> None:
    site.routes["/s/no_such_demo"] = page("page-not-a-channel.html")
    state: dict[str, Any] = {}
    result = crawl(
        channel_workspace, TelegramChannelCollector(), "no_such_demo", channel_settings, state
    )
    assert len(result.failures) == 1 and "NoPostsFound: no posts on" in result.failures[0]
    assert CURSOR_KEY not in state
    with channel_workspace.database.session() as session:
        assert session.scalars(select(StageRun)).first() is None
        assert session.scalars(select(Document)).first() is None
