"""Collection on third-party data: a real RSS aggregate's snapshots and warcio's WARC/ARC fixtures.

RSS (../shared/eval/rss_he_news): the ten snapshots are served one after the other as one feed on
127.0.0.1, every item page answering 404, and read by the real `feed` collector into a fresh
SQLite home (captures and documents recorded; the stages are not run). Baselines in the same run:
  pages only    what Marsad kept before: an item is kept only when its page is captured (0 here)
  per snapshot  feedparser over each snapshot, one record per item per snapshot (duplicates)
Figures: items (distinct links), items kept as documents, kept with their entry's date, items
held by more than one document, feed captures.

WARC/ARC (../shared/eval/warc): each file imported by `marsad ingest`'s reader; baseline warcio's
ArchiveIterator with its defaults, counting response/resource records until it raises.
Figures per file: records captured, records lost (one-line failures) and whether every message
is one line with an offset inside the file; for the baseline, records and the exception.

    .venv/bin/python bench/bench_collect.py
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import feedparser
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from marsad.collect.feeds import FeedCollector
from marsad.collect.fetcher import Fetcher
from marsad.collect.kinds import CollectContext
from marsad.config import Settings
from marsad.pipeline.ingest import Ingestor, IngestSummary
from marsad.store.models import Capture, Document, Source
from marsad.workspace import Workspace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.webserver import Route, local_site  # a real HTTP server on 127.0.0.1

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
FOREIGN_URL = re.compile(rb"https?://([A-Za-z0-9.-]+)/")
OFFSET = re.compile(r"(?:byte |offset=)(-?\d+)")


def home_settings(home: Path) -> Settings:
    return Settings.from_env(
        {
            "MARSAD_HOME": str(home),
            "MARSAD_FETCH_ALLOW_LOOPBACK": "1",
            "MARSAD_FETCH_HOST_INTERVAL": "0",
            "MARSAD_FETCH_ATTEMPTS": "1",
            "MARSAD_CRAWL_MAX_PAGES": "500",
        }
    )


def rss_section() -> None:
    snapshots = sorted((EVAL / "rss_he_news").glob("*.xml"))
    if not snapshots:
        print("RSS: ../shared/eval/rss_he_news not present, skipped")
        return
    per_snapshot = sum(len(feedparser.parse(path.read_bytes()).entries) for path in snapshots)
    with tempfile.TemporaryDirectory() as scratch, local_site({}) as site:
        workspace, _before, _after = Workspace.initialise(home_settings(Path(scratch)))
        feed_url = site.url("/gov-news.xml")
        with workspace.database.session() as session:
            source = Source(name="rss", kind="feed", locator=feed_url)
            session.add(source)
            session.flush()
            source_id = source.id
        state: dict[str, Any] = {}
        links: set[str] = set()
        with Fetcher(workspace.settings) as fetcher:
            for path in snapshots:
                body = FOREIGN_URL.sub(
                    lambda match: f"{site.base_url}/{match[1].decode()}/".encode(),
                    path.read_bytes(),
                )
                links.update(
                    entry.get("link", "").split("#")[0] for entry in feedparser.parse(body).entries
                )
                site.routes["/gov-news.xml"] = Route(body=body)
                context = CollectContext(fetcher=fetcher, settings=workspace.settings, state=state)
                Ingestor(workspace).record_attempts(
                    FeedCollector().attempts(feed_url, context),
                    lambda session: session.get(Source, source_id),
                    IngestSummary(),
                )
        with workspace.database.session() as session:
            documents = list(session.scalars(select(Document)))
            feeds = session.scalars(select(Capture.id).where(Capture.url == feed_url)).all()
        workspace.close()
    per_item = Counter(document.url for document in documents)
    kept = len(set(per_item) & links)
    dated = sum(1 for document in documents if document.published_certainty == "certain")
    print(f"RSS snapshots: {len(snapshots)}, distinct items: {len(links)}, item pages: all 404")
    print(f"  {'':14} {'kept':>6} {'dated':>6} {'records':>8} {'duplicated':>10}")
    print(f"  {'pages only':14} {0:>6} {0:>6} {0:>8} {0:>10}")
    duplicated = per_snapshot - len(links)
    print(f"  {'per snapshot':14} {len(links):>6} {'':>6} {per_snapshot:>8} {duplicated:>10}")
    repeated = sum(1 for count in per_item.values() if count > 1)
    print(f"  {'marsad':14} {kept:>6} {dated:>6} {len(documents):>8} {repeated:>10}")
    print(f"  feed captures kept: {len(feeds)}")


def warcio_baseline(path: Path) -> tuple[int, str]:
    records = 0
    try:
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle):
                records += record.rec_type in ("response", "resource")
    except Exception as exc:  # the baseline's own failure is a figure here
        return records, exc.__class__.__name__
    return records, ""


def warc_section() -> None:
    files = sorted(
        path for path in (EVAL / "warc").glob("*") if not path.name.startswith("LICENSE")
    )
    if not files:
        print("WARC: ../shared/eval/warc not present, skipped")
        return
    print(f"\nWARC/ARC files: {len(files)}")
    print(f"  {'file':38} {'warcio':>7} {'raises':18} {'marsad':>7} {'lost':>5} one-line+offset")
    totals = Counter()
    with tempfile.TemporaryDirectory() as scratch:
        workspace, _before, _after = Workspace.initialise(home_settings(Path(scratch)))
        for path in files:
            baseline, raised = warcio_baseline(path)
            summary = Ingestor(workspace).capture([str(path)])
            errors = [error for _url, error in summary.failed_captures]
            clean = all(
                "\n" not in error
                and (offsets := [int(found) for found in OFFSET.findall(error)])
                and all(0 <= offset <= path.stat().st_size for offset in offsets)
                for error in errors
            )
            captured = summary.new_captures + summary.unchanged
            totals.update(baseline=baseline, marsad=captured, lost=len(errors), raised=bool(raised))
            print(
                f"  {path.name:38} {baseline:>7} {raised or '-':18} {captured:>7} "
                f"{len(errors):>5} {'yes' if clean else 'NO'}"
            )
        workspace.close()
    print(
        f"  {'total':38} {totals['baseline']:>7} {totals['raised']:>3} files raise   "
        f"{totals['marsad']:>7} {totals['lost']:>5}"
    )


if __name__ == "__main__":
    rss_section()
    warc_section()
