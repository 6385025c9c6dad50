"""The `feed` kind: RSS and Atom feeds served on 127.0.0.1, their item pages captured into a real
workspace; an unreadable feed fails its own source only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from marsad.collect.content import RawContent
from marsad.collect.crawler import Crawler
from marsad.collect.feeds import feed_items, feed_links, looks_like_feed
from marsad.config import Settings
from marsad.errors import MalformedContent
from marsad.store.models import Capture, Document
from marsad.workspace import Workspace
from tests.collect.crawling import (
    add_source,
    capture_rows,
    captured_urls,
    crawl_now,
    errors_by_url,
    source_row,
)
from tests.commandline import marsad_for
from tests.conftest import make_settings
from tests.webserver import Route, local_site

HTML = {"Content-Type": "text/html; charset=utf-8"}

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>أخبار المدينة</title><link>{base}/</link>
<item><title>افتتاح مكتبة</title><link>{base}/ar/1</link></item>
<item><title>بازگشایی پل</title><link>/fa/2#comments</link></item>
<item><title>no link</title><description>only text</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>חדשות העיר</title><id>urn:city</id>
<updated>2026-11-20T08:00:00Z</updated>
<entry><title>פתיחת גן</title><id>urn:1</id><updated>2026-11-20T08:00:00Z</updated>
<link rel="alternate" href="{base}/he/3"/></entry>
<entry><title>New bus line</title><id>urn:2</id><updated>2026-11-19T08:00:00Z</updated>
<link rel="enclosure" href="{base}/media/4.mp3"/><link href="{base}/en/4"/></entry>
</feed>"""

PAGES = {
    "/ar/1": "<html><body><p>افتتحت البلدية مكتبة عامة جديدة.</p></body></html>",
    "/fa/2": "<html><body><p>پل قدیمی شهر دوباره باز شد.</p></body></html>",
    "/he/3": "<html><body><p>העירייה פתחה גן ציבורי חדש.</p></body></html>",
    "/en/4": "<html><body><p>The city opened a new bus line.</p></body></html>",
}


def pages() -> dict[str, Route]:
    return {path: Route(body=text.encode(), headers=HTML) for path, text in PAGES.items()}


def feed_route(template: str, base: str, etag: str | None = None) -> Route:
    headers = {"Content-Type": "application/xml"}
    if etag:
        headers["ETag"] = etag
    return Route(body=template.format(base=base).encode(), headers=headers)


@pytest.fixture
def feed_settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path / "home", database_url, fetch_attempts="1")


@pytest.fixture
def feed_workspace(feed_settings: Settings) -> Iterator[Workspace]:
    workspace, _before, _after = Workspace.initialise(feed_settings)
    yield workspace
    workspace.close()


def test_rss_and_atom_item_pages_are_captured(feed_workspace: Workspace) -> None:
    with local_site(pages()) as site:
        site.routes["/rss.xml"] = feed_route(RSS, site.base_url)
        site.routes["/atom.xml"] = feed_route(ATOM, site.base_url)
        rss = add_source(feed_workspace, "city rss", "feed", site.url("/rss.xml"))
        atom = add_source(feed_workspace, "city atom", "feed", site.url("/atom.xml"))
        rss_crawl = crawl_now(feed_workspace, rss)
        atom_crawl = crawl_now(feed_workspace, atom)
    assert rss_crawl.error is None and atom_crawl.error is None
    # The feed's bytes and its item pages are captures; fragments are dropped.
    assert rss_crawl.captures.new_captures == 3 and atom_crawl.captures.new_captures == 3
    assert captured_urls(feed_workspace) == [
        site.url(path) for path in ("/rss.xml", "/ar/1", "/fa/2", "/atom.xml", "/he/3", "/en/4")
    ]
    assert site.hits("/media/4.mp3") == 0
    with feed_workspace.database.session() as session:
        documents = {d.url: d for d in session.scalars(select(Document))}
        # Each page took over its entry's document; the entry without a link keeps the feed's text.
        assert {d.capture.url for d in documents.values() if not d.part} == {
            site.url(path) for path in ("/ar/1", "/fa/2", "/he/3", "/en/4")
        }
        (unlinked,) = [d for d in documents.values() if d.part]
        assert unlinked.url.startswith(site.url("/rss.xml") + "#item-")
        assert unlinked.text == "no link\n\nonly text"
        assert unlinked.capture.url == site.url("/rss.xml")


