"""Score gate on third-party data: ten daily snapshots of a real Hebrew news RSS aggregate
(../shared/eval/rss_he_news), served one after the other as one feed on 127.0.0.1, where every
item page answers 404. Every item must still be a document, dated by its own entry, and an item
listed by several snapshots must be one document.

The snapshots are read at run time (never copied here); their item links are pointed at the
local server so that nothing leaves the machine.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Iterator
from datetime import UTC
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from sqlalchemy import select

from marsad.config import Settings
from marsad.store.models import Capture, Document
from marsad.workspace import Workspace
from tests.collect.crawling import add_source, crawl_now
from tests.conftest import make_settings
from tests.webserver import Route, local_site

EVAL_FEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "rss_he_news"
FOREIGN_URL = re.compile(rb"https?://([A-Za-z0-9.-]+)/")

pytestmark = pytest.mark.skipif(
    not EVAL_FEEDS.is_dir(),
    reason=f"third-party RSS snapshots not present at {EVAL_FEEDS} (../shared/eval/rss_he_news)",
)


def snapshots() -> list[Path]:
    return sorted(EVAL_FEEDS.glob("*.xml"))


def localised(data: bytes, base_url: str) -> bytes:
    """The snapshot with every absolute link moved under the local server: /HOST/path."""
    return FOREIGN_URL.sub(lambda match: f"{base_url}/{match[1].decode()}/".encode(), data)


def expected_items(data: bytes) -> dict[str, str]:
    """Item link (without its fragment: the same page) -> its pubDate's UTC day, read with the
    standard library (not feedparser)."""
    items = {}
    for item in ElementTree.fromstring(data).iter("item"):
        link = urldefrag((item.findtext("link") or "").strip())[0]
        published = parsedate_to_datetime((item.findtext("pubDate") or "").strip())
        items.setdefault(link, published.astimezone(UTC).date().isoformat())
    return items


@pytest.fixture
def eval_workspace(tmp_path: Path, database_url: str) -> Iterator[Workspace]:
    settings: Settings = make_settings(
        # Pages enough per crawl for every item and its retries (the budget is tested elsewhere).
        tmp_path / "home",
        database_url,
        fetch_attempts="1",
        crawl_max_pages="500",
    )
    workspace, _before, _after = Workspace.initialise(settings)
    yield workspace
    workspace.close()


@pytest.mark.slow
def test_every_item_of_real_snapshots_is_one_dated_document_when_pages_404(
    eval_workspace: Workspace,
) -> None:
    expected: dict[str, str] = {}
    with local_site({}) as site:
        source = add_source(eval_workspace, "hebrew news", "feed", site.url("/gov-news.xml"))
        for rounds in range(2):  # the second pass re-reads every snapshot: nothing new
            for path in snapshots():
                body = localised(path.read_bytes(), site.base_url)
                if rounds == 0:
                    for link, day in expected_items(body).items():
                        expected.setdefault(link, day)
                site.routes["/gov-news.xml"] = Route(
                    body=body, headers={"Content-Type": "application/rss+xml"}
                )
                crawl = crawl_now(eval_workspace, source)
                assert crawl.error is None, f"{path.name}: {crawl.error}"
                if rounds == 1:
                    assert crawl.captures.document_ids == []
    assert len(expected) > 100  # the development half lists about two hundred items
    with eval_workspace.database.session() as session:
        documents = list(session.scalars(select(Document)))
        per_url = Counter(document.url for document in documents)
        assert {url for url, count in per_url.items() if count > 1} == set()
        assert set(per_url) == set(expected)
        for document in documents:
            assert document.published == expected[document.url], document.url
            assert document.published_certainty == "certain"
            assert document.text and document.title and document.title in document.text
            assert document.capture.url == site.url("/gov-news.xml")
        feed_captures = session.scalars(
            select(Capture).where(Capture.url == site.url("/gov-news.xml"))
        ).all()
        # Each distinct snapshot's bytes are kept once, whatever the number of readings.
        assert len(feed_captures) == len({path.read_bytes() for path in snapshots()})
        assert all(capture.sha256 and capture.error is None for capture in feed_captures)
        page_failures = session.scalars(select(Capture.url).where(Capture.error.is_not(None)))
        assert set(page_failures) == set(expected)  # every 404 is a recorded failure
