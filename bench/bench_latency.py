"""Capture → webhook: how long an immediate alert takes to leave once its page is captured.

A news feed on 127.0.0.1 (RSS, one page per entry) and a webhook receiver on 127.0.0.1. The
feed is watched every --every seconds with one immediate keyword rule; after a warm-up entry,
--items entries carrying the keyword are published one at a time, each at a random moment of an
interval (of the cron period, in the cron mode) after the previous one's alert has arrived. For
every entry: publication → webhook (it includes the wait for the next look at the feed, up to
the interval) and capture → webhook (the page's capture time, as the watcher recorded it, to
the receiver's clock: the watcher's own latency).
  baseline  a bare poller thread: reads the feed every interval and POSTs each new entry to the
            receiver (the floor of any polling watcher: no archive, no stages)
  inline    `marsad crawl --loop` on a SQLite home (alerts sent after each round)
  workers   `marsad scheduler` + `marsad worker --concurrency 2` on PostgreSQL and Redis
            (MARSAD_SCHEDULER_TICK = the interval; alerts sent by the task queued when a
            document recorded them); skipped with a reason when either service is away
  before    how alerts left before they went with the loop: `crawl --loop --no-deliver`
            beside `marsad alerts deliver` run every --cron-every seconds (cron)
Goal (issue 21): capture → webhook ≤ 60 s. Settings are the defaults but for the loopback
permission and the tick; politeness (one request per second per host) is kept.

    .venv/bin/python bench/bench_latency.py [--items 5] [--every 10] [--cron-every 60]
        [--modes baseline,inline,workers,cron]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from xml.sax.saxutils import escape

import feedparser
import httpx
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parents[1]))  # the receiver and database helpers

from tests.alert.receiver import Receiver
from tests.webserver import serving

from marsad.config import Settings
from marsad.store.models import Capture
from marsad.workspace import Workspace

MARSAD = [sys.executable, "-m", "marsad"]
KEYWORD = "مرصد المدينة"
PAGE = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    "<p>أعلن {keyword} اليوم افتتاح المرحلة {number} من مشروع تحسين الطرق، وقال المتحدث إن "
    "الأعمال تستمر ثلاثة أشهر وإن الحركة ستعود إلى طبيعتها بعد ذلك.</p></article></body></html>"
)


@dataclass
class Feed:
    """An RSS feed whose entries the bench publishes while the watcher runs."""

    entries: list[tuple[str, datetime]] = field(default_factory=list)  # (path, published)
    lock: threading.Lock = field(default_factory=threading.Lock)
    base_url: str = ""

    def publish(self, keyword: bool = True) -> str:
        with self.lock:
            number = len(self.entries)
            path = f"/news/{number}{'' if keyword else '-quiet'}"
            self.entries.append((path, datetime.now(UTC)))
        return self.base_url + path

    def rss(self) -> bytes:
        with self.lock:
            items = "".join(
                f"<item><title>خبر {escape(path)}</title><link>{self.base_url}{path}</link>"
                f"<guid>{self.base_url}{path}</guid>"
                f"<pubDate>{format_datetime(published)}</pubDate></item>"
                for path, published in reversed(self.entries)
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>أخبار المدينة</title><link>{self.base_url}/</link>{items}</channel></rss>"
        ).encode()

    def page(self, path: str) -> bytes:
        number = path.rsplit("/", 1)[-1].split("-")[0]
        keyword = KEYWORD if not path.endswith("-quiet") else "مجلس المدينة"
        return PAGE.format(title=f"خبر رقم {number}", keyword=keyword, number=number).encode()


@contextmanager
def feed_site(feed: Feed) -> Iterator[Feed]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:
            pass

        def do_GET(self) -> None:
            if self.path == "/feed.xml":
                body, kind = feed.rss(), "application/rss+xml"
            elif self.path.startswith("/news/"):
                body, kind = feed.page(self.path), "text/html; charset=utf-8"
            else:
                body, kind = b"", ""
            self.send_response(200 if kind else 404)
            if kind:
                self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with serving(Handler) as base_url:
        feed.base_url = base_url
        yield feed


def arrival(receiver: Receiver, url: str, timeout: float) -> tuple[datetime, dict[str, object]]:
    """When the receiver got the alert about `url`, and the alert."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for request in list(receiver.received):
            alert = json.loads(request.body)
            if alert["item"]["url"] == url:
                return datetime.fromtimestamp(request.at, UTC), alert
        time.sleep(0.05)
    raise SystemExit(f"no alert for {url} within {timeout:.0f} s")