def test_unchanged_feed_creates_no_capture_and_new_items_are_added(
    feed_workspace: Workspace,
) -> None:
    with local_site(pages()) as site:
        site.routes["/rss.xml"] = feed_route(RSS, site.base_url, etag='"1"')
        source_id = add_source(feed_workspace, "city rss", "feed", site.url("/rss.xml"))
        crawl_now(feed_workspace, source_id)
        before = capture_rows(feed_workspace)
        unchanged = crawl_now(feed_workspace, source_id)
        assert capture_rows(feed_workspace) == before and unchanged.captures.new_captures == 0
        assert site.requests[-1] == ("/rss.xml", site.requests[-1][1])  # only the feed, 304
        assert site.requests[-1][1].get("If-None-Match") == '"1"'
        grown = RSS.replace("<item>", "<item><title>New</title><link>/en/4</link></item><item>", 1)
        site.routes["/rss.xml"] = feed_route(grown, site.base_url, etag='"2"')
        changed = crawl_now(feed_workspace, source_id)
    assert changed.captures.new_captures == 2  # the changed feed and the new page
    assert capture_rows(feed_workspace)[: len(before)] == before
    assert site.hits("/ar/1") == 1 and site.hits("/en/4") == 1


@pytest.mark.parametrize(
    "body",
    [
        b"<?xml version='1.0'?><rss version='2.0'><channel><item><title>cut",
        b"<html><body><p>This is a web page, not a feed.</p></body></html>",
        b"\x00\x01\x02 not xml at all",
    ],
)
def test_malformed_feed_fails_its_source_only(feed_workspace: Workspace, body: bytes) -> None:
    with local_site(pages()) as site:
        site.routes["/broken.xml"] = Route(body=body, headers={"Content-Type": "application/xml"})
        site.routes["/rss.xml"] = feed_route(RSS, site.base_url)
        broken = add_source(feed_workspace, "broken feed", "feed", site.url("/broken.xml"))
        good = add_source(feed_workspace, "city rss", "feed", site.url("/rss.xml"))
        crawls = {crawl.name: crawl for crawl in Crawler(feed_workspace).crawl_due()}
    error = crawls["broken feed"].error
    assert error is not None and "MalformedContent" in error and "/broken.xml" in error
    assert errors_by_url(feed_workspace) == {site.url("/broken.xml"): error}
    assert crawls["city rss"].error is None and crawls["city rss"].captures.new_captures == 3
    failing = source_row(feed_workspace, broken)
    assert failing.last_error == error and failing.state["crawl"]["failures"] == 1
    assert failing.state["crawl"]["backoff_until"] is not None
    assert source_row(feed_workspace, good).last_error is None


def test_feed_links_reads_relative_and_alternate_links() -> None:
    base = "http://news.example"
    raw = RawContent(url=base + "/atom.xml", data=ATOM.format(base=base).encode())
    assert feed_links(raw) == [base + "/he/3", base + "/en/4"]
    with pytest.raises(MalformedContent, match="not a readable RSS/Atom feed"):
        feed_links(RawContent(url=base + "/x", data=b"{}"))
    with pytest.raises(MalformedContent, match="not an RSS or Atom feed"):
        feed_links(RawContent(url=base + "/x", data=b"<?xml version='1.0'?><note>hi</note>"))
    # Sloppy but readable (an undefined entity): its item links are still taken.
    sloppy = RSS.format(base=base).replace("<title>no link</title>", "<title>&nbsp;x</title>")
    assert feed_links(RawContent(url=base + "/rss.xml", data=sloppy.encode())) == [
        base + "/ar/1",
        base + "/fa/2",
    ]