@dataclass
class Latencies:
    published: list[float] = field(default_factory=list)
    captured: list[float] = field(default_factory=list)


def measure(
    feed: Feed,
    receiver: Receiver,
    items: int,
    captured_at: Callable[[str, dict[str, object]], datetime],
    every: float,
) -> Latencies:
    """Publish a warm-up entry, then `items` entries one by one, each at a random moment of
    `every` (the mode's longest timer) after the last alert; their latencies."""
    timeout = 4 * every + 180
    arrival(receiver, feed.publish(), timeout)  # start-up: models, KB matcher, first crawl
    result = Latencies()
    moments = random.Random(7)  # publish at any point of the interval, the same each run
    for _ in range(items):
        time.sleep(moments.uniform(0, every))
        url = feed.publish()
        published = feed.entries[-1][1]
        arrived, alert = arrival(receiver, url, timeout)
        result.published.append((arrived - published).total_seconds())
        result.captured.append((arrived - captured_at(url, alert)).total_seconds())
    return result


def poller(
    feed: Feed, receiver_url: str, every: float, stop: threading.Event
) -> dict[str, datetime]:
    """The baseline watcher: read the feed every interval, POST what is new; returns when each
    entry was first seen."""
    seen: dict[str, datetime] = {}

    def run() -> None:
        with httpx.Client(timeout=10) as client:
            while not stop.is_set():
                fetched = datetime.now(UTC)
                parsed = feedparser.parse(client.get(f"{feed.base_url}/feed.xml").content)
                for url in (entry.link for entry in parsed.entries):
                    if url not in seen:
                        seen[url] = fetched
                        client.post(receiver_url, json={"item": {"url": url}})
                stop.wait(every)

    threading.Thread(target=run, daemon=True).start()
    return seen


def run_baseline(items: int, every: float) -> Latencies:
    stop = threading.Event()
    with feed_site(Feed()) as feed:
        receiver = Receiver().start()
        try:
            seen = poller(feed, receiver.url, every, stop)
            return measure(feed, receiver, items, lambda url, _alert: seen[url], every)
        finally:
            stop.set()
            receiver.stop()


def marsad(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "marsad", *args], env=env, check=True,
                   capture_output=True, text=True)  # fmt: skip


def watched_home(env: dict[str, str], feed: Feed, receiver: Receiver, every: int) -> None:
    marsad(env, "init")
    marsad(env, "source", "add", "feed", f"{feed.base_url}/feed.xml", "--name", "city news",
           "--every", f"{every}s")  # fmt: skip
    marsad(env, "alerts", "add", "city watch", "--keyword", KEYWORD, "--webhook", receiver.url,
           "--secret", "bench")  # fmt: skip


def capture_time(settings: Settings) -> Callable[[str, dict[str, object]], datetime]:
    def fetched_at(_url: str, alert: dict[str, object]) -> datetime:
        item = alert["item"]
        assert isinstance(item, dict)
        with Workspace.open(settings) as workspace, workspace.database.session() as session:
            moment = session.scalar(
                select(Capture.fetched_at).where(Capture.id == item["capture_id"])
            )
        assert moment is not None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    return fetched_at


def run_marsad(
    items: int,
    every: int,
    env: dict[str, str],
    commands: list[list[str]],
    log: Path,
    timer: int | None = None,
) -> Latencies:
    """The watcher as `commands` (processes of `marsad`) on the home of `env`."""
    with feed_site(Feed()) as feed:
        receiver = Receiver().start()
        processes: list[subprocess.Popen[bytes]] = []
        try:
            watched_home(env, feed, receiver, every)
            feed.publish(keyword=False)  # the feed is never empty
            with log.open("ab") as output:
                for command in commands:
                    processes.append(
                        subprocess.Popen(command, env=env, stdout=output,
                                         stderr=subprocess.STDOUT, start_new_session=True)
                    )  # fmt: skip
            settings = Settings.from_env(env)
            return measure(feed, receiver, items, capture_time(settings), timer or every)
        finally:
            for process in processes:
                os.killpg(process.pid, signal.SIGTERM)  # a shell loop's children too
            for process in processes:
                process.wait(60)
            receiver.stop()


def services_reason(broker_url: str) -> str | None:
    try:
        import psycopg
        import redis

        redis.Redis.from_url(broker_url, socket_timeout=2).ping()
        psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", connect_timeout=2).close()
    except Exception as error:  # any failure means: no services here
        return f"{error.__class__.__name__}: {error}"
    return None


def row(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (
        f"  {name:<28} p50 {statistics.median(values):6.2f} s   p95 {p95:6.2f} s   "
        f"max {max(values):6.2f} s"
    )


def report(name: str, latencies: Latencies) -> None:
    print(name)
    print(row("capture → webhook", latencies.captured))
    print(row("publication → webhook", latencies.published))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5)
    parser.add_argument("--every", type=int, default=10, help="seconds between looks at the feed")
    parser.add_argument("--modes", default="baseline,inline,workers,cron")
    parser.add_argument("--cron-every", type=int, default=60, help="the cron mode's period")
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    modes = args.modes.split(",")
    print(f"{args.items} entries, feed read every {args.every} s, load average "
          f"{os.getloadavg()[0]:.1f}")  # fmt: skip
    if "baseline" in modes:
        report("baseline: bare poller (fetch → POST)", run_baseline(args.items, args.every))
    with tempfile.TemporaryDirectory(prefix="marsad-latency-") as temporary:
        folder = Path(temporary)
        base_env = {**os.environ, "MARSAD_FETCH_ALLOW_LOOPBACK": "1"}
        if "inline" in modes:
            env = {**base_env, "MARSAD_HOME": str(folder / "inline")}
            env.pop("MARSAD_DATABASE_URL", None)
            latencies = run_marsad(args.items, args.every, env, [[*MARSAD, "crawl", "--loop"]],
                                   folder / "inline.log")  # fmt: skip
            report("marsad inline: crawl --loop (SQLite)", latencies)
        if "cron" in modes:
            env = {**base_env, "MARSAD_HOME": str(folder / "cron")}
            env.pop("MARSAD_DATABASE_URL", None)
            deliver = " ".join([*MARSAD, "alerts", "deliver"])
            commands = [
                [*MARSAD, "crawl", "--loop", "--no-deliver"],
                ["sh", "-c", f"while :; do {deliver}; sleep {args.cron_every}; done"],
            ]
            latencies = run_marsad(
                args.items, args.every, env, commands, folder / "cron.log", args.cron_every
            )
            report(f"before: crawl --loop + `alerts deliver` every {args.cron_every} s (cron)",
                   latencies)  # fmt: skip
        if "workers" in modes:
            reason = services_reason(args.broker_url)
            if reason is None:
                report("marsad workers: scheduler + 2 workers (PostgreSQL, Redis)",
                       run_workers(args, folder, base_env))  # fmt: skip
            else:
                print(f"marsad workers: skipped, PostgreSQL or Redis away ({reason})")


def run_workers(args: argparse.Namespace, folder: Path, base_env: dict[str, str]) -> Latencies:
    from tests.workers.databases import create_database, database_url, drop_database

    name = f"marsad_latency_{uuid.uuid4().hex[:12]}"
    create_database(name)
    try:
        env = {
            **base_env,
            "MARSAD_HOME": str(folder / "workers"),
            "MARSAD_DATABASE_URL": database_url(name),
            "MARSAD_BROKER_URL": args.broker_url,
            "MARSAD_WORKER_QUEUE": f"bench-latency-{uuid.uuid4().hex[:8]}",  # no one else's
            "MARSAD_SCHEDULER_TICK": str(args.every),
        }
        commands = [
            [*MARSAD, "worker", "--concurrency", "2"],
            [*MARSAD, "scheduler", "--loglevel", "WARNING"],
        ]
        return run_marsad(args.items, args.every, env, commands, folder / "workers.log")
    finally:
        drop_database(name)


if __name__ == "__main__":
    main()