DATED_RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title>
<link>{base}/</link>
<item><title>افتتاح مكتبة</title><link>{base}/ar/1</link>
<pubDate>Tue, 17 Nov 2026 21:30:00 +0300</pubDate><dc:creator>مكتب الإعلام</dc:creator></item>
<item><title>بازگشایی پل</title><link>{base}/fa/2</link></item>
</channel></rss>"""
# The page's own markup claims another day: the feed entry's timestamp wins.
DATED_PAGE = (
    '<html><head><meta property="article:published_time" content="2026-11-01"></head>'
    "<body><p>افتتحت البلدية مكتبة عامة جديدة في وسط المدينة.</p></body></html>"
)


def test_feed_items_give_their_pages_the_entry_date_and_author(feed_workspace: Workspace) -> None:
    routes = pages() | {"/ar/1": Route(body=DATED_PAGE.encode(), headers=HTML)}
    with local_site(routes) as site:
        site.routes["/rss.xml"] = feed_route(DATED_RSS, site.base_url)
        source = add_source(feed_workspace, "dated rss", "feed", site.url("/rss.xml"))
        assert crawl_now(feed_workspace, source).error is None
    with feed_workspace.database.session() as session:
        documents = {d.url: d for d in session.scalars(select(Document))}
        dated, undated = documents[site.url("/ar/1")], documents[site.url("/fa/2")]
        assert dated.text and "مكتبة" in dated.text  # extract ran and kept the feed's date
        assert (dated.published, dated.published_certainty) == ("2026-11-17", "certain")
        assert dated.published_expression == "feed entry 2026-11-17T18:30:00+00:00"
        assert dated.properties == {
            "author": "مكتب الإعلام", "listed_title": "افتتاح مكتبة",
            "listing": site.url("/rss.xml"), "posted_at": "2026-11-17T18:30:00+00:00",
            "feed_capture_id": 1,
        }  # fmt: skip
        assert undated.properties == {
            "listed_title": "بازگشایی پل",
            "listing": site.url("/rss.xml"),
            "feed_capture_id": 1,
        }
        assert undated.published is None
        assert "listed" not in source_row(feed_workspace, source).state["collector"]


def test_an_entry_whose_page_fails_is_kept_and_upgraded_when_the_page_arrives(
    feed_workspace: Workspace,
) -> None:
    with local_site({}) as site:  # no pages yet: every item page answers 404
        site.routes["/rss.xml"] = feed_route(DATED_RSS, site.base_url, etag='"1"')
        source = add_source(feed_workspace, "dated rss", "feed", site.url("/rss.xml"))
        first = crawl_now(feed_workspace, source)
        assert first.error is None and len(first.captures.failed_captures) == 2
        with feed_workspace.database.session() as session:
            kept = session.scalars(select(Document).where(Document.url == site.url("/ar/1"))).one()
            kept_id, feed_capture_id = kept.id, kept.capture_id
            assert kept.text == "افتتاح مكتبة" and kept.published == "2026-11-17"
            assert kept.capture.url == site.url("/rss.xml")
        site.routes["/ar/1"] = Route(body=DATED_PAGE.encode(), headers=HTML)
        # The feed is unchanged (304): the page is tried again as its entry's page.
        second = crawl_now(feed_workspace, source)
    assert second.error is None and second.captures.upgraded_ids == [kept_id]
    with feed_workspace.database.session() as session:
        documents = session.scalars(select(Document).where(Document.url == site.url("/ar/1")))
        (upgraded,) = documents.all()
        assert upgraded.id == kept_id and upgraded.capture.url == site.url("/ar/1")
        assert upgraded.text and "وسط المدينة" in upgraded.text  # the page's text, extracted again
        assert upgraded.published_expression == "feed entry 2026-11-17T18:30:00+00:00"
        assert upgraded.properties["feed_capture_id"] == feed_capture_id
        # The feed capture it came from is still there, unchanged.
        assert session.get(Capture, feed_capture_id) is not None


def test_a_saved_feed_file_is_ingested_item_by_item(
    feed_workspace: Workspace, feed_settings: Settings, tmp_path: Path
) -> None:
    saved = tmp_path / "city.xml"
    saved.write_text(DATED_RSS.format(base="https://news.example"), encoding="utf-8")
    result = marsad_for(feed_settings, "ingest", str(saved))
    assert "ingested: 1 new" in result.stdout
    marsad_for(feed_settings, "ingest", str(saved))  # again: nothing new
    with feed_workspace.database.session() as session:
        documents = {d.url: d for d in session.scalars(select(Document))}
        assert set(documents) == {"https://news.example/ar/1", "https://news.example/fa/2"}
        dated = documents["https://news.example/ar/1"]
        assert (dated.published, dated.language) == ("2026-11-17", "ar")
        assert dated.capture.url == saved.resolve().as_uri()


FULL_TEXT_RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>t</title><link>https://news.example/</link>
<item><title>بازگشایی پل قدیمی</title><link>https://news.example/fa/2#top</link>
<guid>https://news.example/fa/2</guid>
<description>خلاصه کوتاه</description>
<content:encoded><![CDATA[<p>پل قدیمی شهر <b>دوباره</b> باز شد.</p><p>شهردار گفت کار
 مرمت دو سال طول کشید.</p>]]></content:encoded></item>
<item><title>  </title><description></description></item>
</channel></rss>"""


def test_an_entry_document_holds_the_fullest_text_the_feed_gives() -> None:
    raw = RawContent(url="https://news.example/rss.xml", data=FULL_TEXT_RSS.encode())
    (item,) = feed_items(raw)  # the entry with neither title nor text is not an item
    assert item.item_url == "https://news.example/fa/2"
    assert item.title == "بازگشایی پل قدیمی"
    assert item.summary == "پل قدیمی شهر دوباره باز شد.\nشهردار گفت کار مرمت دو سال طول کشید."
    assert looks_like_feed(raw) and not looks_like_feed(
        RawContent(url="https://news.example/a", data=b"<html><body>feed</body></html>")
    )


LOCAL_DATES_RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>أخبار المحافظة</title><link>https://news.example/</link>
<language>ar</language>
<item><title>افتتاح جسر</title><link>https://news.example/ar/5</link>
<pubDate>الأحد، 5 يناير 2020 - 10:15</pubDate></item>
<item><title>حملة تشجير</title><link>https://news.example/ar/6</link>
<pubDate>منذ يومين</pubDate></item>
<item><title>معرض كتاب</title><link>https://news.example/ar/7</link>
<pubDate>3 سنوات</pubDate></item>
<item><title>سوق جديد</title><link>https://news.example/ar/8</link>
<pubDate>Sun, 05 Jan 2020 10:15:00 GMT</pubDate></item>
</channel></rss>"""


def test_entry_dates_feedparser_cannot_read_are_read_as_date_fields() -> None:
    fetched_at = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
    url = "https://news.example/rss.xml"
    raw = RawContent(url, LOCAL_DATES_RSS.encode(), fetched_at=fetched_at)
    items = {item.item_url: item for item in feed_items(raw)}
    written = {
        url.rsplit("/", 1)[1]: (d.value, d.precision, d.certainty, d.expression)
        for url, item in items.items()
        if (d := item.published_date) is not None
    }
    assert written == {
        "5": ("2020-01-05", "day", "certain", "5 يناير 2020"),
        "6": ("2024-02-28", "day", "certain", "منذ يومين"),  # counted from the capture
        "7": ("2021", "year", "likely", "3 سنوات"),  # a bare duration in a date field: ago
    }
    readable = items["https://news.example/ar/8"]
    assert readable.published == datetime(2020, 1, 5, 10, 15, tzinfo=UTC)
    assert readable.published_date is None  # feedparser's reading stands


def test_a_written_entry_date_becomes_the_documents_date(
    feed_workspace: Workspace, feed_settings: Settings, tmp_path: Path
) -> None:
    saved = tmp_path / "province.xml"
    saved.write_text(LOCAL_DATES_RSS, encoding="utf-8")
    marsad_for(feed_settings, "ingest", str(saved))
    with feed_workspace.database.session() as session:
        documents = {d.url: d for d in session.scalars(select(Document))}
        dated = documents["https://news.example/ar/5"]
        assert (dated.published, dated.published_precision, dated.published_certainty) == (
            "2020-01-05",
            "day",
            "certain",
        )
        assert dated.published_expression == "feed entry 5 يناير 2020"
        aged = documents["https://news.example/ar/7"]
        assert (aged.published_precision, aged.published_certainty) == ("year", "likely")
        assert aged.published == str(aged.capture.fetched_at.year - 3)
